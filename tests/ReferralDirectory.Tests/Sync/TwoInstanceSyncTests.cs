using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Sync;

/// <summary>
/// Two real instances of the service, A and B, on the Cosmos-protocol server; B reaches it through the fault proxy.
/// 100 listings are created on A through the admin API, then all retired, while a poller watches B's search index.
/// The bound is counted in B's own sync cycles, not in wall-clock time (a loaded 2-core machine stretches cycles,
/// not their count): a write acknowledged on A is in B's index by the end of the third B cycle that was not yet
/// over when A acknowledged it (normally the second: the cycle under way may have read just before the commit;
/// with a hung change query, the cut cycle and its immediate retry).
/// B syncs every 1 s; the wall-clock figures are printed, and the benchmark (<c>sync-lag</c>) prints them for
/// separate processes.
/// </summary>
public sealed class TwoInstanceSyncTests
{
    private const int Writes = 100;
    /// <summary>The text of the change query on listings (the full load runs it too, before the hold is set).</summary>
    private const string ChangeQuery = "c.type = 'listing' AND c.seq > @seq";

    [Test]
    public Task Every_write_and_retire_on_one_instance_is_on_the_other_within_three_of_its_sync_cycles() => RunAsync(holdOneChangeQuery: false);

    [Test]
    public Task Every_write_and_retire_is_on_the_other_instance_within_three_of_its_sync_cycles_when_a_change_query_hangs_for_30_s() => RunAsync(holdOneChangeQuery: true);

    private sealed record Observed(string Id, long Cycles, TimeSpan Wall);

    private static async Task RunAsync(bool holdOneChangeQuery)
    {
        var server = CosmosServer.Instance;
        await using var proxy = await FaultProxy.StartAsync(server.Endpoint);
        var database = "rd-" + Guid.NewGuid().ToString("N");
        var settingsA = server.Settings(database);
        settingsA["Storage:SyncIntervalSeconds"] = "1";
        var settingsB = server.Settings(database);
        settingsB["Storage:SyncIntervalSeconds"] = "1";
        settingsB["Storage:Cosmos:AccountEndpoint"] = proxy.Endpoint;
        using var a = new DirectoryApp(seedDemo: false, settings: settingsA);
        using var clientA = a.Client();
        using var b = new DirectoryApp(seedDemo: false, settings: settingsB);
        using var clientB = b.Client();
        var status = b.Service<SyncStatus>();
        var indexB = b.Service<DirectoryIndex>();
        var token = TestTokens.For(Roles.Admin);
        var ids = Enumerable.Range(0, Writes).Select(i => $"sync-{i:D3}").ToArray();
        var etags = new ConcurrentDictionary<string, string>();

        var storeA = a.Service<IDirectoryStore>();
        var created = await TrackAsync(ids, storeA, status, indexB, present: true, async (id, i) =>
        {
            if (holdOneChangeQuery && i == 20) proxy.Hold(body => body.Contains(ChangeQuery, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            var listing = AdminClient.NewListing(id);
            listing["name"] = $"Listing {i}";
            var answer = await clientA.SendAsync(HttpMethod.Post, "/v1/admin/listings", token, listing);
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Created), answer.Body.ToString());
            etags[id] = answer.Response.Headers.GetValues("ETag").Single(); // the store's ETag, as the admin API sends it
        });
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            Assert.That((await clientB.GetJsonAsync($"/v1/resources/{id}")).GetProperty("name").GetString(), Is.EqualTo($"Listing {i}"), "B answers it over HTTP");

        var retired = await TrackAsync(ids, storeA, status, indexB, present: false, async (id, i) =>
        {
            if (holdOneChangeQuery && i == 20) proxy.Hold(body => body.Contains(ChangeQuery, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            var answer = await clientA.SendAsync(HttpMethod.Post, $"/v1/admin/listings/{id}/retire", token, ifMatch: etags[id]);
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body.ToString());
        });
        foreach (var id in ids)
            Assert.That((await clientB.GetAsync($"/v1/resources/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "B no longer answers it");

        Print(holdOneChangeQuery ? "with one change query held 30 s in each phase" : "no faults", created, retired, status, proxy);
        Assert.That(created.Where(o => o.Cycles > 3).Select(o => $"{o.Id}: {o.Cycles} cycles"), Is.Empty, "creates seen on B within 3 of its cycles");
        Assert.That(retired.Where(o => o.Cycles > 3).Select(o => $"{o.Id}: {o.Cycles} cycles"), Is.Empty, "retires gone from B within 3 of its cycles");
        if (holdOneChangeQuery)
        {
            Assert.That(proxy.Held, Is.EqualTo(2), "one change query of B was held in each phase");
            Assert.That(status.CyclesTimedOut, Is.GreaterThanOrEqualTo(2), "each held query was cut at the cycle's time limit");
            Assert.That(status.ConnectionRecycles, Is.GreaterThanOrEqualTo(2));
            Assert.That(b.Logs.Entries.Count(l => l.Level == LogLevel.Warning && l.Message.Contains("time limit", StringComparison.Ordinal)),
                Is.GreaterThanOrEqualTo(2), "a cut cycle is logged as a warning");
        }
    }

    /// <summary>
    /// Runs the writes on A one after another while a poller watches B's index. For each write: the change sequence
    /// it got (the store's latest right after it, nobody else writing), the number of B's cycles that had ended when
    /// A acknowledged it, and, from B's own cycle reports, the first B cycle whose index had applied that sequence.
    /// Cycles involved = that cycle's number minus the cycles ended at the acknowledgement (the cycle under way then
    /// counts, though it may have read before the commit). Wall time: acknowledgement to the poller seeing it.
    /// </summary>
    private static async Task<List<Observed>> TrackAsync(string[] ids, IDirectoryStore storeA, SyncStatus status, DirectoryIndex index, bool present,
        Func<string, int, Task> write)
    {
        var acked = new ConcurrentDictionary<string, (long Ended, long Sequence, long At)>();
        var seen = new ConcurrentDictionary<string, long>();
        var cycles = new ConcurrentQueue<SyncCycle>();
        void OnEnded(SyncCycle c) => cycles.Enqueue(c);
        status.Ended += OnEnded;
        try
        {
            using var stop = new CancellationTokenSource();
            var poller = Task.Run(async () =>
            {
                while (seen.Count < ids.Length && !stop.IsCancellationRequested)
                {
                    var snapshot = index.Current;
                    var now = Stopwatch.GetTimestamp();
                    foreach (var id in ids)
                        if (!seen.ContainsKey(id) && (snapshot.Get(id) is not null) == present) seen[id] = now;
                    await Task.Delay(5);
                }
            });
            var writeMs = new List<double>();
            for (var i = 0; i < ids.Length; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await write(ids[i], i);
                var (ended, at) = (status.CyclesEnded, Stopwatch.GetTimestamp());
                writeMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                acked[ids[i]] = (ended, await storeA.LatestSequenceAsync(), at);
            }
            // A guard against hanging, not a measurement: the bound is about 3 s.
            if (await Task.WhenAny(poller, Task.Delay(TimeSpan.FromSeconds(90))) != poller) await stop.CancelAsync();
            await poller;
            Assert.That(ids.Where(id => !seen.ContainsKey(id)), Is.Empty, present ? "every create shows on B" : "every retire vanishes from B");
            var last = acked.Values.Max(a => a.Sequence);
            while (!cycles.Any(c => c.AppliedSequence >= last)) await Task.Delay(5); // the applying cycle's report follows its index update
            writeMs.Sort();
            TestContext.Out.WriteLine($"  {(present ? "create" : "retire")} on A: median {writeMs[writeMs.Count / 2]:F0} ms, max {writeMs[^1]:F0} ms");
            var reports = cycles.ToArray();
            return [.. ids.Select(id => new Observed(id,
                reports.Where(c => c.AppliedSequence >= acked[id].Sequence).Min(c => c.Number) - acked[id].Ended,
                seen[id] > acked[id].At ? Stopwatch.GetElapsedTime(acked[id].At, seen[id]) : TimeSpan.Zero))];
        }
        finally
        {
            status.Ended -= OnEnded;
        }
    }

    private static void Print(string label, List<Observed> created, List<Observed> retired, SyncStatus status, FaultProxy proxy)
    {
        static string Figures(List<Observed> o)
        {
            var ms = o.Select(x => x.Wall.TotalMilliseconds).Order().ToArray();
            double P(double q) => ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(q * ms.Length) - 1)];
            var cycles = string.Join(", ", o.GroupBy(x => x.Cycles).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
            return $"ack-to-B ms median {P(0.5):F0}, p99 {P(0.99):F0}, max {ms[^1]:F0}; B cycles involved {{{cycles}}}";
        }
        TestContext.Out.WriteLine($"Two instances, B syncs every {status.Interval.TotalSeconds} s (time limit {status.Timeout.TotalSeconds} s), {label}:");
        TestContext.Out.WriteLine($"  creates: {Figures(created)}");
        TestContext.Out.WriteLine($"  retires: {Figures(retired)}");
        TestContext.Out.WriteLine($"  B: {status.CyclesEnded} cycles, {status.CyclesSucceeded} in step, {status.CyclesTimedOut} cut at the time limit, " +
                                  $"{status.CyclesAbandoned} abandoned, {status.ConnectionRecycles} connection recycles; proxy held {proxy.Held}");
    }
}
