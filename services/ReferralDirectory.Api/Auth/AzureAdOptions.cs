using System.ComponentModel.DataAnnotations;

namespace ReferralDirectory.Api.Auth;

/// <summary>
/// Microsoft Entra ID settings, section <c>AzureAd</c>, in the shape Microsoft.Identity.Web reads (Instance, TenantId,
/// ClientId, Audience), plus this service's own: <see cref="Issuer"/> and <see cref="SigningKeysFile"/>.
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
    /// development (see README: <c>dev-token</c>) and tests. Only asymmetric keys are used. A relative path is
    /// resolved from the service's content root (see <see cref="Storage.LocalPaths"/>).
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
