using Microsoft.Data.Sqlite;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Tests.Storage;

public sealed class SqliteStoreTests : DirectoryStoreContract
{
    private string _dir = null!;
    private string FilePath => Path.Combine(_dir, "store.db");

    protected override async Task<IDirectoryStore> CreateStoreAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rd-store-tests", Guid.NewGuid().ToString("N"));
        var store = new SqliteDirectoryStore(FilePath, TimeProvider.System);
        await store.InitializeAsync();
        return store;
    }

    protected override IDirectoryStore SecondClient() => new SqliteDirectoryStore(FilePath, TimeProvider.System);

    [TearDown]
    public void Delete()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    [Test]
    public async Task Migrations_are_idempotent_and_the_journal_is_wal()
    {
        await Store.InitializeAsync();
        var reopened = new SqliteDirectoryStore(FilePath, TimeProvider.System);
        await reopened.InitializeAsync();
        await using var c = new SqliteConnection($"Data Source={FilePath}");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.That(await cmd.ExecuteScalarAsync(), Is.EqualTo("wal"));
    }
}
