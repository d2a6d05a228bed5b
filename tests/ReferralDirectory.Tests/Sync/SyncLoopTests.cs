using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Demo;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Tests.Sync;

/// <summary>
/// The sync contract and loop on two instances of the embedded store sharing one SQLite file (A writes, B syncs).
/// The sources here wrap the real change query to put a real read at a chosen moment: between pages, across
/// another instance's write, or past the cycle's time limit; one ignores cancellation, as a hung library call can.
/// </summary>
public sealed class SyncLoopTests
{
    private string _dir = null!;
    private DirectoryService _a = null!;
    private DirectoryService _b = null!;
    private DirectoryIndex _indexB = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public async Task Open()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rd-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "directory.db");
        var storeA = new SqliteDirectoryStore(path, TimeProvider.System);
        await storeA.InitializeAsync();
        _a = new DirectoryService(storeA, new DirectoryIndex(ReferralDirectory.Safety.ConfidentialLocationPolicy.Default), TimeProvider.System);
        _indexB = new DirectoryIndex(ReferralDirectory.Safety.ConfidentialLocationPolicy.Default);
        _b = new DirectoryService(new SqliteDirectoryStore(path, TimeProvider.System), _indexB, TimeProvider.System);
        await _b.LoadIndexAsync();
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    }

    [TearDown]
    public void Close()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static Listing Sample(string id, string? name = null) =>
        DemoDirectory.Create(new DateOnly(2026, 1, 1)).Single(l => l.Id == "demo-boone-county-safe-house") with { Id = id, Name = name ?? "Listing " + id };

    private string? NameOnB(string id) => _indexB.Current.Get(id)?.Name;

    [Test]
    public async Task A_sync_cut_between_pages_keeps_the_pages_it_applied_and_the_next_one_goes_on_from_there()
    {
        foreach (var id in new[] { "p1", "p2", "p3", "p4", "p5" }) await _a.CreateAsync(Sample(id));
        using var cut = new CancellationTokenSource();
        var source = new Around(new ChangeQuerySource(_b.Store), after: (_, _) => { cut.Cancel(); return Task.CompletedTask; });
        Assert.CatchAsync<OperationCanceledException>(() => _b.SyncAsync(source, pageSize: 2, cut.Token));
        Assert.That(_b.SyncedPosition, Is.EqualTo(new SyncPosition(2, 0)));
        Assert.That(new[] { "p1", "p2", "p3" }.Select(NameOnB), Is.EqualTo(new[] { "Listing p1", "Listing p2", null }));

        var rest = await _b.SyncAsync(new ChangeQuerySource(_b.Store), pageSize: 2);
        Assert.That((rest.Applied, rest.Pages, rest.Position, rest.Superseded), Is.EqualTo((3, 2, new SyncPosition(5, 0), false)));
        Assert.That(new[] { "p3", "p4", "p5" }.Select(NameOnB), Is.EqualTo(new[] { "Listing p3", "Listing p4", "Listing p5" }));
    }

    [Test]
    public async Task A_page_read_before_another_sync_moved_the_position_is_dropped_so_an_older_state_never_wins()
    {
        var v1 = await _a.CreateAsync(Sample("x", "Version 1"));
        var gate = new TaskCompletionSource();
        // The first sync reads "Version 1", then waits (as a cycle the watchdog gave up on would) ...
        var stale = new Around(new ChangeQuerySource(_b.Store), after: async (_, _) => await gate.Task);
        var late = _b.SyncAsync(stale, pageSize: 100);
        // ... while the listing changes and a later sync applies "Version 2".
        await _a.ReplaceAsync(Sample("x", "Version 2"), v1.ETag);
        var current = await _b.SyncAsync(new ChangeQuerySource(_b.Store), pageSize: 100);
        Assert.That((current.Applied, current.Position), Is.EqualTo((1, new SyncPosition(2, 0))));
        Assert.That(NameOnB("x"), Is.EqualTo("Version 2"));

        gate.SetResult();
        var result = await late;
        Assert.That((result.Superseded, result.Applied, result.Position), Is.EqualTo((true, 0, new SyncPosition(2, 0))));
        Assert.That(NameOnB("x"), Is.EqualTo("Version 2"), "the late page of Version 1 was dropped");
    }

    [Test]
    public async Task Within_one_page_the_last_of_a_change_and_a_purge_wins()
    {
        var keep = await _a.CreateAsync(Sample("purged-late"));
        var again = await _a.CreateAsync(Sample("recreated"));
        await _a.PurgeAsync("recreated", again.ETag, new Actor("oid", "Admin"));
        await _a.CreateAsync(Sample("recreated", "Recreated"));
        // The change query reads "purged-late" live; it is purged before the purge query runs.
        var source = new Around(new ChangeQuerySource(_b.Store), between: (_b.Store, async () => await _a.PurgeAsync("purged-late", keep.ETag, new Actor("oid", "Admin"))));
        var result = await _b.SyncAsync(source, pageSize: 100);
        Assert.That(result.Position, Is.EqualTo(new SyncPosition(4, 5)));
        Assert.That(NameOnB("purged-late"), Is.Null, "changed at 1, purged at 5: gone");
        Assert.That(NameOnB("recreated"), Is.EqualTo("Recreated"), "purged at 3, created again at 4: there");
    }

    [Test]
    public async Task A_cycle_past_its_time_limit_is_cut_and_counted_and_the_next_cycle_catches_up()
    {
        await _a.CreateAsync(Sample("slow"));
        var slow = true;
        var source = new Around(new ChangeQuerySource(_b.Store), before: async ct => { if (slow) await Task.Delay(TimeSpan.FromSeconds(30), ct); });
        var (loop, status) = Loop(source, intervalSeconds: 0.4);
        Assert.That(await loop.RunCycleAsync(CancellationToken.None), Is.EqualTo(SyncOutcome.TimedOut));
        Assert.That((status.CyclesTimedOut, status.ConnectionRecycles, status.ConsecutiveFailures, status.LatestSequence, status.Behind), Is.EqualTo((1L, 1, 1, 1L, 1L)));
        Assert.That(NameOnB("slow"), Is.Null);
        slow = false;
        Assert.That(await loop.RunCycleAsync(CancellationToken.None), Is.EqualTo(SyncOutcome.Succeeded));
        Assert.That((status.ConsecutiveFailures, status.Behind, status.LastOutcome), Is.EqualTo((0, 0L, SyncOutcome.Succeeded)));
        Assert.That(NameOnB("slow"), Is.EqualTo("Listing slow"));
    }

    [Test]
    public async Task A_cycle_that_ignores_its_cancellation_is_given_up_on_at_the_end_of_its_interval()
    {
        await _a.CreateAsync(Sample("hung"));
        var gate = new TaskCompletionSource();
        var hang = true;
        var source = new Around(new ChangeQuerySource(_b.Store), before: async _ => { if (hang) await gate.Task; }); // ignores the token
        var (loop, status) = Loop(source, intervalSeconds: 0.4);
        Assert.That(await loop.RunCycleAsync(CancellationToken.None), Is.EqualTo(SyncOutcome.Abandoned));
        Assert.That((status.CyclesAbandoned, status.ConnectionRecycles, status.LastOutcome), Is.EqualTo((1L, 1, SyncOutcome.Abandoned)));
        hang = false;
        Assert.That(await loop.RunCycleAsync(CancellationToken.None), Is.EqualTo(SyncOutcome.Succeeded), "the loop goes on without it");
        Assert.That(NameOnB("hung"), Is.EqualTo("Listing hung"));
        gate.SetResult(); // the abandoned read returns now; its page is dropped (position moved), nothing breaks
        Assert.That(await loop.RunCycleAsync(CancellationToken.None), Is.EqualTo(SyncOutcome.Succeeded));
        Assert.That(_b.SyncedPosition, Is.EqualTo(new SyncPosition(1, 0)));
    }

    private (IndexSyncService Loop, SyncStatus Status) Loop(IChangeSource source, double intervalSeconds)
    {
        var options = Options.Create(new StorageOptions { SyncIntervalSeconds = intervalSeconds });
        var status = new SyncStatus(TimeProvider.System, options, _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        status.Begin(source.Name, _b.SyncedPosition);
        return (new IndexSyncService(_b, source, new NoStoreConnections(), status, new StartupState { Ready = true }, TimeProvider.System,
            NullLogger<IndexSyncService>.Instance), status);
    }

    /// <summary>The real change query with something run before a read, between its two queries (on
    /// <c>between.Store</c>, as <see cref="ChangeQuerySource"/> runs them), or after it.</summary>
    private sealed class Around(IChangeSource inner, Func<CancellationToken, Task>? before = null, (IDirectoryStore Store, Func<Task> Run)? between = null,
        Func<ChangePage, CancellationToken, Task>? after = null) : IChangeSource
    {
        public string Name => inner.Name;

        public async Task<ChangePage> ReadAsync(SyncPosition from, int max, CancellationToken ct)
        {
            if (before is not null) await before(ct);
            ChangePage page;
            if (between is not { } b)
            {
                page = await inner.ReadAsync(from, max, ct);
            }
            else
            {
                var changes = await b.Store.ChangesSinceAsync(from.Sequence, max, ct);
                await b.Run();
                var purges = await b.Store.PurgesSinceAsync(from.PurgeSequence, ct);
                page = new ChangePage(changes, purges, new SyncPosition(changes.Count > 0 ? changes[^1].Sequence : from.Sequence,
                    purges.Count > 0 ? purges[^1].Sequence : from.PurgeSequence), changes.Count >= max);
            }
            if (after is not null) await after(page, ct);
            return page;
        }
    }
}
