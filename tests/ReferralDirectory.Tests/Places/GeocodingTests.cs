using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Places;

/// <summary>
/// Admin geocoding: off by default (gazetteer); with Azure Maps configured, a loopback server speaking its Search
/// Address protocol stands in for it (Azure itself cannot be reached from here), so retries, fallbacks and what is
/// sent can be checked for real over HTTP.
/// </summary>
public sealed class GeocodingTests
{
    private sealed class FakeAzureMaps : IAsyncDisposable
    {
        private readonly WebApplication _app;
        public ConcurrentQueue<string> Requests { get; } = new();
        /// <summary>When each request arrived (a monotonic clock).</summary>
        public List<TimeSpan> Arrivals { get; } = [];
        /// <summary>Sent as Retry-After with every 429 when set.</summary>
        public volatile int RetryAfterSeconds;
        public volatile Func<int, (int Status, string Body, TimeSpan Delay)> Behavior = _ => (200, Found, TimeSpan.Zero);
        public string Endpoint { get; }

        public const string Found = """{"summary":{"numResults":1},"results":[{"type":"Point Address","score":11.8,"address":{"streetNumber":"701","streetName":"E Broadway","municipality":"Columbia","countrySecondarySubdivision":"Boone","countrySubdivision":"MO","postalCode":"65201"},"position":{"lat":38.95143,"lon":-92.32886}}]}""";

        private FakeAzureMaps(WebApplication app, string endpoint) { _app = app; Endpoint = endpoint; }

        public static async Task<FakeAzureMaps> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            FakeAzureMaps? self = null;
            var count = 0;
            app.Run(async ctx =>
            {
                lock (self!.Arrivals) self.Arrivals.Add(TimeSpan.FromTicks(System.Diagnostics.Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency));
                self.Requests.Enqueue(ctx.Request.Path + ctx.Request.QueryString);
                var (status, body, delay) = self.Behavior(Interlocked.Increment(ref count));
                if (status == 429 && self.RetryAfterSeconds > 0) ctx.Response.Headers.RetryAfter = self.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (delay > TimeSpan.Zero) await Task.Delay(delay, ctx.RequestAborted);
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(body);
            });
            await app.StartAsync();
            self = new FakeAzureMaps(app, app.Urls.First());
            return self;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private static DirectoryApp App(FakeAzureMaps? maps) => new(settings: maps is null ? null : new Dictionary<string, string?>
    {
        ["Geocoding:Provider"] = "AzureMaps",
        ["Geocoding:AzureMapsEndpoint"] = maps.Endpoint,
        ["Geocoding:AzureMapsKey"] = "test-maps-key",
        ["Geocoding:TimeoutSeconds"] = "1",
        ["Geocoding:MaxRetries"] = "2",
    });

    private static readonly object Address = new { street1 = "701 E Broadway", city = "Columbia", state = "MO", postalCode = "65201" };

    [Test]
    public async Task Off_by_default_the_gazetteer_gives_the_zip_centre()
    {
        using var app = App(null);
        using var client = app.Client();
        var answer = await client.SendAsync(HttpMethod.Post, "/v1/admin/geocode", TestTokens.For(Roles.Editor), Address);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body.ToString());
        Assert.That(answer.Body.GetProperty("source").GetString(), Is.EqualTo("gazetteer-zip"));
        Assert.That(answer.Body.GetProperty("approximate").GetBoolean(), Is.True);
        Assert.That(answer.Body.GetProperty("countyFips").GetString(), Is.EqualTo("29019"));
        var town = await client.SendAsync(HttpMethod.Post, "/v1/admin/geocode", TestTokens.For(Roles.Editor), new { city = "Jefferson City", state = "MO" });
        Assert.That(town.Body.GetProperty("source").GetString(), Is.EqualTo("gazetteer-town"));
        Assert.That(town.Body.GetProperty("countyFips").GetString(), Is.EqualTo("29051"));
        var nowhere = await client.SendAsync(HttpMethod.Post, "/v1/admin/geocode", TestTokens.For(Roles.Editor), new { city = "Atlantis", state = "MO" });
        Assert.That(nowhere.Status, Is.EqualTo(HttpStatusCode.NotFound));
        var anonymous = await client.SendAsync(HttpMethod.Post, "/v1/admin/geocode", null, Address);
        Assert.That(anonymous.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Azure_maps_answers_after_a_transient_failure_and_gets_the_key_and_address()
    {
        await using var maps = await FakeAzureMaps.StartAsync();
        maps.Behavior = n => n == 1 ? (503, "{}", TimeSpan.Zero) : (200, FakeAzureMaps.Found, TimeSpan.Zero);
        using var app = App(maps);
        using var client = app.Client();
        var answer = await client.SendAsync(HttpMethod.Post, "/v1/admin/geocode", TestTokens.For(Roles.Editor), Address);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body.ToString());
        Assert.That(answer.Body.GetProperty("source").GetString(), Is.EqualTo("azure-maps"));
        Assert.That(answer.Body.GetProperty("latitude").GetDouble(), Is.EqualTo(38.95143));
        Assert.That(answer.Body.GetProperty("approximate").GetBoolean(), Is.False);
        Assert.That(maps.Requests, Has.Count.EqualTo(2), "one retry after the 503");
        var sent = Uri.UnescapeDataString(maps.Requests.Last());
        Assert.That(sent, Does.StartWith("/search/address/json?api-version=1.0").And.Contain("subscription-key=test-maps-key").And.Contain("query=701 E Broadway, Columbia, MO, 65201"));
        // Neither the key nor the address reach the service's logs.
        Assert.That(app.Logs.Entries.Where(e => e.Message.Contains("test-maps-key") || e.Message.Contains("701 E Broadway")), Is.Empty);
    }

    [Test]
    public async Task A_429_with_retry_after_is_retried_no_sooner_than_asked()
    {
        await using var maps = await FakeAzureMaps.StartAsync();
        maps.Behavior = n => n == 1 ? (429, "{}", TimeSpan.Zero) : (200, FakeAzureMaps.Found, TimeSpan.Zero);
        maps.RetryAfterSeconds = 2;
        using var app = App(maps);
        using var client = app.Client();
        var answer = await client.SendAsync(HttpMethod.Post, "/v1/admin/geocode", TestTokens.For(Roles.Editor), Address);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body.ToString());
        Assert.That(answer.Body.GetProperty("source").GetString(), Is.EqualTo("azure-maps"));
        Assert.That(maps.Requests, Has.Count.EqualTo(2), "one retry after the 429");
        // The retry waited for the Retry-After the server asked for (2 s), not the 200 ms backoff.
        var gap = maps.Arrivals[1] - maps.Arrivals[0];
        Assert.That(gap, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9)), $"retried after {gap.TotalMilliseconds:N0} ms");
    }

    [TestCase(401, 0, TestName = "Azure Maps refuses the key: the gazetteer answers")]
    [TestCase(200, 3, TestName = "Azure Maps is too slow: the gazetteer answers")]
    [TestCase(500, 0, TestName = "Azure Maps keeps failing: the gazetteer answers")]
    public async Task When_azure_maps_fails_the_gazetteer_answers_and_says_so(int status, int delaySeconds)
    {
        await using var maps = await FakeAzureMaps.StartAsync();
        maps.Behavior = _ => (status, status == 200 ? FakeAzureMaps.Found : "{\"error\":{\"code\":\"x\"}}", TimeSpan.FromSeconds(delaySeconds));
        using var app = App(maps);
        using var client = app.Client();
        var answer = await client.SendAsync(HttpMethod.Post, "/v1/admin/geocode", TestTokens.For(Roles.Editor), Address);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body.ToString());
        Assert.That(answer.Body.GetProperty("source").GetString(), Is.EqualTo("gazetteer-zip"));
        Assert.That(answer.Body.GetProperty("note").GetString(), Does.Contain("area's centre"));
    }

    [Test]
    public async Task Bad_geocode_requests_are_400()
    {
        using var app = App(null);
        using var client = app.Client();
        var editor = TestTokens.For(Roles.Editor);
        Assert.That((await client.SendAsync(HttpMethod.Post, "/v1/admin/geocode", editor, new { street1 = "1 Main" })).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await client.SendAsync(HttpMethod.Post, "/v1/admin/geocode", editor, new { city = new string('x', 500), state = "MO" })).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await client.SendAsync(HttpMethod.Post, "/v1/admin/geocode", editor, rawBody: "{\"city\": 5}")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
