using System.Net;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Admin;

/// <summary>Every admin route refuses every kind of bad token with 401, and a missing role with 403; nothing changes.</summary>
[TestFixture]
public sealed class AuthMatrixTests : DemoAppTests
{
    private string _etag = null!;
    private const string Target = "demo-gateway-survivor-services";

    [OneTimeSetUp]
    public async Task ReadTarget()
    {
        _etag = (await Client.SendAsync(HttpMethod.Get, $"/v1/admin/listings/{Target}", TestTokens.For(Roles.Admin))).ETag!;
    }

    private sealed record Route(string Method, string Path, object? Body, bool AdminOnly);

    private static IEnumerable<Route> Routes() =>
    [
        new("POST", "/v1/admin/listings", AdminClient.NewListing("auth-matrix-new"), false),
        new("GET", $"/v1/admin/listings/{Target}", null, false),
        new("PUT", $"/v1/admin/listings/{Target}", AdminClient.NewListing(Target), false),
        new("PATCH", $"/v1/admin/listings/{Target}", new { name = "Hijacked" }, false),
        new("POST", $"/v1/admin/listings/{Target}/retire", null, false),
        new("POST", $"/v1/admin/listings/{Target}/restore", null, false),
        new("POST", $"/v1/admin/listings/{Target}/verify", new { method = "phone-call" }, false),
        new("DELETE", $"/v1/admin/listings/{Target}", null, true),
        new("GET", "/v1/admin/review-queue", null, false),
        new("GET", "/v1/admin/audit", null, false),
        new("POST", "/v1/admin/api-keys", new { name = "Sneaky partner" }, true),
        new("GET", "/v1/admin/api-keys", null, true),
        new("DELETE", "/v1/admin/api-keys/key-000000000000", null, true),
        new("POST", "/v1/admin/import/csv", "external_id,kind,name\nx-1,hotline,Sneaky", false),
        new("POST", "/v1/admin/import/hsds", new { id = "00000000-0000-0000-0000-000000000000", name = "Sneaky" }, false),
        new("POST", "/v1/admin/import/hsds/validate", new { id = "00000000-0000-0000-0000-000000000000", name = "Sneaky" }, false),
        new("GET", "/v1/admin/import/csv/template", null, false),
        new("POST", "/v1/admin/geocode", new { city = "Columbia", state = "MO" }, false),
    ];

    private static readonly (string Name, Func<string?> Token)[] BadTokens =
    [
        ("no token", () => null),
        ("expired", () => TestTokens.Expired(Roles.Admin)),
        ("not yet valid", () => TestTokens.NotYetValid(Roles.Admin)),
        ("wrong audience", () => TestTokens.WrongAudience(Roles.Admin)),
        ("wrong issuer", () => TestTokens.WrongIssuer(Roles.Admin)),
        ("bad signature", () => TestTokens.BadSignature(Roles.Admin)),
        ("alg none", () => TestTokens.AlgNone(Roles.Admin)),
        ("HS256 signed with the public key", () => TestTokens.Hs256WithPublicKey(Roles.Admin)),
        ("garbage", () => "not.a.token"),
    ];

    private async Task<(int Audit, string ETag, int Keys, int Count)> StateAsync()
    {
        var store = App.Service<IDirectoryStore>();
        var audit = await store.QueryAuditAsync(new AuditQuery { Limit = 100000 });
        var l = await store.GetAsync(Target);
        return (audit.Count, l!.ETag, (await store.ListApiKeysAsync()).Count, await store.CountAsync());
    }

    private Task<AdminClient.Answer> Send(Route route, string? token) => route.Body is string csv
        ? Client.SendAsync(new HttpMethod(route.Method), route.Path, token, rawBody: csv, contentType: "text/csv")
        : Client.SendAsync(new HttpMethod(route.Method), route.Path, token, route.Body, ifMatch: _etag,
            contentType: route.Method == "PATCH" ? "application/merge-patch+json" : "application/json");

    [Test]
    public async Task Bad_tokens_get_401_missing_roles_403_and_nothing_changes()
    {
        var before = await StateAsync();
        var failures = new List<string>();
        foreach (var route in Routes())
        {
            foreach (var (name, token) in BadTokens)
            {
                var answer = await Send(route, token());
                if (answer.Status != HttpStatusCode.Unauthorized) failures.Add($"{route.Method} {route.Path} with {name}: {(int)answer.Status}");
                else if (answer.Response.Headers.WwwAuthenticate.Count == 0) failures.Add($"{route.Method} {route.Path} with {name}: no WWW-Authenticate");
            }
            var roleless = new (string Name, string Token)[]
            {
                ("no role", TestTokens.For()),
                ("caseworker", TestTokens.For(Roles.Caseworker)),
                ("unknown role", TestTokens.For("Directory.Reader")),
            }.Concat(route.AdminOnly ? [("editor", TestTokens.For(Roles.Editor))] : []);
            foreach (var (name, token) in roleless)
            {
                var answer = await Send(route, token);
                if (answer.Status != HttpStatusCode.Forbidden) failures.Add($"{route.Method} {route.Path} with {name}: {(int)answer.Status}");
            }
        }
        Assert.That(failures, Is.Empty);
        Assert.That(await StateAsync(), Is.EqualTo(before), "the store is unchanged");
        await Client.GetJsonAsync($"/v1/resources/{Target}");
    }

    [Test]
    public async Task A_valid_token_with_the_right_role_is_accepted()
    {
        var editor = TestTokens.For(Roles.Editor);
        Assert.That((await Client.SendAsync(HttpMethod.Get, "/v1/admin/review-queue", editor)).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.SendAsync(HttpMethod.Get, "/v1/admin/api-keys", TestTokens.For(Roles.Admin))).Status, Is.EqualTo(HttpStatusCode.OK));
        // Within the allowed clock skew (2 minutes) a token just past its expiry still works; well past it does not.
        var justExpired = TestTokens.Mint([Roles.Editor], issuedAt: TestTokens.Now.AddMinutes(-61), lifetime: TimeSpan.FromMinutes(60));
        Assert.That((await Client.SendAsync(HttpMethod.Get, "/v1/admin/review-queue", justExpired)).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Caseworkers_see_confidential_details_the_public_does_not()
    {
        const string shelter = "demo-boone-county-safe-house";
        var anonymous = await Client.GetStringAsync($"/v1/resources/{shelter}");
        Assert.That(anonymous, Does.Not.Contain("39.003").And.Not.Contain("Route B").And.Not.Contain("Hallsville"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/resources/{shelter}").With(TestTokens.For(Roles.Caseworker));
        using var response = await Client.SendAsync(request);
        var exact = await response.Content.ReadAsStringAsync();
        Assert.That(exact, Does.Contain("39.003").And.Contain("Route B, Box 18").And.Contain("Hallsville"));
        Assert.That(response.Headers.CacheControl?.ToString(), Does.Contain("no-store").And.Contain("private"));
        // In searches too: exact distance and location for the caseworker, county-level for the public.
        const string near = "/v1/resources/nearest?lat=39.0051&lon=-92.1602&service=emergency-shelter&limit=1";
        using var cw = new HttpRequestMessage(HttpMethod.Get, near).With(TestTokens.For(Roles.Caseworker));
        using var cwResponse = await Client.SendAsync(cw);
        Assert.That(cwResponse.Headers.CacheControl?.ToString(), Does.Contain("no-store").And.Contain("private"));
        var cwHit = System.Text.Json.JsonDocument.Parse(await cwResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0];
        Assert.That(cwHit.GetProperty("id").GetString(), Is.EqualTo(shelter));
        Assert.That(cwHit.TryGetProperty("approximate", out _), Is.False);
        Assert.That(cwHit.GetProperty("distance").GetProperty("km").GetDouble(),
            Is.EqualTo(Math.Round(ReferralDirectory.Geo.GeoMath.DistanceKm(39.0051, -92.1602, 39.0030, -92.1564), 2)));
        Assert.That(cwHit.GetProperty("latitude").GetDouble(), Is.EqualTo(39.003));
        Assert.That(cwHit.GetProperty("street1").GetString(), Is.EqualTo("Route B, Box 18"));
        Assert.That(cwHit.GetProperty("town").GetString(), Is.EqualTo("Hallsville"));
        var pubHit = (await Client.GetJsonAsync(near)).GetProperty("results")[0];
        Assert.That(pubHit.GetProperty("approximate").GetBoolean(), Is.True);
        Assert.That(pubHit.TryGetProperty("latitude", out _), Is.False);
        // A forged caseworker token gets the public view, never the exact one.
        using var forged = new HttpRequestMessage(HttpMethod.Get, $"/v1/resources/{shelter}").With(TestTokens.BadSignature(Roles.Caseworker));
        var forgedBody = await (await Client.SendAsync(forged)).Content.ReadAsStringAsync();
        Assert.That(forgedBody, Does.Not.Contain("39.003").And.Not.Contain("Hallsville"));
    }
}
