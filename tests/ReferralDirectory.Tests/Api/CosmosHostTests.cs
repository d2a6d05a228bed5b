using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Api;

/// <summary>The service with <c>Storage:Provider = Cosmos</c> on the Cosmos-protocol server: several hosts, outages.</summary>
public sealed class CosmosHostTests
{
    private static Listing Clinic(string id, double lat = 37.1500, double lon = -94.4500) => new()
    {
        Id = id,
        Kind = ListingKinds.VictimServiceAgency,
        Name = $"Clinic {id}",
        Services = [new Service { Id = $"{id}-1", Name = "Medical care", TaxonomyCodes = ["medical-care"] }],
        Locations = [new Location { Id = $"{id}-l1", Latitude = lat, Longitude = lon, Address = new Address { City = "Joplin", State = "MO", CountyFips = "29097" } }],
        Populations = ["adults"],
    };

    private static readonly Actor Admin = new("oid-admin", "Admin");

    /// <summary>The timing bound is TwoInstanceSyncTests' (counted in sync cycles); this one follows one listing's life.</summary>
    [Test]
    public async Task A_write_retire_and_purge_through_one_host_reach_searches_on_another()
    {
        var server = CosmosServer.Instance;
        var settings = server.Settings("rd-" + Guid.NewGuid().ToString("N"));
        settings["Storage:SyncIntervalSeconds"] = "0.5";
        using var a = new DirectoryApp(settings: settings);
        using var clientA = a.Client();
        using var b = new DirectoryApp(settings: settings);
        using var clientB = b.Client();
        const string query = "/v1/resources/nearest?lat=37.15&lon=-94.45&service=medical-care&limit=1";
        Assert.That((await clientB.GetJsonAsync(query)).Ids("results"), Is.Not.EqualTo(new[] { "two-host-clinic" }));

        var directory = a.Service<DirectoryService>();
        var created = await directory.CreateAsync(Clinic("two-host-clinic"), Admin);
        await WaitUntil(async () => (await clientB.GetJsonAsync(query)).Ids("results").SequenceEqual(["two-host-clinic"]));
        Assert.That((await clientA.GetJsonAsync(query)).Ids("results"), Is.EqualTo(new[] { "two-host-clinic" }), "the writer finds it at once");

        a.Time.Set(a.Time.GetUtcNow().AddSeconds(1)); // audit ids sort by the service's clock
        var retired = await directory.RetireAsync("two-host-clinic", created.ETag, Admin);
        await WaitUntil(async () => !(await clientB.GetJsonAsync(query)).Ids("results").Contains("two-host-clinic"));
        a.Time.Set(a.Time.GetUtcNow().AddSeconds(1));
        await directory.PurgeAsync("two-host-clinic", retired.ETag, Admin);
        await WaitUntil(async () => (await clientB.GetAsync("/v1/resources/two-host-clinic")).StatusCode == HttpStatusCode.NotFound);
        Assert.That((await b.Service<IDirectoryStore>().QueryAuditAsync(new AuditQuery { ListingId = "two-host-clinic" })).Select(e => e.Action),
            Is.EqualTo(new[] { "purge", "retire", "create" }));
    }

    /// <summary>Waits for a condition; the 30 s are a guard against hanging, not a measurement.</summary>
    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail("not within 30 s");
            await Task.Delay(25);
        }
    }

    /// <summary>Creates a clinic through the real admin API (a Directory.Admin token).</summary>
    private static async Task<HttpResponseMessage> CreateClinicAsync(HttpClient client, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/listings").With(TestTokens.For(ReferralDirectory.Api.Auth.Roles.Admin));
        request.Content = JsonContent.Create(new
        {
            id, kind = "victim-service-agency", name = "Clinic " + id,
            services = new[] { new { name = "Medical care", taxonomyCodes = new[] { "medical-care" } } },
            locations = new[] { new { latitude = 37.15, longitude = -94.45, address = new { city = "Joplin", state = "MO" } } },
        });
        return await client.SendAsync(request);
    }

    [Test]
    public async Task While_the_store_is_down_searches_answer_writes_get_503_with_retry_after_and_acknowledged_writes_survive()
    {
        var server = CosmosServer.Instance;
        await using var proxy = await FaultProxy.StartAsync(server.Endpoint);
        var database = "rd-" + Guid.NewGuid().ToString("N");
        var settings = server.Settings(database);
        settings["Storage:Cosmos:AccountEndpoint"] = proxy.Endpoint;
        settings["Storage:Resilience:MaxRetries"] = "1";
        settings["Storage:Resilience:BaseDelay"] = "00:00:00.010";
        settings["Storage:Resilience:BreakerMinimumThroughput"] = "4";
        settings["Storage:Resilience:BreakDuration"] = "00:00:03";
        using var app = new DirectoryApp(seedDemo: false, settings: settings);
        using var client = app.Client();
        Assert.That((await CreateClinicAsync(client, "acknowledged")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await client.GetJsonAsync("/health/ready")).GetProperty("status").GetString(), Is.EqualTo("Healthy"));

        proxy.Inject(FaultProxy.Fault.Unavailable);
        const string query = "/v1/resources/nearest?lat=37.15&lon=-94.45&service=medical-care&limit=1";
        for (var i = 0; i < 3; i++)
        {
            var refused = await CreateClinicAsync(client, $"refused-{i}");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((await client.GetJsonAsync(query)).Ids("results"), Is.EqualTo(new[] { "acknowledged" }), "searches answer from memory");
        }
        var ready = await client.GetJsonAsync("/health/ready", expectedStatus: 200); // degraded, not out of rotation: searches still work
        Assert.That(ready.GetProperty("status").GetString(), Is.EqualTo("Degraded"));
        Assert.That(ready.GetProperty("inRotation").GetBoolean(), Is.True);
        Assert.That(ready.GetProperty("checks").GetProperty("store").GetProperty("status").GetString(), Is.EqualTo("Degraded"));
        Assert.That(ready.GetProperty("checks").GetProperty("store").GetProperty("description").GetString(),
            Is.EqualTo("Store unreachable: searches answer from memory, writes answer 503."));

        proxy.Heal();
        app.Time.Set(app.Time.GetUtcNow().AddSeconds(4)); // the breaker's clock is the service's clock
        Assert.That((await CreateClinicAsync(client, "after")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await client.GetJsonAsync("/health/ready")).GetProperty("checks").GetProperty("store").GetProperty("status").GetString(), Is.EqualTo("Healthy"));

        // A fresh host straight on the server: what was acknowledged is there, what was refused is not.
        using var fresh = new DirectoryApp(seedDemo: false, settings: server.Settings(database));
        var ids = new List<string>();
        await foreach (var s in fresh.Service<IDirectoryStore>().ReadAllAsync(includeRetired: true)) ids.Add(s.Listing.Id);
        Assert.That(ids, Is.EqualTo(new[] { "acknowledged", "after" }));
    }
}
