using System.Net;
using System.Text.Json;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Safety;

public sealed class PublicAccessTests
{
    [Test]
    public async Task Anonymous_searches_are_rate_limited_with_retry_after_and_partner_keys_get_their_own_quota()
    {
        using var app = new DirectoryApp(settings: new Dictionary<string, string?> { ["RateLimits:AnonymousPerMinute"] = "5" });
        using var client = app.Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++) statuses.Add((await client.GetAsync("/v1/hotlines?lat=38.6&lon=-90.2")).StatusCode);
        Assert.That(statuses.Take(5), Is.All.EqualTo(HttpStatusCode.OK));
        using var limited = await client.GetAsync("/v1/hotlines?lat=38.6&lon=-90.2");
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Headers.RetryAfter?.Delta?.TotalSeconds, Is.GreaterThan(0).And.LessThanOrEqualTo(60));
        Assert.That(limited.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));

        // An admin makes a partner key with 3 requests a minute: shown once, stored hashed.
        var admin = TestTokens.For(Roles.Admin);
        var made = await client.SendAsync(HttpMethod.Post, "/v1/admin/api-keys", admin, new { name = "Partner App", requestsPerMinute = 3 });
        Assert.That(made.Status, Is.EqualTo(HttpStatusCode.Created), made.Body.ToString());
        var key = made.Body.GetProperty("key").GetString()!;
        var id = made.Body.GetProperty("apiKey").GetProperty("id").GetString()!;
        var listed = await client.SendAsync(HttpMethod.Get, "/v1/admin/api-keys", admin);
        Assert.That(listed.Body.ToString(), Does.Not.Contain(key));
        var stored = await app.Service<ReferralDirectory.Storage.IDirectoryStore>().ListApiKeysAsync();
        Assert.That(JsonSerializer.Serialize(stored), Does.Not.Contain(key));

        async Task<HttpStatusCode> WithKey(string k)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, "/v1/hotlines?lat=38.6&lon=-90.2");
            req.Headers.Add("X-Api-Key", k);
            return (await client.SendAsync(req)).StatusCode;
        }
        // The partner is not limited by the exhausted anonymous quota; it has its own.
        Assert.That(new[] { await WithKey(key), await WithKey(key), await WithKey(key) }, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(await WithKey(key), Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(await WithKey("rdk_not-a-real-key"), Is.EqualTo(HttpStatusCode.TooManyRequests), "a guessed key counts against the caller's address, spent above");

        var revoked = await client.SendAsync(HttpMethod.Delete, $"/v1/admin/api-keys/{id}", admin);
        Assert.That(revoked.Status, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await WithKey(key), Is.EqualTo(HttpStatusCode.TooManyRequests), "a revoked key is no key: the address's quota, spent");
        var audit = await client.SendAsync(HttpMethod.Get, "/v1/admin/audit?action=api-key-revoke", admin);
        Assert.That(audit.Body.GetProperty("entries").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task Guessed_keys_and_tokens_without_a_directory_role_get_the_anonymous_quota()
    {
        using var app = new DirectoryApp(settings: new Dictionary<string, string?> { ["RateLimits:AnonymousPerMinute"] = "3" });
        using var client = app.Client();
        async Task<HttpStatusCode> Get(string? key = null, string? token = null)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, "/v1/taxonomy").With(token);
            if (key is not null) req.Headers.Add("X-Api-Key", key);
            using var response = await client.SendAsync(req);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            return response.StatusCode;
        }
        // A token with no directory role is as anonymous as no token; a guessed key is refused, and costs the quota.
        var roleless = TestTokens.For();
        Assert.That(new[] { await Get(), await Get(token: roleless), await Get(key: "rdk_guess-1") },
            Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized }));
        Assert.That(new[] { await Get(key: "rdk_guess-2"), await Get(token: roleless), await Get() }, Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        // A caseworker is limited per person, not by the office's shared address.
        Assert.That(await Get(token: TestTokens.For(Roles.Caseworker)), Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Behind_the_ingress_each_client_address_has_its_own_limit_only_when_forwarded_headers_are_trusted()
    {
        // Trusted: forwarded headers on, and the peer (this test, on loopback) is a configured proxy. Not trusted: off, or on
        // but the peer is outside the configured proxy networks (a client spoofing X-Forwarded-For straight at the service).
        foreach (var (trusted, settings) in new (bool, Dictionary<string, string?>)[]
        {
            (true, new() { ["ForwardedHeaders:Enabled"] = "true", ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" }),
            (false, new() { ["ForwardedHeaders:Enabled"] = "false" }),
            (false, new() { ["ForwardedHeaders:Enabled"] = "true", ["ForwardedHeaders:KnownNetworks:0"] = "10.40.0.0/23" }),
        })
        {
            settings["RateLimits:AnonymousPerMinute"] = "2";
            using var app = new DirectoryApp(settings: settings);
            using var client = app.Client();
            async Task<HttpStatusCode> From(string ip)
            {
                using var req = new HttpRequestMessage(HttpMethod.Get, "/v1/taxonomy");
                req.Headers.Add("X-Forwarded-For", ip);
                return (await client.SendAsync(req)).StatusCode;
            }
            Assert.That(new[] { await From("203.0.113.1"), await From("203.0.113.1") }, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(await From("203.0.113.1"), Is.EqualTo(HttpStatusCode.TooManyRequests));
            // Another client behind the same ingress: its own quota only when the ingress's header is trusted.
            Assert.That(await From("198.51.100.7"), Is.EqualTo(trusted ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests), $"trusted: {trusted}");
            if (!trusted)
            {
                // Rotating made-up addresses gains nothing: 10 more requests, 10 refusals.
                var rotated = new List<HttpStatusCode>();
                for (var i = 0; i < 10; i++) rotated.Add(await From($"192.0.2.{i + 10}"));
                Assert.That(rotated, Is.All.EqualTo(HttpStatusCode.TooManyRequests));
            }
        }
    }

    [Test]
    public async Task Public_reads_carry_etag_and_cache_control_and_answer_304()
    {
        using var app = new DirectoryApp();
        using var client = app.Client();
        using var first = await client.GetAsync("/v1/taxonomy");
        var etag = first.Headers.ETag;
        Assert.That(etag, Is.Not.Null);
        Assert.That(first.Headers.CacheControl?.Public, Is.True);
        Assert.That(first.Headers.CacheControl?.MaxAge, Is.EqualTo(TimeSpan.FromSeconds(60)));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/v1/taxonomy");
        again.Headers.IfNoneMatch.Add(etag!);
        using var second = await client.SendAsync(again);
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        // A search's ETag changes when the answer does.
        using var a = await client.GetAsync("/v1/resources/nearest?lat=38.6&lon=-90.2&limit=1");
        using var b = await client.GetAsync("/v1/resources/nearest?lat=39.1&lon=-94.6&limit=1");
        Assert.That(a.Headers.ETag, Is.Not.EqualTo(b.Headers.ETag));
    }

    [Test]
    public async Task Every_response_carries_security_headers_and_cors_follows_configuration()
    {
        using var app = new DirectoryApp(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://partner.example.org" });
        using var client = app.Client();
        foreach (var url in new[] { "/v1/taxonomy", "/v1/resources/nearest?lat=999", "/v1/admin/audit", "/no/such/route" })
        {
            using var r = await client.GetAsync(url);
            Assert.That(r.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), url);
            Assert.That(r.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"), url);
            Assert.That(r.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"), url);
            Assert.That(r.Headers.Contains("Server"), Is.False, url);
        }
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/v1/taxonomy");
        allowed.Headers.Add("Origin", "https://partner.example.org");
        using var ok = await client.SendAsync(allowed);
        Assert.That(ok.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://partner.example.org"));
        using var other = new HttpRequestMessage(HttpMethod.Get, "/v1/taxonomy");
        other.Headers.Add("Origin", "https://evil.example.com");
        using var no = await client.SendAsync(other);
        Assert.That(no.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }
}
