using Microsoft.Data.Sqlite;
using ReferralDirectory.Demo;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Tests.Storage;

public sealed class SqliteStoreTests
{
    private string _dir = null!;
    private SqliteDirectoryStore _store = null!;

    [SetUp]
    public async Task Open()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rd-store-tests", Guid.NewGuid().ToString("N"));
        _store = new SqliteDirectoryStore(Path.Combine(_dir, "store.db"), TimeProvider.System);
        await _store.InitializeAsync();
    }

    [TearDown]
    public void Delete()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private static Listing Sample(string id = "sample") => DemoDirectory.Create(new DateOnly(2026, 1, 1)).Single(l => l.Id == "demo-boone-county-safe-house") with { Id = id };

    [Test]
    public async Task Create_read_round_trips_every_field()
    {
        var created = await _store.CreateAsync(Sample());
        var read = await _store.GetAsync("sample");
        Assert.That(read, Is.Not.Null);
        Assert.That(StoreJson.Serialize(read!.Listing), Is.EqualTo(StoreJson.Serialize(Sample())));
        Assert.That(read.ETag, Is.EqualTo(created.ETag));
        Assert.That(read.Version, Is.EqualTo(1));
    }

    [Test]
    public void Duplicate_id_is_refused()
    {
        Assert.ThrowsAsync<ListingExistsException>(async () =>
        {
            await _store.CreateAsync(Sample());
            await _store.CreateAsync(Sample());
        });
    }

    [Test]
    public async Task Stale_etag_is_a_conflict_and_loses_nothing()
    {
        var v1 = await _store.CreateAsync(Sample());
        var v2 = await _store.ReplaceAsync(Sample() with { Name = "Editor A" }, v1.ETag, retired: false);
        var ex = Assert.ThrowsAsync<ConcurrencyException>(() => _store.ReplaceAsync(Sample() with { Name = "Editor B" }, v1.ETag, retired: false));
        Assert.That(ex!.CurrentETag, Is.EqualTo(v2.ETag));
        Assert.That((await _store.GetAsync("sample"))!.Listing.Name, Is.EqualTo("Editor A"));
        Assert.That(v2.ETag, Is.Not.EqualTo(v1.ETag));
        Assert.That(v2.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Concurrent_editors_with_the_same_etag_exactly_one_wins()
    {
        var v1 = await _store.CreateAsync(Sample());
        var other = new SqliteDirectoryStore(Path.Combine(_dir, "store.db"), TimeProvider.System);
        var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try { await (i % 2 == 0 ? _store : other).ReplaceAsync(Sample() with { Name = $"Editor {i}" }, v1.ETag, false); return true; }
            catch (ConcurrencyException) { return false; }
        })).ToArray();
        var wins = (await Task.WhenAll(tasks)).Count(w => w);
        Assert.That(wins, Is.EqualTo(1));
        Assert.That((await _store.GetAsync("sample"))!.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Retired_listings_are_kept_but_not_read_as_live()
    {
        var v1 = await _store.CreateAsync(Sample());
        await _store.ReplaceAsync(Sample(), v1.ETag, retired: true);
        Assert.That(await _store.CountAsync(), Is.Zero);
        var live = new List<StoredListing>();
        await foreach (var s in _store.ReadAllAsync()) live.Add(s);
        Assert.That(live, Is.Empty);
        var all = new List<StoredListing>();
        await foreach (var s in _store.ReadAllAsync(includeRetired: true)) all.Add(s);
        Assert.That(all.Single().Retired, Is.True);
    }

    [Test]
    public async Task Migrations_are_idempotent_and_secrets_are_stable()
    {
        var secret = await _store.GetOrCreateSecretAsync("k", 32);
        await _store.InitializeAsync();
        var reopened = new SqliteDirectoryStore(Path.Combine(_dir, "store.db"), TimeProvider.System);
        await reopened.InitializeAsync();
        Assert.That(await reopened.GetOrCreateSecretAsync("k", 32), Is.EqualTo(secret));
        Assert.That(secret, Has.Length.EqualTo(32));
        await using var c = new SqliteConnection($"Data Source={Path.Combine(_dir, "store.db")}");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.That(await cmd.ExecuteScalarAsync(), Is.EqualTo("wal"));
    }
}
