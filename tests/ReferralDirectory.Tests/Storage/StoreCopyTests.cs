using Microsoft.Data.Sqlite;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Demo;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Storage;

/// <summary><c>copy-store</c>: SQLite to Cosmos DB and back again, through the command the service runs.</summary>
public sealed class StoreCopyTests
{
    private string _dir = null!;

    [SetUp]
    public void Dir() => _dir = Path.Combine(Path.GetTempPath(), "rd-copy-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void Delete()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static async Task<List<(string Id, string Json, bool Retired)>> Listings(IDirectoryStore s)
    {
        var list = new List<(string, string, bool)>();
        await foreach (var l in s.ReadAllAsync(includeRetired: true)) list.Add((l.Listing.Id, StoreJson.Serialize(l.Listing), l.Retired));
        return list;
    }

    [Test]
    public async Task Copies_sqlite_to_cosmos_and_back_with_everything_in_it()
    {
        var server = CosmosServer.Instance;
        var settings = server.Settings("rd-" + Guid.NewGuid().ToString("N"));
        settings.Remove("Storage:Provider");
        var t0 = new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
        var actor = new Actor("oid-1", "One");

        var sourcePath = Path.Combine(_dir, "source.db");
        var source = new SqliteDirectoryStore(sourcePath, TimeProvider.System);
        await source.InitializeAsync();
        var demo = DemoDirectory.Create(new DateOnly(2026, 1, 1));
        await source.CreateManyAsync(demo);
        var first = (await source.GetAsync(demo[0].Id))!;
        await source.ReplaceAsync(first.Listing, first.ETag, retired: true,
            new AuditEntry { Id = "0000000000100-000000000001", At = t0, Actor = actor, Action = "retire", ListingId = first.Listing.Id });
        var key = new ApiKeyRecord { Id = "k1", Name = "Partner", Hash = new string('c', 64), Prefix = "rdk_1234", RequestsPerMinute = 30, CreatedAt = t0, CreatedBy = actor };
        await source.CreateApiKeyAsync(key, new AuditEntry { Id = "0000000000200-000000000002", At = t0, Actor = actor, Action = "api-key-create" });
        await source.RevokeApiKeyAsync("k1", t0.AddDays(1), new AuditEntry { Id = "0000000000300-000000000003", At = t0, Actor = actor, Action = "api-key-revoke" });
        var secret = await source.GetOrCreateSecretAsync(ReferralDirectory.Safety.PageCursors.SecretName, ReferralDirectory.Safety.PageCursors.SecretLength);
        var suggestion = await source.CreateWorkItemAsync(new WorkItem
        {
            Id = "s1", Kind = WorkItemKinds.Suggestion, ListingId = demo[1].Id, Status = WorkItemStatus.Dismissed, CreatedAt = t0, Payload = "{\"text\":\"closed on Mondays\"}",
            ResolvedAt = t0.AddDays(1), ResolvedBy = actor, Note = "already listed",
        });

        var output = new StringWriter();
        Assert.That(await StoreCopyCommand.RunAsync(["--from", $"sqlite:{sourcePath}", "--to", "cosmos"], output, settings), Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString().Trim(), Is.EqualTo($"copied {demo.Count} listings (1 retired), 1 API keys, 3 audit entries, 1 secrets, 1 work items from sqlite:{sourcePath} to cosmos"));

        var cosmos = server.Store(settings["Storage:Cosmos:Database"]!);
        Assert.That(await Listings(cosmos), Is.EqualTo(await Listings(source)));
        Assert.That(await cosmos.GetOrCreateSecretAsync(ReferralDirectory.Safety.PageCursors.SecretName, ReferralDirectory.Safety.PageCursors.SecretLength), Is.EqualTo(secret));
        Assert.That(await cosmos.ListApiKeysAsync(), Is.EqualTo(new[] { key with { RevokedAt = t0.AddDays(1) } }));
        Assert.That(await cosmos.GetWorkItemAsync("s1") is { } copied ? copied with { ETag = suggestion.ETag } : null, Is.EqualTo(suggestion), "the store gives it its own ETag");
        var audit = await cosmos.QueryAuditAsync(new AuditQuery { Limit = 100 });
        Assert.That(audit.Where(e => e.Actor == actor).Select(e => e.Id), Is.EqualTo(new[] { "0000000000300-000000000003", "0000000000200-000000000002", "0000000000100-000000000001" }));
        Assert.That(audit.Count(e => e.Actor.ObjectId == "copy-store"), Is.EqualTo(2), "the key's creation and revocation, recorded as the copy's");

        // A second copy into the same (now full) store is refused.
        Assert.That(await StoreCopyCommand.RunAsync(["--from", $"sqlite:{sourcePath}", "--to", "cosmos"], new StringWriter(), settings), Is.EqualTo(1));

        var backPath = Path.Combine(_dir, "back.db");
        Assert.That(await StoreCopyCommand.RunAsync(["--from", "cosmos", "--to", $"sqlite:{backPath}"], new StringWriter(), settings), Is.EqualTo(0));
        var back = new SqliteDirectoryStore(backPath, TimeProvider.System);
        Assert.That(await Listings(back), Is.EqualTo(await Listings(source)));
        Assert.That(await back.GetOrCreateSecretAsync(ReferralDirectory.Safety.PageCursors.SecretName, ReferralDirectory.Safety.PageCursors.SecretLength), Is.EqualTo(secret));
        Assert.That(await back.ListApiKeysAsync(), Is.EqualTo(new[] { key with { RevokedAt = t0.AddDays(1) } }));
        Assert.That((await back.ListWorkItemsAsync(WorkItemKinds.Suggestion, openOnly: false, 10)).Select(w => (w.Id, w.Status, w.Note)),
            Is.EqualTo(new[] { ("s1", WorkItemStatus.Dismissed, "already listed") }));
        Assert.That(await back.RevokeApiKeyAsync("k1", t0, new AuditEntry { Id = "0000000000400-000000000004", At = t0, Actor = actor, Action = "api-key-revoke" }),
            Is.False, "still revoked");
    }

    [Test]
    public async Task Bad_arguments_print_the_usage()
    {
        var output = new StringWriter();
        Assert.That(await StoreCopyCommand.RunAsync(["--from", "sqlite:a.db"], output), Is.EqualTo(2));
        Assert.That(output.ToString(), Does.StartWith("usage: copy-store --from sqlite:PATH|cosmos --to sqlite:PATH|cosmos"));
        Assert.That(await StoreCopyCommand.RunAsync(["--from", "mysql:x", "--to", "cosmos"], new StringWriter()), Is.EqualTo(2));
    }

    [Test]
    public async Task Cosmos_settings_are_validated_as_on_start()
    {
        var output = new StringWriter();
        var code = await StoreCopyCommand.RunAsync(["--from", $"sqlite:{Path.Combine(_dir, "x.db")}", "--to", "cosmos"], output,
            new Dictionary<string, string?> { ["Storage:Cosmos:AccountEndpoint"] = "http://insecure.example", ["Storage:Cosmos:AuthMode"] = "Key" });
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output.ToString(), Does.Contain("Storage:Cosmos:AccountEndpoint must be an absolute https URL."));
        Assert.That(output.ToString(), Does.Contain("Storage:Cosmos:Key is required when Storage:Cosmos:AuthMode is Key"));
    }
}
