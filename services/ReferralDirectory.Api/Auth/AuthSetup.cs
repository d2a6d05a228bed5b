using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Auth;

public static class AuthSetup
{
    /// <summary>Algorithms accepted: asymmetric only (no HS*, no none).</summary>
    public static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static IServiceCollection AddDirectoryAuth(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AzureAdOptions>().Bind(config.GetSection(AzureAdOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AzureAdOptions>>((o, adOptions) =>
        {
            var ad = adOptions.Value;
            o.MapInboundClaims = false;
            o.IncludeErrorDetails = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = ad.EffectiveIssuer,
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
                o.Configuration = new OpenIdConnectConfiguration { Issuer = ad.EffectiveIssuer };
                foreach (var k in keys) o.Configuration.SigningKeys.Add(k);
            }
            else if (ad.IsConfigured)
            {
                o.Authority = $"{ad.Instance.TrimEnd('/')}/{ad.TenantId}/v2.0";
                o.RequireHttpsMetadata = true;
            }
            else
            {
                // No tenant: nothing can validate, every protected route answers 401.
                o.Configuration = new OpenIdConnectConfiguration { Issuer = ad.EffectiveIssuer };
            }
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Edit, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Editor))
            .AddPolicy(Policies.Administer, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Policies.Confidential, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Editor, Roles.Caseworker));
        return services;
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
