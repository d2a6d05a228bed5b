using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Model;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Sync;

/// <summary>
/// The sync lag made visible: an instance whose change queries hang (the fault proxy holds every one) while the
/// store otherwise answers it. Another instance's writes pile up; the instance's <c>/health/ready</c> turns Degraded
/// with its lag and how far behind it is, answers 503 (out of rotation: its peers are in step), the metrics say the
/// same, and it comes back Healthy once the queries answer again and it has caught up.
/// </summary>
public sealed class SyncHealthTests
{
    private const string ChangeQuery = "c.type = 'listing' AND c.seq > @seq";

    private static Listing Clinic(string id) => new()
    {
        Id = id,
        Kind = ListingKinds.VictimServiceAgency,
        Name = $"Clinic {id}",
        Services = [new Service { Id = $"{id}-1", Name = "Medical care", TaxonomyCodes = ["medical-care"] }],
        Locations = [new Location { Id = $"{id}-l1", Latitude = 37.15, Longitude = -94.45, Address = new Address { City = "Joplin", State = "MO", CountyFips = "29097" } }],
        Populations = ["adults"],
    };

    [Test]
    public async Task A_stalled_sync_turns_ready_degraded_and_out_of_rotation_then_healthy_once_it_has_caught_up()
    {
        var server = CosmosServer.Instance;
        await using var proxy = await FaultProxy.StartAsync(server.Endpoint);
        var database = "rd-" + Guid.NewGuid().ToString("N");
        var settings = server.Settings(database);
        settings["Storage:SyncIntervalSeconds"] = "0.5";
        settings["Storage:Cosmos:AccountEndpoint"] = proxy.Endpoint;
        settings["Logging:LogLevel:ReferralDirectory.Api.Infrastructure.IndexSyncService"] = "Information";
        using var app = new DirectoryApp(seedDemo: false, settings: settings);
        using var client = app.Client();
        var status = app.Service<SyncStatus>();
        var otherInstance = server.Store(database); // another instance's store client, straight on the server
        using var metrics = new SyncMetrics(status);

        var ready = await client.GetJsonAsync("/health/ready");
        Assert.That(ready.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(Sync(ready).GetProperty("data").GetProperty("behind").GetInt64(), Is.EqualTo(0));

        proxy.Hold(body => body.Contains(ChangeQuery, StringComparison.Ordinal), TimeSpan.FromSeconds(30), count: int.MaxValue);
        string[] ids = ["held-1", "held-2", "held-3"];
        foreach (var id in ids) await otherInstance.CreateAsync(Clinic(id));

        var degraded = await WaitForReadyAsync(client, "Degraded");
        Assert.That(degraded.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "out of rotation: the store answers, so this instance alone is stale");
        Assert.That(degraded.Body.GetProperty("inRotation").GetBoolean(), Is.False);
        Assert.That(degraded.Body.GetProperty("checks").GetProperty("store").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        var sync = Sync(degraded.Body);
        Assert.That(sync.GetProperty("status").GetString(), Is.EqualTo("Degraded"));
        Assert.That(sync.GetProperty("description").GetString(), Does.StartWith("Behind the store: last in step ").And.EndWith(" s ago, past the 1.5 s bound. Searches answer from an older index."));
        var data = sync.GetProperty("data");
        Assert.That(data.GetProperty("boundSeconds").GetDouble(), Is.EqualTo(1.5));
        Assert.That(data.GetProperty("lagSeconds").GetDouble(), Is.GreaterThan(1.5), "Degraded exactly when the lag passed the bound");
        Assert.That(data.GetProperty("behind").GetInt64(), Is.EqualTo(3), "the three writes made meanwhile");
        Assert.That(data.GetProperty("latestSequence").GetInt64(), Is.EqualTo(3));
        Assert.That(data.GetProperty("appliedSequence").GetInt64(), Is.EqualTo(0));
        Assert.That(data.GetProperty("lastOutcome").GetString(), Is.EqualTo("TimedOut"));
        Assert.That(data.GetProperty("source").GetString(), Is.EqualTo("ChangeQuery"));
        foreach (var id in ids) Assert.That((await client.GetAsync($"/v1/resources/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var (lag, behind) = metrics.Read();
        Assert.That(behind, Is.EqualTo(3), "directory.sync.behind");
        Assert.That(lag, Is.GreaterThan(1.5), "directory.sync.lag");
        Assert.That(app.Logs.Entries.Any(l => l.Level == LogLevel.Warning && l.Message.Contains("time limit", StringComparison.Ordinal)), Is.True, "cut cycles are logged");

        await WaitUntilAsync(() => OutOfStepWarnings(app) == 1); // the loop notices after its next cycle

        proxy.Heal();
        var healthy = await WaitForReadyAsync(client, "Healthy");
        Assert.That(healthy.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(healthy.Body.GetProperty("inRotation").GetBoolean(), Is.True);
        Assert.That(Sync(healthy.Body).GetProperty("data").GetProperty("behind").GetInt64(), Is.EqualTo(0));
        Assert.That(Sync(healthy.Body).GetProperty("data").GetProperty("appliedSequence").GetInt64(), Is.EqualTo(3));
        foreach (var id in ids) Assert.That((await client.GetJsonAsync($"/v1/resources/{id}")).GetProperty("name").GetString(), Is.EqualTo($"Clinic {id}"));
        Assert.That(metrics.Read().Behind, Is.EqualTo(0));
        Assert.That(OutOfStepWarnings(app), Is.EqualTo(1), "crossing the bound is logged once");
        Assert.That(app.Logs.Entries.Count(l => l.Level == LogLevel.Information && l.Message.StartsWith("Search index back in step with the store", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(proxy.Held, Is.GreaterThanOrEqualTo(2), "every change query meanwhile was held");
        Assert.That(metrics.CycleTags, Is.EquivalentTo(new[] { "outcome" }), "the only tag on sync metrics");
    }

    [Test]
    public async Task Live_answers_json_and_ready_names_its_checks()
    {
        using var app = new DirectoryApp(seedDemo: false);
        using var client = app.Client();
        var live = await client.GetAsync("/health/live");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(live.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(live.Headers.CacheControl?.NoStore, Is.True);
        var body = JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement;
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(body.GetProperty("checks").EnumerateObject().Count(), Is.EqualTo(0));
        var ready = await client.GetJsonAsync("/health/ready");
        Assert.That(ready.GetProperty("checks").GetProperty("directory").GetProperty("description").GetString(), Is.EqualTo("Search index loaded."));
        Assert.That(ready.GetProperty("checks").GetProperty("store").GetProperty("data").GetProperty("latestSequence").GetInt64(), Is.EqualTo(0));
        var data = Sync(ready).GetProperty("data");
        Assert.That(data.GetProperty("intervalSeconds").GetDouble(), Is.EqualTo(2));
        Assert.That(data.GetProperty("boundSeconds").GetDouble(), Is.EqualTo(6));
        Assert.That(data.GetProperty("source").GetString(), Is.EqualTo("ChangeQuery"));
    }

    private static JsonElement Sync(JsonElement ready) => ready.GetProperty("checks").GetProperty("sync");

    private static int OutOfStepWarnings(DirectoryApp app) =>
        app.Logs.Entries.Count(l => l.Level == LogLevel.Warning && l.Message.StartsWith("Search index out of step with the store", StringComparison.Ordinal));

    /// <summary>The 30 s are a guard against hanging, not a measurement.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail("not within 30 s");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls /health/ready until its status is <paramref name="wanted"/>; the 30 s are a guard against hanging.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> WaitForReadyAsync(HttpClient client, string wanted)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("/health/ready");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (body.GetProperty("status").GetString() == wanted) return (response.StatusCode, body);
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail($"/health/ready not {wanted} within 30 s: {body}");
            await Task.Delay(100);
        }
    }

    /// <summary>Reads the instance's own sync instruments (its meter, not another host's of the same name).</summary>
    private sealed class SyncMetrics : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, double> _last = new();
        private readonly ConcurrentDictionary<string, bool> _cycleTags = new();

        public SyncMetrics(SyncStatus status)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, status.Meter) && instrument.Name.StartsWith("directory.sync.", StringComparison.Ordinal)) l.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<double>((i, v, _, _) => _last[i.Name] = v);
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
            {
                _last[i.Name] = v;
                if (i.Name == "directory.sync.cycles") foreach (var t in tags) _cycleTags[t.Key] = true;
            });
            _listener.Start();
        }

        public IEnumerable<string> CycleTags => _cycleTags.Keys;

        public (double Lag, double Behind) Read()
        {
            _listener.RecordObservableInstruments();
            return (_last["directory.sync.lag"], _last["directory.sync.behind"]);
        }

        public void Dispose() => _listener.Dispose();
    }
}
