using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using ReferralDirectory.Demo;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;
using ReferralDirectory.Storage.Cosmos;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Sync;

/// <summary>
/// The change-feed sync source, as far as the Cosmos-protocol test server can run it. The server has no change
/// feed: it answers a feed read from the beginning with every document once and every later read with 304 Not
/// Modified, so an incremental feed cannot be tested here (docs/cosmos-design.md says so). What is tested: the
/// start (a real SDK continuation for the directory's feed range, then the bridge from the loaded sequence by the
/// change query), a caught-up read (304), the reading of real feed documents, and the service wired to it.
/// </summary>
public sealed class ChangeFeedSourceTests
{
    private string _database = null!;

    [SetUp]
    public void Name() => _database = "rd-" + Guid.NewGuid().ToString("N");

    private static Listing Sample(string id) =>
        DemoDirectory.Create(new DateOnly(2026, 1, 1)).Single(l => l.Id == "demo-boone-county-safe-house") with { Id = id, Name = "Listing " + id };

    private static readonly AuditEntry Entry = new()
    {
        Id = "0000000000001-000000000001", At = DateTimeOffset.UnixEpoch, Actor = new("oid", "Admin"), Action = "create", ListingId = "a",
        Changes = [new FieldChange("name", null, "\"Listing a\"")],
    };

    [Test]
    public async Task It_starts_from_now_on_the_directorys_feed_range_and_bridges_from_the_loaded_sequence_with_the_change_query()
    {
        var store = CosmosServer.Instance.Store(_database);
        await store.InitializeAsync();
        var a = await store.CreateAsync(Sample("a"));
        await store.CreateAsync(Sample("b"));
        await store.CreateAsync(Sample("c"));
        await store.PurgeAsync("a", a.ETag);
        var source = new CosmosChangeFeedSource(store);

        // As if the index was loaded after the first write.
        var bridge = await source.ReadAsync(new SyncPosition(1, 0), 100, CancellationToken.None);
        Assert.That(bridge.Changes.Select(c => (c.Sequence, c.Listing.Listing.Id)), Is.EqualTo(new[] { (2L, "b"), (3L, "c") }));
        Assert.That(bridge.Purges, Is.EqualTo(new[] { (4L, "a") }));
        Assert.That((bridge.Next.Sequence, bridge.Next.PurgeSequence, bridge.More), Is.EqualTo((3L, 4L, false)));
        var cursor = JsonNode.Parse(bridge.Next.Cursor!)!.AsObject();
        Assert.That((bool)cursor["bridging"]!, Is.False, "drained: from now on the feed");
        var token = JsonNode.Parse((string)cursor["continuation"]!)!;
        var range = token["Continuation"]!.AsArray().Single()!["FeedRange"]!;
        Assert.That(((string)range["type"]!, (string)range["value"]!), Is.EqualTo(("Logical Partition Key", "[\"default\"]")),
            "one continuation, for the directory's logical partition");

        var caughtUp = await source.ReadAsync(bridge.Next, 100, CancellationToken.None);
        Assert.That((caughtUp.Changes.Count, caughtUp.Purges.Count, caughtUp.More), Is.EqualTo((0, 0, false)), "304 Not Modified");
        Assert.That((caughtUp.Next.Sequence, caughtUp.Next.PurgeSequence), Is.EqualTo((3L, 4L)));
        Assert.That(JsonNode.Parse(caughtUp.Next.Cursor!)!["continuation"]!.GetValue<string>(), Does.Contain("Logical Partition Key"));
    }

    [Test]
    public async Task Feed_documents_become_this_directorys_listing_changes_and_purges_in_sequence_order()
    {
        var store = CosmosServer.Instance.Store(_database);
        await store.InitializeAsync();
        await store.CreateAsync(Sample("a"), Entry);
        var b = await store.CreateAsync(Sample("b"));
        var c = await store.CreateAsync(Sample("c"));
        await store.ReplaceAsync(Sample("b"), b.ETag, retired: true);
        await store.PurgeAsync("c", c.ETag);
        await store.CreateApiKeyAsync(new ApiKeyRecord { Id = "k1", Name = "Partner", Hash = "h1", Prefix = "rdk_", RequestsPerMinute = 600, CreatedAt = DateTimeOffset.UnixEpoch, CreatedBy = new("oid", "Admin") },
            Entry with { Id = "0000000000002-000000000001", Action = "apikey-create", ListingId = null });
        // Another directory in the same container: its documents are not this directory's changes.
        var otherOptions = CosmosServer.Instance.Options(_database);
        otherOptions.Directory = "other";
        using (var otherClient = CosmosClientFactory.Create(otherOptions))
        {
            var other = new CosmosDirectoryStore(otherClient, otherOptions, TimeProvider.System,
                ReferralDirectory.Storage.Resilience.StorePipelines.CreateRegistry(new(), new CosmosFaults(), new(), TimeProvider.System), new CosmosFaults(), new());
            await other.InitializeAsync();
            await other.CreateAsync(Sample("z"));
        }

        // The server's feed from the beginning: every document, as real change-feed documents.
        using var client = CosmosClientFactory.Create(CosmosServer.Instance.Options(_database));
        using var feed = client.GetContainer(_database, "directory").GetChangeFeedStreamIterator(
            ChangeFeedStartFrom.Beginning(FeedRange.FromPartitionKey(new PartitionKey("default"))), ChangeFeedMode.LatestVersion);
        using var response = await feed.ReadNextAsync();
        response.EnsureSuccessStatusCode();
        var documents = (await JsonNode.ParseAsync(response.Content))!["Documents"]!.AsArray().Select(d => d!.AsObject()).ToList();
        Assert.That(documents.Select(d => (string?)d["type"]).Distinct(), Is.SupersetOf(new[] { "log", "listing", "purge", "audit", "apikey" }));

        var page = CosmosChangeFeedSource.FromFeed(documents, new SyncPosition(1, 0), "next", more: true, "default");
        Assert.That(page.Changes.Select(x => (x.Sequence, x.Listing.Listing.Id, x.Listing.Retired)), Is.EqualTo(new[] { (4L, "b", true) }),
            "a (sequence 1) is applied already; c is purged; z is another directory's");
        Assert.That(page.Purges, Is.EqualTo(new[] { (5L, "c") }));
        Assert.That(page.Next, Is.EqualTo(new SyncPosition(4, 5, "next")));
        Assert.That(page.More, Is.True);
    }

    [Test]
    public async Task The_service_reads_the_change_feed_when_configured_and_reports_it()
    {
        var settings = CosmosServer.Instance.Settings(_database);
        settings["Storage:Cosmos:SyncSource"] = "ChangeFeed";
        settings["Storage:SyncIntervalSeconds"] = "0.5";
        using var app = new DirectoryApp(seedDemo: false, settings: settings);
        using var client = app.Client();
        var status = app.Service<ReferralDirectory.Api.Infrastructure.SyncStatus>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (status.CyclesSucceeded < 2 && watch.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50); // a guard, not a measurement
        var sync = (await client.GetJsonAsync("/health/ready")).GetProperty("checks").GetProperty("sync");
        Assert.That(sync.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(sync.GetProperty("data").GetProperty("source").GetString(), Is.EqualTo("ChangeFeed"));
        Assert.That(sync.GetProperty("data").GetProperty("lastOutcome").GetString(), Is.EqualTo("Succeeded"), "feed reads (304 here) succeed");
        Assert.That(status.Position.Cursor, Does.Contain("Logical Partition Key"));
    }
}
