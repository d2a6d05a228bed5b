using System.Diagnostics;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ReferralDirectory.Demo;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;
using ReferralDirectory.Storage.Cosmos;
using ReferralDirectory.Storage.Resilience;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Resilience;

/// <summary>
/// The Cosmos store under faults: real HTTP faults from a proxy in front of the Cosmos-protocol server (429 with
/// retry-after, 503, dropped connections) and Polly chaos latency, through the service's own pipelines.
/// </summary>
public sealed class CosmosFaultTests
{
    private FaultProxy _proxy = null!;
    private string _database = null!;

    [SetUp]
    public async Task Start()
    {
        var server = CosmosServer.Instance;
        _proxy = await FaultProxy.StartAsync(server.Endpoint);
        _database = "rd-" + Guid.NewGuid().ToString("N");
    }

    [TearDown]
    public async Task Stop() => await _proxy.DisposeAsync();

    private static readonly StoreResilienceOptions Fast = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(20),
        MaxRetries = 4,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryAfter = TimeSpan.FromSeconds(2),
        // Storms of a few faults are retried, not broken on: the breaker needs 20 attempts to judge.
        BreakerMinimumThroughput = 20,
        BreakerFailureRatio = 0.9,
        BreakerSamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(1),
    };

    private CosmosDirectoryStore Store(StoreResilienceOptions? o = null, StoreChaos? chaos = null)
    {
        var options = CosmosServer.Instance.Options(_database);
        options.AccountEndpoint = _proxy.Endpoint;
        o ??= Fast;
        var faults = new CosmosFaults();
        return new CosmosDirectoryStore(CosmosClientFactory.Create(options), options, TimeProvider.System,
            StorePipelines.CreateRegistry(o, faults, chaos ?? new StoreChaos(), TimeProvider.System), faults, o);
    }

    private static Listing Sample(string id) =>
        DemoDirectory.Create(new DateOnly(2026, 1, 1)).Single(l => l.Id == "demo-boone-county-safe-house") with { Id = id };

    [Test]
    public async Task A_throttling_storm_is_retried_after_the_servers_retry_after()
    {
        var store = Store();
        await store.InitializeAsync();
        _proxy.Inject(FaultProxy.Fault.Throttle, count: 3, retryAfter: TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        var created = await store.CreateAsync(Sample("a"));
        watch.Stop();
        Assert.That(_proxy.Throttled, Is.EqualTo(3));
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)), "each retry waited the server's 300 ms");
        Assert.That((await store.GetAsync("a"))!.ETag, Is.EqualTo(created.ETag));
        Assert.That((await store.ChangesSinceAsync(0, 10)).Select(c => c.Sequence), Is.EqualTo(new long[] { 1 }), "retries wrote the change once");
    }

    [Test]
    public async Task A_retry_after_beyond_the_limit_is_not_waited_out_by_the_sdk_and_becomes_the_503s_retry_after()
    {
        var store = Store();
        await store.InitializeAsync();
        _proxy.Inject(FaultProxy.Fault.Throttle, count: 1, retryAfter: TimeSpan.FromSeconds(7));
        // Only one 429 is injected: had the SDK or Polly waited the 7 s and tried again, the write would have succeeded.
        var ex = Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(Sample("a")));
        Assert.That(ex!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(_proxy.Throttled, Is.EqualTo(1), "the SDK did not retry the 429 itself");
        Assert.That(await store.GetAsync("a"), Is.Null, "nothing was written");
    }

    [Test]
    public async Task Service_unavailable_and_dropped_connections_are_retried()
    {
        var store = Store();
        await store.InitializeAsync();
        _proxy.Inject(FaultProxy.Fault.Unavailable, count: 2);
        var a = await store.CreateAsync(Sample("a"));
        _proxy.Inject(FaultProxy.Fault.Drop, count: 2);
        var b = await store.CreateAsync(Sample("b"));
        _proxy.Inject(FaultProxy.Fault.Drop, count: 3);
        var a2 = await store.ReplaceAsync(Sample("a") with { Name = "A2" }, a.ETag, retired: false);
        Assert.That(_proxy.Unavailable, Is.EqualTo(2));
        Assert.That(_proxy.Dropped, Is.EqualTo(5));
        var changes = await store.ChangesSinceAsync(0, 10);
        Assert.That(changes.Select(c => (c.Sequence, c.Listing.Listing.Id, c.Listing.Listing.Name)),
            Is.EqualTo(new[] { (2L, "b", b.Listing.Name), (3L, "a", "A2") }));
        Assert.That(a2.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task A_lasting_outage_opens_the_breaker_which_fails_fast_and_closes_after_recovery()
    {
        var store = Store(new StoreResilienceOptions
        {
            AttemptTimeout = TimeSpan.FromSeconds(5), TotalTimeout = TimeSpan.FromSeconds(20), MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10),
            BreakerMinimumThroughput = 4, BreakerFailureRatio = 0.5, BreakerSamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(2),
        });
        await store.InitializeAsync();
        await store.CreateAsync(Sample("before"));
        _proxy.Inject(FaultProxy.Fault.Unavailable);
        var failures = new List<StoreUnavailableException>();
        for (var i = 0; i < 4; i++) failures.Add(Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(Sample($"x{i}")))!);
        Assert.That(failures.Last().InnerException, Is.InstanceOf<BrokenCircuitException>(), "the breaker opened");
        var seen = _proxy.Unavailable;
        var fast = Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("before"))!;
        Assert.That(_proxy.Unavailable, Is.EqualTo(seen), "an open breaker fails fast: it does not call the store");
        Assert.That(fast.InnerException, Is.InstanceOf<BrokenCircuitException>());
        Assert.That(fast.RetryAfter, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(2)));

        _proxy.Heal();
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.That((await store.GetAsync("before"))!.Listing.Id, Is.EqualTo("before"));
        await store.CreateAsync(Sample("after"));
        var ids = new List<string>();
        await foreach (var s in store.ReadAllAsync()) ids.Add(s.Listing.Id);
        Assert.That(ids, Is.EqualTo(new[] { "after", "before" }), "the acknowledged writes are there; the refused ones are not");
    }

    [Test]
    public async Task Latency_beyond_the_attempt_timeout_is_cut_and_reported_unavailable()
    {
        var chaos = new StoreChaos();
        var store = Store(new StoreResilienceOptions
        {
            AttemptTimeout = TimeSpan.FromMilliseconds(200), TotalTimeout = TimeSpan.FromMilliseconds(900), MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(10),
            BreakerMinimumThroughput = 100, BreakDuration = TimeSpan.FromSeconds(1),
        }, chaos);
        await store.InitializeAsync();
        chaos.Latency = TimeSpan.FromSeconds(5);
        // Each attempt would take 5 s: the timeout, not the latency, ended the call.
        var ex = Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(Sample("slow")));
        Assert.That(ex!.InnerException, Is.InstanceOf<TimeoutRejectedException>());
        chaos.Latency = TimeSpan.FromMilliseconds(50);
        await store.CreateAsync(Sample("fine"));
        chaos.Latency = null;
        Assert.That(await store.GetAsync("slow"), Is.Null);
        Assert.That(await store.GetAsync("fine"), Is.Not.Null);
    }

    [Test]
    public async Task Injected_faults_through_polly_chaos_are_retried_like_real_ones()
    {
        var chaos = new StoreChaos();
        var store = Store(chaos: chaos);
        await store.InitializeAsync();
        var left = 3;
        chaos.Fault = () => Interlocked.Decrement(ref left) >= 0 ? new HttpRequestException("connection reset (chaos)") : null;
        await store.CreateAsync(Sample("a"));
        chaos.Fault = null;
        Assert.That(left, Is.LessThan(0));
        Assert.That((await store.ChangesSinceAsync(0, 10)).Single().Listing.Listing.Id, Is.EqualTo("a"));
    }

    // A create is: read the log, look the listing up, replace the log (the commit), create the listing, mark the log.
    private const int RequestsBeforeApply = 3;

    [Test]
    public async Task A_connection_lost_after_the_commit_is_completed_by_the_retry_exactly_once()
    {
        var store = Store();
        await store.InitializeAsync();
        _proxy.Inject(FaultProxy.Fault.Drop, count: 1, skip: RequestsBeforeApply);
        var created = await store.CreateAsync(Sample("a"), new AuditEntry { Id = "0000000000001-000000000001", At = DateTimeOffset.UnixEpoch, Actor = new("o", "O"), Action = "create", ListingId = "a" });
        Assert.That(_proxy.Dropped, Is.EqualTo(1));
        Assert.That(created.Version, Is.EqualTo(1));
        Assert.That((await store.ChangesSinceAsync(0, 10)).Select(c => c.Sequence), Is.EqualTo(new long[] { 1 }));
        Assert.That((await store.QueryAuditAsync(new AuditQuery())).Count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_committed_change_whose_writer_gave_up_is_applied_by_the_next_reader_on_another_instance()
    {
        var store = Store(new StoreResilienceOptions { MaxRetries = 0, BreakerMinimumThroughput = 100 });
        await store.InitializeAsync();
        _proxy.Inject(FaultProxy.Fault.Drop, count: 1, skip: RequestsBeforeApply);
        // The writer cannot tell whether its commit landed: it reports the store unavailable (nothing acknowledged)...
        Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(Sample("a")));
        // ...but the commit did land, so the change is completed, whole, by whoever reads next.
        var other = CosmosServer.Instance.Store(_database);
        var changes = await other.ChangesSinceAsync(0, 10);
        Assert.That(changes.Select(c => (c.Sequence, c.Listing.Listing.Id)), Is.EqualTo(new[] { (1L, "a") }));
        var next = await other.CreateAsync(Sample("b"));
        Assert.That((await other.ChangesSinceAsync(1, 10)).Single().Listing.ETag, Is.EqualTo(next.ETag));
    }
}
