using ReferralDirectory.Demo;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Tests.Storage;

/// <summary>
/// The <see cref="IDirectoryStore"/> conventions, checked on every store (SQLite and Cosmos DB) with the same
/// exact expectations.
/// </summary>
public abstract class DirectoryStoreContract
{
    protected IDirectoryStore Store { get; private set; } = null!;

    /// <summary>A new, empty, initialized store.</summary>
    protected abstract Task<IDirectoryStore> CreateStoreAsync();
    /// <summary>A second, independent client on the same store (another instance of the service).</summary>
    protected abstract IDirectoryStore SecondClient();

    [SetUp]
    public async Task Open() => Store = await CreateStoreAsync();

    protected static Listing Sample(string id = "sample") =>
        DemoDirectory.Create(new DateOnly(2026, 1, 1)).Single(l => l.Id == "demo-boone-county-safe-house") with { Id = id };

    private static readonly Actor Alice = new("oid-alice", "Alice");
    private static readonly Actor Bob = new("oid-bob", "Bob");

    private static AuditEntry Entry(string id, Actor actor, string action, string? listingId, DateTimeOffset at) =>
        new() { Id = id, At = at, Actor = actor, Action = action, ListingId = listingId, Changes = [new FieldChange("name", "\"a\"", "\"b\"")], Note = "n" };

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task External_ids_find_their_listings_and_a_batch_writes_creates_and_replaces_with_audit()
    {
        var a = Sample("batch-a") with { ExternalId = "ext-a" };
        var b = Sample("batch-b") with { ExternalId = "ext-b" };
        await Store.CreateAsync(a);
        var found = await Store.GetByExternalIdsAsync(["ext-a", "ext-missing"]);
        Assert.That(found.Keys, Is.EquivalentTo(new[] { "ext-a" }));
        Assert.That(found["ext-a"].Id, Is.EqualTo("batch-a"));
        Assert.That(StoreJson.Serialize(found["ext-a"].Listing), Is.EqualTo(StoreJson.Serialize(a)));

        var changedA = a with { Name = "Changed A" };
        var written = await Store.WriteBatchAsync([b], [(changedA, found["ext-a"].ETag)],
            [Entry("0000000000001-b", Alice, "import", "batch-b", T0), Entry("0000000000002-a", Alice, "import", "batch-a", T0)]);
        Assert.That(written.Select(w => w.Listing.Id), Is.EquivalentTo(new[] { "batch-a", "batch-b" }));
        Assert.That((await Store.GetAsync("batch-a"))!.Listing.Name, Is.EqualTo("Changed A"));
        Assert.That((await Store.GetAsync("batch-b"))!.Version, Is.EqualTo(1));
        var audit = await Store.QueryAuditAsync(new AuditQuery { Action = "import" });
        Assert.That(audit.Select(e => e.ListingId), Is.EquivalentTo(new[] { "batch-a", "batch-b" }));
        var changes = await Store.ChangesSinceAsync(1, 100);
        Assert.That(changes.Select(c => c.Listing.Listing.Id), Is.EquivalentTo(new[] { "batch-a", "batch-b" }), "every batch write is in the change sequence");

        // A stale ETag in a batch is a conflict that leaves that listing as it was.
        Assert.ThrowsAsync<ConcurrencyException>(() => Store.WriteBatchAsync([], [(a with { Name = "Stale" }, found["ext-a"].ETag)]));
        Assert.That((await Store.GetAsync("batch-a"))!.Listing.Name, Is.EqualTo("Changed A"));
    }

    [Test]
    public async Task Create_read_round_trips_every_field()
    {
        var created = await Store.CreateAsync(Sample());
        var read = await Store.GetAsync("sample");
        Assert.That(read, Is.Not.Null);
        Assert.That(StoreJson.Serialize(read!.Listing), Is.EqualTo(StoreJson.Serialize(Sample())));
        Assert.That(read.ETag, Is.EqualTo(created.ETag));
        Assert.That(read.Version, Is.EqualTo(1));
        Assert.That(read.Retired, Is.False);
        Assert.That(await Store.GetAsync("missing"), Is.Null);
        Assert.That(await Store.CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Duplicate_id_is_refused_and_changes_nothing()
    {
        var first = await Store.CreateAsync(Sample() with { Name = "First" });
        var ex = Assert.ThrowsAsync<ListingExistsException>(() => Store.CreateAsync(Sample() with { Name = "Second" }));
        Assert.That(ex!.Id, Is.EqualTo("sample"));
        var read = await Store.GetAsync("sample");
        Assert.That(read!.Listing.Name, Is.EqualTo("First"));
        Assert.That(read.ETag, Is.EqualTo(first.ETag));
        Assert.That((await Store.ChangesSinceAsync(0, 100)).Select(c => c.Sequence), Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public async Task Create_many_writes_all_and_a_duplicate_writes_none()
    {
        await Store.CreateManyAsync([Sample("a"), Sample("b"), Sample("c")]);
        Assert.That(await Store.CountAsync(), Is.EqualTo(3));
        Assert.ThrowsAsync<ListingExistsException>(() => Store.CreateManyAsync([Sample("d"), Sample("b")]));
        Assert.That(await Store.GetAsync("d"), Is.Null);
        Assert.That(await Store.CountAsync(), Is.EqualTo(3));
        var all = new List<string>();
        await foreach (var s in Store.ReadAllAsync()) all.Add(s.Listing.Id);
        Assert.That(all, Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public async Task Stale_etag_is_a_conflict_and_loses_nothing()
    {
        var v1 = await Store.CreateAsync(Sample());
        var v2 = await Store.ReplaceAsync(Sample() with { Name = "Editor A" }, v1.ETag, retired: false);
        var ex = Assert.ThrowsAsync<ConcurrencyException>(() => Store.ReplaceAsync(Sample() with { Name = "Editor B" }, v1.ETag, retired: false,
            audit: Entry("0000000000001-aaaaaaaaaaaa", Bob, "replace", "sample", T0)));
        Assert.That(ex!.CurrentETag, Is.EqualTo(v2.ETag));
        Assert.That((await Store.GetAsync("sample"))!.Listing.Name, Is.EqualTo("Editor A"));
        Assert.That(v2.ETag, Is.Not.EqualTo(v1.ETag));
        Assert.That(v2.Version, Is.EqualTo(2));
        Assert.That(await Store.QueryAuditAsync(new AuditQuery()), Is.Empty, "a refused write leaves no audit entry");
        Assert.ThrowsAsync<ListingNotFoundException>(() => Store.ReplaceAsync(Sample("missing"), v2.ETag, retired: false));
    }

    [Test]
    public async Task Concurrent_editors_with_the_same_etag_exactly_one_wins()
    {
        var v1 = await Store.CreateAsync(Sample());
        var other = SecondClient();
        var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await (i % 2 == 0 ? Store : other).ReplaceAsync(Sample() with { Name = $"Editor {i}" }, v1.ETag, false,
                    Entry($"0000000000002-{i:D12}", Alice, "replace", "sample", T0));
                return true;
            }
            catch (ConcurrencyException) { return false; }
        })).ToArray();
        var wins = (await Task.WhenAll(tasks)).Count(w => w);
        Assert.That(wins, Is.EqualTo(1));
        var final = (await Store.GetAsync("sample"))!;
        Assert.That(final.Version, Is.EqualTo(2));
        Assert.That((await Store.QueryAuditAsync(new AuditQuery())).Count, Is.EqualTo(1), "exactly the winner's audit entry");
        Assert.That((await Store.ChangesSinceAsync(0, 100)).Select(c => c.Sequence), Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public async Task Retired_listings_are_kept_but_not_read_as_live_and_can_be_restored()
    {
        var v1 = await Store.CreateAsync(Sample());
        var retired = await Store.ReplaceAsync(Sample(), v1.ETag, retired: true);
        Assert.That(retired.Retired, Is.True);
        Assert.That(await Store.CountAsync(), Is.Zero);
        var live = new List<StoredListing>();
        await foreach (var s in Store.ReadAllAsync()) live.Add(s);
        Assert.That(live, Is.Empty);
        var all = new List<StoredListing>();
        await foreach (var s in Store.ReadAllAsync(includeRetired: true)) all.Add(s);
        Assert.That(all.Single().Retired, Is.True);
        Assert.That((await Store.GetAsync("sample"))!.Retired, Is.True);
        var restored = await Store.ReplaceAsync(Sample(), retired.ETag, retired: false);
        Assert.That(restored.Version, Is.EqualTo(3));
        Assert.That(await Store.CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Purge_removes_the_listing_with_its_audit_entry_and_a_purge_sequence()
    {
        var a = await Store.CreateAsync(Sample("a"));
        await Store.CreateAsync(Sample("b"));
        Assert.ThrowsAsync<ConcurrencyException>(() => Store.PurgeAsync("a", "\"stale\""));
        await Store.PurgeAsync("a", a.ETag, Entry("0000000000003-000000000001", Alice, "purge", "a", T0));
        Assert.That(await Store.GetAsync("a"), Is.Null);
        var all = new List<string>();
        await foreach (var s in Store.ReadAllAsync(includeRetired: true)) all.Add(s.Listing.Id);
        Assert.That(all, Is.EqualTo(new[] { "b" }));
        var purges = await Store.PurgesSinceAsync(0);
        Assert.That(purges, Is.EqualTo(new[] { (3L, "a") }));
        Assert.That(await Store.PurgesSinceAsync(3), Is.Empty);
        Assert.That((await Store.QueryAuditAsync(new AuditQuery { Action = "purge" })).Single().ListingId, Is.EqualTo("a"));
        Assert.ThrowsAsync<ListingNotFoundException>(() => Store.PurgeAsync("a", a.ETag));
        var c = await Store.CreateAsync(Sample("c"));
        Assert.That((await Store.ChangesSinceAsync(0, 100)).Select(x => (x.Sequence, x.Listing.Listing.Id)), Is.EqualTo(new[] { (2L, "b"), (4L, "c") }));
        Assert.That(c.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task Change_sequence_is_gap_free_monotonic_and_in_write_order()
    {
        var a = await Store.CreateAsync(Sample("a"));
        await Store.CreateAsync(Sample("b"));
        await Store.ReplaceAsync(Sample("a") with { Name = "A2" }, a.ETag, retired: false);
        await Store.CreateManyAsync([Sample("c"), Sample("d")]);
        var changes = await Store.ChangesSinceAsync(0, 100);
        Assert.That(changes.Select(c => (c.Sequence, c.Listing.Listing.Id)), Is.EqualTo(new[] { (2L, "b"), (3L, "a"), (4L, "c"), (5L, "d") }));
        Assert.That(changes[1].Listing.Listing.Name, Is.EqualTo("A2"));
        Assert.That((await Store.ChangesSinceAsync(3, 100)).Select(c => c.Listing.Listing.Id), Is.EqualTo(new[] { "c", "d" }));
        Assert.That((await Store.ChangesSinceAsync(0, 2)).Select(c => c.Sequence), Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(await Store.ChangesSinceAsync(5, 100), Is.Empty);
        // Another client sees the same sequence.
        Assert.That((await SecondClient().ChangesSinceAsync(0, 100)).Select(c => c.Sequence), Is.EqualTo(new long[] { 2, 3, 4, 5 }));
    }

    [Test]
    public async Task The_latest_sequence_is_the_last_change_for_every_client()
    {
        Assert.That(await Store.LatestSequenceAsync(), Is.EqualTo(0));
        var a = await Store.CreateAsync(Sample("a"));
        await Store.CreateManyAsync([Sample("b"), Sample("c")]);
        Assert.That(await Store.LatestSequenceAsync(), Is.EqualTo(3));
        var a2 = await Store.ReplaceAsync(Sample("a") with { Name = "A2" }, a.ETag, retired: true);
        await Store.PurgeAsync("a", a2.ETag);
        Assert.That(await Store.LatestSequenceAsync(), Is.EqualTo(5));
        Assert.That(await SecondClient().LatestSequenceAsync(), Is.EqualTo(5));
        Assert.That(await Store.PurgesSinceAsync(0), Is.EqualTo(new[] { (5L, "a") }), "the latest is the purge's sequence");
    }

    [Test]
    public async Task Audit_entries_are_filtered_newest_first_and_paged()
    {
        var v1 = await Store.CreateAsync(Sample("a"), Entry("0000000000010-000000000001", Alice, "create", "a", T0));
        await Store.ReplaceAsync(Sample("a"), v1.ETag, retired: true, audit: Entry("0000000000020-000000000002", Bob, "retire", "a", T0.AddHours(1)));
        await Store.CreateAsync(Sample("b"), Entry("0000000000030-000000000003", Bob, "create", "b", T0.AddHours(2)));
        await Store.AppendAuditAsync(Entry("0000000000040-000000000004", Alice, "verify", null, T0.AddHours(3)));

        async Task<string[]> Ids(AuditQuery q) => [.. (await Store.QueryAuditAsync(q)).Select(e => e.Id[..13])];
        Assert.That(await Ids(new AuditQuery()), Is.EqualTo(new[] { "0000000000040", "0000000000030", "0000000000020", "0000000000010" }));
        Assert.That(await Ids(new AuditQuery { ListingId = "a" }), Is.EqualTo(new[] { "0000000000020", "0000000000010" }));
        Assert.That(await Ids(new AuditQuery { ActorObjectId = "oid-bob" }), Is.EqualTo(new[] { "0000000000030", "0000000000020" }));
        Assert.That(await Ids(new AuditQuery { Action = "create" }), Is.EqualTo(new[] { "0000000000030", "0000000000010" }));
        Assert.That(await Ids(new AuditQuery { From = T0.AddHours(1), To = T0.AddHours(3) }), Is.EqualTo(new[] { "0000000000030", "0000000000020" }));
        Assert.That(await Ids(new AuditQuery { Limit = 2 }), Is.EqualTo(new[] { "0000000000040", "0000000000030" }));
        Assert.That(await Ids(new AuditQuery { Limit = 2, Before = "0000000000030-000000000003" }), Is.EqualTo(new[] { "0000000000020", "0000000000010" }));
        var full = (await Store.QueryAuditAsync(new AuditQuery { Action = "retire" })).Single();
        Assert.That(full.Actor, Is.EqualTo(Bob));
        Assert.That(full.At, Is.EqualTo(T0.AddHours(1)));
        Assert.That(full.Changes, Is.EqualTo(new[] { new FieldChange("name", "\"a\"", "\"b\"") }));
        Assert.That(full.Note, Is.EqualTo("n"));
    }

    [Test]
    public async Task Api_keys_are_created_listed_and_revoked_with_audit()
    {
        var key = new ApiKeyRecord { Id = "k1", Name = "Partner", Hash = new string('a', 64), Prefix = "rdk_abcd", RequestsPerMinute = 60, CreatedAt = T0, CreatedBy = Alice };
        await Store.CreateApiKeyAsync(key, Entry("0000000000050-000000000005", Alice, "api-key-create", null, T0));
        await Store.CreateApiKeyAsync(key with { Id = "k2", Hash = new string('b', 64) }, Entry("0000000000051-000000000006", Alice, "api-key-create", null, T0));
        Assert.That((await Store.ListApiKeysAsync()).Select(k => k.Id), Is.EqualTo(new[] { "k1", "k2" }));
        Assert.That(await Store.RevokeApiKeyAsync("k1", T0.AddDays(1), Entry("0000000000052-000000000007", Bob, "api-key-revoke", null, T0)), Is.True);
        Assert.That(await Store.RevokeApiKeyAsync("k1", T0.AddDays(2), Entry("0000000000053-000000000008", Bob, "api-key-revoke", null, T0)), Is.False);
        Assert.That(await Store.RevokeApiKeyAsync("nope", T0, Entry("0000000000054-000000000009", Bob, "api-key-revoke", null, T0)), Is.False);
        var keys = await Store.ListApiKeysAsync();
        Assert.That(keys[0], Is.EqualTo(key with { RevokedAt = T0.AddDays(1) }));
        Assert.That(keys[1].RevokedAt, Is.Null);
        Assert.That((await Store.QueryAuditAsync(new AuditQuery())).Select(e => e.Action),
            Is.EqualTo(new[] { "api-key-revoke", "api-key-create", "api-key-create" }), "refused revocations leave no entry");
    }

    [Test]
    public async Task Work_items_are_kept_listed_oldest_first_and_resolved_once_with_audit()
    {
        WorkItem Item(string id, string kind, DateTimeOffset at) => new()
        {
            Id = id, Kind = kind, ListingId = "shelter", Status = WorkItemStatus.Open, CreatedAt = at, CreatedBy = Alice, Payload = "{\"move\":\"x\"}",
        };
        var second = await Store.CreateWorkItemAsync(Item("w2", WorkItemKinds.Approval, T0.AddMinutes(5)), Entry("0000000000060-000000000010", Alice, "approval-request", "shelter", T0));
        var first = await Store.CreateWorkItemAsync(Item("w1", WorkItemKinds.Approval, T0));
        var suggestion = await Store.CreateWorkItemAsync(Item("s1", WorkItemKinds.Suggestion, T0) with { CreatedBy = null });
        Assert.That(first.ETag, Is.Not.Empty);
        Assert.That(first.ETag, Is.Not.EqualTo(second.ETag));
        Assert.ThrowsAsync<WorkItemExistsException>(() => Store.CreateWorkItemAsync(Item("w1", WorkItemKinds.Approval, T0)));

        Assert.That((await Store.ListWorkItemsAsync(WorkItemKinds.Approval, openOnly: true, 10)).Select(w => w.Id), Is.EqualTo(new[] { "w1", "w2" }));
        Assert.That((await Store.ListWorkItemsAsync(WorkItemKinds.Approval, openOnly: true, 1)).Select(w => w.Id), Is.EqualTo(new[] { "w1" }));
        Assert.That((await Store.ListWorkItemsAsync(WorkItemKinds.Suggestion, openOnly: true, 10)).Single(), Is.EqualTo(suggestion));
        Assert.That(await SecondClient().GetWorkItemAsync("w2"), Is.EqualTo(second));
        Assert.That(await Store.GetWorkItemAsync("nope"), Is.Null);

        // Bob approves w1; Alice's later attempt with the ETag she read is refused, and nothing of hers is kept.
        var approved = await Store.UpdateWorkItemAsync(first with { Status = WorkItemStatus.Approved, ResolvedAt = T0.AddHours(1), ResolvedBy = Bob, Kind = "forged", CreatedBy = Bob },
            first.ETag, Entry("0000000000061-000000000011", Bob, "approval-approve", "shelter", T0.AddHours(1)));
        Assert.That(approved.Kind, Is.EqualTo(WorkItemKinds.Approval), "kind, creation and creator stay as stored");
        Assert.That(approved.CreatedBy, Is.EqualTo(Alice));
        Assert.That(approved.ETag, Is.Not.EqualTo(first.ETag));
        var refused = Assert.ThrowsAsync<ConcurrencyException>(() => SecondClient().UpdateWorkItemAsync(first with { Status = WorkItemStatus.Rejected }, first.ETag));
        Assert.That(refused!.CurrentETag, Is.EqualTo(approved.ETag));
        Assert.ThrowsAsync<WorkItemNotFoundException>(() => Store.UpdateWorkItemAsync(first with { Id = "nope" }, first.ETag));
        Assert.That(await Store.GetWorkItemAsync("w1"), Is.EqualTo(approved));
        Assert.That((await Store.ListWorkItemsAsync(WorkItemKinds.Approval, openOnly: true, 10)).Select(w => w.Id), Is.EqualTo(new[] { "w2" }));
        Assert.That((await Store.ListWorkItemsAsync(WorkItemKinds.Approval, openOnly: false, 10)).Select(w => (w.Id, w.Status)),
            Is.EqualTo(new[] { ("w1", WorkItemStatus.Approved), ("w2", WorkItemStatus.Open) }));
        Assert.That((await Store.QueryAuditAsync(new AuditQuery())).Select(e => e.Action), Is.EqualTo(new[] { "approval-approve", "approval-request" }));
        Assert.That(await Store.LatestSequenceAsync(), Is.EqualTo(0), "work items are not listing changes");
    }

    [Test]
    public async Task Secrets_are_created_once_and_stable_across_clients()
    {
        var secret = await Store.GetOrCreateSecretAsync("k", 32);
        Assert.That(secret, Has.Length.EqualTo(32));
        await Store.InitializeAsync();
        Assert.That(await Store.GetOrCreateSecretAsync("k", 32), Is.EqualTo(secret));
        Assert.That(await SecondClient().GetOrCreateSecretAsync("k", 32), Is.EqualTo(secret));
        Assert.That(await Store.ImportSecretAsync("k", new byte[32]), Is.False);
        Assert.That(await Store.GetOrCreateSecretAsync("k", 32), Is.EqualTo(secret));
        Assert.That(await Store.ImportSecretAsync("imported", [1, 2, 3]), Is.True);
        Assert.That(await Store.GetOrCreateSecretAsync("imported", 32), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }
}
