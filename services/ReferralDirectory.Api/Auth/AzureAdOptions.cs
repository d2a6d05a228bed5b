using System.ComponentModel.DataAnnotations;

namespace ReferralDirectory.Api.Auth;

/// <summary>
/// Microsoft Entra ID settings, in the <c>AzureAd</c> section shape Microsoft.Identity.Web reads
/// (Instance, TenantId, ClientId, Audience), so moving to that package later is a small change.
/// </summary>
public sealed class AzureAdOptions : IValidatableObject
{
    public const string Section = "AzureAd";

    public string Instance { get; set; } = "https://login.microsoftonline.com/";
    public string? TenantId { get; set; }
    /// <summary>The API's app registration (client) id.</summary>
    public string? ClientId { get; set; }
    /// <summary>The accepted audience; defaults to <c>api://{ClientId}</c>. The bare ClientId is accepted too.</summary>
    public string? Audience { get; set; }
    /// <summary>Overrides the issuer (default <c>{Instance}{TenantId}/v2.0</c>).</summary>
    public string? Issuer { get; set; }
    /// <summary>
    /// A JSON Web Key Set file to validate tokens with instead of the tenant's published keys: for local
    /// development (see README: <c>dev-token</c>) and tests. Only asymmetric keys are used.
    /// </summary>
    public string? SigningKeysFile { get; set; }

    /// <summary>True when a tenant is configured; without one, every admin route answers 401.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(TenantId) && !string.IsNullOrWhiteSpace(ClientId);

    public string EffectiveIssuer => Issuer ?? $"{Instance.TrimEnd('/')}/{TenantId}/v2.0";
    public string EffectiveAudience => Audience ?? $"api://{ClientId}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(TenantId) != string.IsNullOrWhiteSpace(ClientId))
            yield return new ValidationResult("AzureAd:TenantId and AzureAd:ClientId must be set together.", [nameof(TenantId), nameof(ClientId)]);
        if (!Uri.TryCreate(Instance, UriKind.Absolute, out var instance) || instance.Scheme != Uri.UriSchemeHttps)
            yield return new ValidationResult("AzureAd:Instance must be an https URL.", [nameof(Instance)]);
        if (SigningKeysFile is { } f && !File.Exists(f))
            yield return new ValidationResult($"AzureAd:SigningKeysFile '{f}' does not exist.", [nameof(SigningKeysFile)]);
    }
}

/// <summary>App roles defined on the API's app registration.</summary>
public static class Roles
{
    public const string Admin = "Directory.Admin";
    public const string Editor = "Directory.Editor";
    public const string Caseworker = "Caseworker";
}

/// <summary>Authorization policies, applied per route group.</summary>
public static class Policies
{
    /// <summary>Create and edit listings, read the audit and review queue.</summary>
    public const string Edit = "edit";
    /// <summary>Everything, including purge and partner key management.</summary>
    public const string Administer = "administer";
    /// <summary>Read confidential details.</summary>
    public const string Confidential = "confidential";
}
