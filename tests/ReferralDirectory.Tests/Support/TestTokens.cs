using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using ReferralDirectory.Api.Auth;

namespace ReferralDirectory.Tests.Support;

/// <summary>
/// Real signed tokens for tests, as Entra ID would issue them for the test tenant: RS256 with a test key whose
/// public half the service trusts (through AzureAd:SigningKeysFile), plus every kind of bad token.
/// </summary>
public static class TestTokens
{
    public const string TenantId = "test-tenant";
    public const string ClientId = "test-client";
    public static readonly string Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0";
    public static readonly string Audience = $"api://{ClientId}";

    public static readonly RSA Key = RSA.Create(2048);
    /// <summary>Not trusted by the service.</summary>
    public static readonly RSA OtherKey = RSA.Create(2048);

    public static readonly string JwksFile = WriteJwks();

    private static string WriteJwks()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rd-tests", "auth-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "jwks.json");
        File.WriteAllText(path, DevTokens.Jwks(Key));
        return path;
    }

    /// <summary>When test tokens are issued: the test service's clock (<see cref="DirectoryApp.StartTime"/>), which checks their lifetime.</summary>
    public static DateTimeOffset Now => DirectoryApp.StartTime;

    public static string For(params string[] roles) => Mint(roles);

    public static string Mint(string[] roles, string? issuer = null, string? audience = null, RSA? key = null, TimeSpan? lifetime = null,
        DateTimeOffset? issuedAt = null, DateTimeOffset? notBefore = null, string oid = "00000000-0000-0000-0000-0000000000a1", string name = "Test Admin") =>
        DevTokens.Mint(key ?? Key, issuer ?? Issuer, audience ?? Audience, roles, oid, name, issuedAt ?? Now, lifetime, notBefore);

    public static string Expired(params string[] roles) => Mint(roles, issuedAt: Now.AddHours(-3), lifetime: TimeSpan.FromHours(1));
    public static string NotYetValid(params string[] roles) => Mint(roles, issuedAt: Now, notBefore: Now.AddHours(1), lifetime: TimeSpan.FromHours(2));
    public static string WrongAudience(params string[] roles) => Mint(roles, audience: "api://someone-else");
    public static string WrongIssuer(params string[] roles) => Mint(roles, issuer: "https://login.microsoftonline.com/other-tenant/v2.0");
    public static string BadSignature(params string[] roles) => Mint(roles, key: OtherKey);

    /// <summary>The payload of a valid token, re-sent with <c>alg: none</c> and no signature.</summary>
    public static string AlgNone(params string[] roles)
    {
        var parts = For(roles).Split('.');
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return $"{header}.{parts[1]}.";
    }

    /// <summary>The key-confusion attack: HS256 with the service's public key bytes as the HMAC secret.</summary>
    public static string Hs256WithPublicKey(params string[] roles)
    {
        var parts = For(roles).Split('.');
        var header = Base64UrlEncoder.Encode($"{{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"{DevTokens.KeyId(Key)}\"}}");
        var secret = Encoding.UTF8.GetBytes(Key.ExportSubjectPublicKeyInfoPem());
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes($"{header}.{parts[1]}"));
        return $"{header}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }

    public static HttpRequestMessage With(this HttpRequestMessage request, string? token)
    {
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
