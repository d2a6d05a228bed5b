using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Auth;

/// <summary>
/// Authentication schemes, by name. Today the API's bearer tokens; staff web sign-in (OpenID Connect with a cookie,
/// <c>AddMicrosoftIdentityWebApp</c>) goes next to it under names of its own, and <see cref="Policies"/> says which
/// schemes each policy accepts.
/// </summary>
public static class AuthSchemes
{
    /// <summary>Entra ID access tokens for the API (<c>Authorization: Bearer</c>); the default scheme.</summary>
    public const string Bearer = JwtBearerDefaults.AuthenticationScheme;
    /// <summary>Staff web pages (<c>/staff</c>): the sign-in cookie (OpenID Connect with Entra ID, or the Development sign-in).</summary>
    public const string StaffCookie = "StaffCookie";
    /// <summary>Entra ID sign-in for the staff pages (OpenID Connect, Microsoft.Identity.Web), when a real tenant is configured.</summary>
    public const string StaffOpenIdConnect = "StaffOpenIdConnect";
}

public static class AuthSetup
{
    /// <summary>Algorithms accepted: asymmetric only (no HS*, no none).</summary>
    public static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// Entra ID bearer tokens through Microsoft.Identity.Web (<c>AddMicrosoftIdentityWebApi</c>) under
    /// <see cref="AuthSchemes.Bearer"/>, configured from the <c>AzureAd</c> section (<see cref="AzureAdOptions"/>):
    /// the tenant's published keys, or a local key set (<see cref="AzureAdOptions.SigningKeysFile"/>: development and
    /// tests), or, without a tenant, nothing that validates (every protected route answers 401). Then the policies.
    /// </summary>
    public static IServiceCollection AddDirectoryAuth(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AzureAdOptions>().Bind(config.GetSection(AzureAdOptions.Section))
            .PostConfigure<IServiceProvider>((o, sp) =>
            {
                // An empty setting (AzureAd__SigningKeysFile= in an environment) is no key set.
                o.SigningKeysFile = string.IsNullOrWhiteSpace(o.SigningKeysFile) ? null
                    : LocalPaths.FromConfiguration(o.SigningKeysFile, sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Environment.CurrentDirectory);
            })
            .ValidateDataAnnotations().ValidateOnStart();

        // Registered before Microsoft.Identity.Web's own configuration of the scheme, so these run first; it keeps
        // what is set here (audiences, issuer validator, the local configuration) and adds the authority and events.
        // Token lifetimes are checked against the service's clock (TimeProvider), like everything else that tells the time.
        services.AddOptions<JwtBearerOptions>(AuthSchemes.Bearer).Configure<IOptions<AzureAdOptions>, TimeProvider>((o, ad, time) =>
        {
            ConfigureBearer(o, ad.Value);
            o.TokenValidationParameters.LifetimeValidator = TokenLifetime.On(time);
        });
        services.AddOptions<MicrosoftIdentityOptions>(AuthSchemes.Bearer).Configure<IOptions<AzureAdOptions>>((o, adOptions) =>
        {
            var ad = adOptions.Value;
            o.Instance = ad.Instance;
            // Without a tenant Microsoft.Identity.Web still needs names; nothing validates against them (see ConfigureBearer).
            o.TenantId = ad.IsConfigured ? ad.TenantId : NoTenant;
            o.ClientId = ad.IsConfigured ? ad.ClientId : NoTenant;
            // A valid token of this tenant without any role is authenticated, and the policies answer 403 (Identity.Web's
            // default would answer 401 for a token with neither roles nor scopes). Cross-tenant tokens never get this far:
            // the issuer must be this tenant's.
            o.AllowWebApiToBeAuthorizedByACL = true;
        });
        var auth = services.AddAuthentication(AuthSchemes.Bearer);
        auth.AddMicrosoftIdentityWebApi(_ => { }, _ => { }, AuthSchemes.Bearer, subscribeToJwtBearerMiddlewareDiagnosticsEvents: false);
        // Staff pages: Entra ID sign-in (OpenID Connect + cookie) when a real tenant is configured (no local key set);
        // otherwise the cookie alone, which only the Development sign-in issues (see WebPages/Staff/StaffSignIn.cs).
        if (StaffSignIn.UsesEntra(config))
        {
            var ad = new AzureAdOptions();
            config.GetSection(AzureAdOptions.Section).Bind(ad);
            var issuer = ad.EffectiveIssuer;
            auth.AddMicrosoftIdentityWebApp(o =>
            {
                config.GetSection(AzureAdOptions.Section).Bind(o);
                o.CallbackPath = "/staff/signin-oidc";
                o.SignedOutCallbackPath = "/staff/signout-callback-oidc";
                // The claims as Entra issues them ("roles", "name", "oid"), as the API's bearer tokens are read.
                o.MapInboundClaims = false;
                o.TokenValidationParameters.RoleClaimType = "roles";
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.ValidAlgorithms = AsymmetricAlgorithms;
                // Single tenant, as for the API: the ID token's issuer is exactly this tenant's (Identity.Web keeps a
                // validator set here instead of its multi-tenant one).
                o.TokenValidationParameters.IssuerValidator = (actual, _, _) => string.Equals(actual, issuer, StringComparison.Ordinal)
                    ? actual
                    : throw new SecurityTokenInvalidIssuerException("The ID token's issuer is not this directory's tenant.");
                o.Events.OnRemoteFailure = StaffSignIn.SignInFailedAsync;
            }, c => StaffSignIn.ConfigureCookie(c), AuthSchemes.StaffOpenIdConnect, AuthSchemes.StaffCookie, subscribeToOpenIdConnectMiddlewareDiagnosticsEvents: false);
        }
        else
        {
            auth.AddCookie(AuthSchemes.StaffCookie, StaffSignIn.ConfigureCookie);
        }
        services.AddDirectoryPolicies();
        return services;
    }

    private const string NoTenant = "no-tenant-configured";

    private static void ConfigureBearer(JwtBearerOptions o, AzureAdOptions ad)
    {
        o.MapInboundClaims = false;
        o.IncludeErrorDetails = false;
        var issuer = ad.EffectiveIssuer;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = issuer,
            // Single tenant: the issuer is exactly this tenant's v2.0 issuer. (Identity.Web's default validator accepts
            // any tenant's issuer that matches the metadata's template, for multi-tenant APIs; the local key set has no
            // metadata at all.)
            IssuerValidator = (actual, _, _) => string.Equals(actual, issuer, StringComparison.Ordinal)
                ? actual
                : throw new SecurityTokenInvalidIssuerException("The token's issuer is not this directory's tenant."),
            ValidateAudience = true,
            ValidAudiences = ad.IsConfigured ? [ad.EffectiveAudience, ad.ClientId!] : ["urn:referral-directory:no-tenant-configured"],
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = AsymmetricAlgorithms,
            ClockSkew = TimeSpan.FromMinutes(2),
            RoleClaimType = "roles",
            NameClaimType = "name",
        };
        if (ad.SigningKeysFile is { } file && File.Exists(file))
        {
            var keys = new JsonWebKeySet(File.ReadAllText(file)).GetSigningKeys()
                .Where(k => k is RsaSecurityKey or ECDsaSecurityKey or JsonWebKey { Kty: "RSA" or "EC" }).ToList();
            o.TokenValidationParameters.IssuerSigningKeys = keys;
            // No metadata download: the configuration is local.
            o.Configuration = new OpenIdConnectConfiguration { Issuer = issuer };
            foreach (var k in keys) o.Configuration.SigningKeys.Add(k);
        }
        else if (ad.IsConfigured)
        {
            o.Authority = $"{ad.Instance.TrimEnd('/')}/{ad.TenantId}/v2.0";
            o.RequireHttpsMetadata = true;
        }
        else
        {
            // No tenant: no keys, so nothing validates; every protected route answers 401.
            o.Configuration = new OpenIdConnectConfiguration { Issuer = issuer };
        }
    }

    /// <summary>The signed-in person as an audit actor: Entra object id (oid) and display name.</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var oid = user.FindFirstValue("oid") ?? user.FindFirstValue("sub") ?? "unknown";
        var name = user.FindFirstValue("name") ?? user.FindFirstValue("preferred_username") ?? oid;
        return new Actor(oid, name.Length > 200 ? name[..200] : name);
    }

    /// <summary>Whether the request carries a valid token with a role that may see confidential details.</summary>
    public static bool MaySeeConfidential(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && (user.IsInRole(Roles.Caseworker) || user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Editor));
}
