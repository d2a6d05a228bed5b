using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReferralDirectory.Api.Auth;

/// <summary>
/// Local development without a tenant: a local RSA key pair (private key PEM + public JWKS) and signed tokens
/// carrying the same claims Entra ID puts in access tokens (oid, name, roles, aud, iss). The service trusts the
/// JWKS only when <c>AzureAd:SigningKeysFile</c> points at it (appsettings.Development.json does).
/// <code>TOKEN=$(dotnet run --no-launch-profile --project services/ReferralDirectory.Api -- dev-token --role Directory.Admin --name "Dev Admin")</code>
/// </summary>
public static class DevTokens
{
    public const string DefaultFolder = "data/dev-auth";

    public static string PrivateKeyPath(string folder) => Path.Combine(folder, "signing-key.pem");
    public static string JwksPath(string folder) => Path.Combine(folder, "jwks.json");

    /// <summary>Creates the key pair if missing; returns the private key.</summary>
    public static RSA EnsureKeys(string folder)
    {
        Directory.CreateDirectory(folder);
        var rsa = RSA.Create(2048);
        if (File.Exists(PrivateKeyPath(folder)))
        {
            rsa.ImportFromPem(File.ReadAllText(PrivateKeyPath(folder)));
        }
        else
        {
            File.WriteAllText(PrivateKeyPath(folder), rsa.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(PrivateKeyPath(folder), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(JwksPath(folder), Jwks(rsa));
        return rsa;
    }

    public static string KeyId(RSA rsa) =>
        Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()).AsSpan(0, 12).ToArray());

    public static string Jwks(params RSA[] keys) => JsonSerializer.Serialize(new
    {
        keys = keys.Select(rsa =>
        {
            var p = rsa.ExportParameters(false);
            return new Dictionary<string, string>
            {
                ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId(rsa),
                ["n"] = Base64UrlEncoder.Encode(p.Modulus!), ["e"] = Base64UrlEncoder.Encode(p.Exponent!),
            };
        }).ToArray(),
    });

    /// <summary>A signed RS256 access token.</summary>
    public static string Mint(RSA key, string issuer, string audience, IEnumerable<string> roles, string objectId, string name,
        DateTimeOffset now, TimeSpan? lifetime = null, DateTimeOffset? notBefore = null)
    {
        var claims = new List<Claim> { new("oid", objectId), new("sub", objectId), new("name", name) };
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = (notBefore ?? now).UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = KeyId(key) }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>The <c>dev-token</c> command: the token, alone, on standard output (everything else on standard error), so
    /// <c>TOKEN=$(...)</c> captures just it. A relative <c>AzureAd:SigningKeysFile</c> starts from the service's
    /// <paramref name="contentRoot"/>, as in the service.</summary>
    public static int Run(string[] args, IConfiguration config, string contentRoot, TimeProvider time)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var roles = args.Select((a, i) => (a, i)).Where(x => x.a == "--role" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToArray();
        if (roles.Length == 0) roles = [Roles.Admin];
        var ad = new AzureAdOptions();
        config.GetSection(AzureAdOptions.Section).Bind(ad);
        if (!ad.IsConfigured || ad.SigningKeysFile is null)
        {
            Console.Error.WriteLine("Set AzureAd:TenantId, AzureAd:ClientId and AzureAd:SigningKeysFile (appsettings.Development.json does; run with ASPNETCORE_ENVIRONMENT=Development).");
            return 2;
        }
        var folder = Path.GetDirectoryName(Storage.LocalPaths.FromConfiguration(ad.SigningKeysFile, contentRoot))!;
        using var rsa = EnsureKeys(folder);
        if (!double.TryParse(Arg("--hours", "8"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var hours) || hours is <= 0 or > 24 * 30)
        {
            Console.Error.WriteLine("--hours must be a number of hours above 0, at most 720.");
            return 2;
        }
        var token = Mint(rsa, ad.EffectiveIssuer, ad.EffectiveAudience, roles, Arg("--oid", Guid.NewGuid().ToString()), Arg("--name", "Local Developer"),
            time.GetUtcNow(), TimeSpan.FromHours(hours));
        Console.WriteLine(token);
        return 0;
    }
}
