using Microsoft.AspNetCore.Authorization;

namespace ReferralDirectory.Api.Auth;

/// <summary>App roles defined on the API's app registration.</summary>
public static class Roles
{
    public const string Admin = "Directory.Admin";
    public const string Editor = "Directory.Editor";
    public const string Caseworker = "Caseworker";
}

/// <summary>
/// Authorization policies, applied per route group: every policy of the directory is here. Each names the
/// authentication schemes it accepts, so a scheme added later (staff web sign-in with a cookie) changes no API route:
/// the API's routes keep accepting bearer tokens only, and answer 401/403 rather than redirecting to a sign-in page.
/// </summary>
public static class Policies
{
    /// <summary>Create and edit listings, read the audit and review queue.</summary>
    public const string Edit = "edit";
    /// <summary>Everything, including purge and partner key management.</summary>
    public const string Administer = "administer";
    /// <summary>Read confidential details.</summary>
    public const string Confidential = "confidential";

    /// <summary>The schemes the API's policies accept.</summary>
    public static readonly string[] ApiSchemes = [AuthSchemes.Bearer];

    public static IServiceCollection AddDirectoryPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Edit, p => Api(p).RequireRole(Roles.Admin, Roles.Editor))
            .AddPolicy(Administer, p => Api(p).RequireRole(Roles.Admin))
            .AddPolicy(Confidential, p => Api(p).RequireRole(Roles.Admin, Roles.Editor, Roles.Caseworker));
        return services;
    }

    private static AuthorizationPolicyBuilder Api(AuthorizationPolicyBuilder p) =>
        p.AddAuthenticationSchemes(ApiSchemes).RequireAuthenticatedUser();
}
