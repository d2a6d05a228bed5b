using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using ReferralDirectory.Model;

namespace ReferralDirectory.Storage;

/// <summary>
/// The embedded store: one SQLite file, WAL journal with synchronous=FULL (a write acknowledged is on disk),
/// migrated on start through <c>PRAGMA user_version</c>. Listings are JSON documents with a few indexed columns.
/// </summary>
public sealed class SqliteDirectoryStore : IDirectoryStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    /// <summary>Schema migrations, applied in order; never edit a released one, add a new one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE listings (
            id          TEXT PRIMARY KEY,
            kind        TEXT NOT NULL,
            external_id TEXT,
            doc         TEXT NOT NULL,
            etag        TEXT NOT NULL,
            version     INTEGER NOT NULL,
            retired     INTEGER NOT NULL DEFAULT 0,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE UNIQUE INDEX ix_listings_external_id ON listings(external_id) WHERE external_id IS NOT NULL;
        CREATE INDEX ix_listings_updated_at ON listings(updated_at);
        CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
        """,
    ];

    public SqliteDirectoryStore(string path, TimeProvider time)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _time = time;
        FilePath = full;
    }

    public string FilePath { get; }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";
        await cmd.ExecuteNonQueryAsync(ct);
        return c;
    }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using (var wal = c.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(ct);
        }
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        long version;
        await using (var v = c.CreateCommand())
        {
            v.Transaction = tx;
            v.CommandText = "PRAGMA user_version;";
            version = (long)(await v.ExecuteScalarAsync(ct))!;
        }
        if (version > Migrations.Length)
            throw new InvalidOperationException($"The store at {FilePath} has schema version {version}, newer than this service knows ({Migrations.Length}).");
        for (var i = (int)version; i < Migrations.Length; i++)
        {
            await using var m = c.CreateCommand();
            m.Transaction = tx;
            m.CommandText = Migrations[i] + $"\nPRAGMA user_version = {i + 1};";
            await m.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    public async IAsyncEnumerable<StoredListing> ReadAllAsync(bool includeRetired = false, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT doc, etag, version, retired, created_at, updated_at FROM listings"
                          + (includeRetired ? "" : " WHERE retired = 0") + " ORDER BY id";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) yield return Read(r);
    }

    private static StoredListing Read(SqliteDataReader r) => new(
        StoreJson.Deserialize(r.GetString(0)), r.GetString(1), r.GetInt64(2), r.GetInt64(3) != 0,
        DateTimeOffset.Parse(r.GetString(4), System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(r.GetString(5), System.Globalization.CultureInfo.InvariantCulture));

    public async Task<StoredListing?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        return await GetAsync(c, null, id, ct);
    }

    private static async Task<StoredListing?> GetAsync(SqliteConnection c, SqliteTransaction? tx, string id, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT doc, etag, version, retired, created_at, updated_at FROM listings WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM listings WHERE retired = 0";
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<StoredListing> CreateAsync(Listing listing, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        var stored = await InsertAsync(c, tx, listing, ct);
        await tx.CommitAsync(ct);
        return stored;
    }

    public async Task CreateManyAsync(IReadOnlyList<Listing> listings, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        foreach (var l in listings) await InsertAsync(c, tx, l, ct);
        await tx.CommitAsync(ct);
    }

    private async Task<StoredListing> InsertAsync(SqliteConnection c, SqliteTransaction tx, Listing listing, CancellationToken ct)
    {
        var json = StoreJson.Serialize(listing);
        var now = _time.GetUtcNow();
        var etag = StoreJson.ETagFor(1, json);
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO listings (id, kind, external_id, doc, etag, version, retired, created_at, updated_at)
            VALUES ($id, $kind, $ext, $doc, $etag, 1, 0, $now, $now)
            """;
        cmd.Parameters.AddWithValue("$id", listing.Id);
        cmd.Parameters.AddWithValue("$kind", listing.Kind);
        cmd.Parameters.AddWithValue("$ext", (object?)listing.ExternalId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$doc", json);
        cmd.Parameters.AddWithValue("$etag", etag);
        cmd.Parameters.AddWithValue("$now", now.ToString("O"));
        try
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT
        {
            throw new ListingExistsException(listing.Id);
        }
        return new StoredListing(listing, etag, 1, false, now, now);
    }

    public async Task<StoredListing> ReplaceAsync(Listing listing, string expectedETag, bool retired, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        // IMMEDIATE: take the write lock before reading, so check-and-write is atomic across processes too.
        await using var tx = c.BeginTransaction(deferred: false);
        var stored = await ReplaceInAsync(c, tx, listing, expectedETag, retired, ct);
        await tx.CommitAsync(ct);
        return stored;
    }

    private async Task<StoredListing> ReplaceInAsync(SqliteConnection c, SqliteTransaction tx, Listing listing, string expectedETag, bool retired, CancellationToken ct)
    {
        var current = await GetAsync(c, tx, listing.Id, ct) ?? throw new ListingNotFoundException(listing.Id);
        if (!string.Equals(current.ETag, expectedETag, StringComparison.Ordinal)) throw new ConcurrencyException(listing.Id, current.ETag);
        var json = StoreJson.Serialize(listing);
        var version = current.Version + 1;
        var etag = StoreJson.ETagFor(version, json);
        var now = _time.GetUtcNow();
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            UPDATE listings SET kind = $kind, external_id = $ext, doc = $doc, etag = $etag, version = $version,
                                retired = $retired, updated_at = $now
            WHERE id = $id AND etag = $expected
            """;
        cmd.Parameters.AddWithValue("$id", listing.Id);
        cmd.Parameters.AddWithValue("$kind", listing.Kind);
        cmd.Parameters.AddWithValue("$ext", (object?)listing.ExternalId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$doc", json);
        cmd.Parameters.AddWithValue("$etag", etag);
        cmd.Parameters.AddWithValue("$version", version);
        cmd.Parameters.AddWithValue("$retired", retired ? 1 : 0);
        cmd.Parameters.AddWithValue("$now", now.ToString("O"));
        cmd.Parameters.AddWithValue("$expected", expectedETag);
        if (await cmd.ExecuteNonQueryAsync(ct) != 1) throw new ConcurrencyException(listing.Id, current.ETag);
        return new StoredListing(listing, etag, version, retired, current.CreatedAt, now);
    }

    public async Task<IReadOnlyDictionary<string, ExternalIdMatch>> GetByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken ct = default)
    {
        var found = new Dictionary<string, ExternalIdMatch>(StringComparer.Ordinal);
        if (externalIds.Count == 0) return found;
        await using var c = await OpenAsync(ct);
        // json_each keeps it one statement with one parameter, whatever the batch size.
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT external_id, id, etag, version, retired FROM listings
            WHERE external_id IN (SELECT value FROM json_each($ids))
            """;
        cmd.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(externalIds));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var ext = r.GetString(0);
            found[ext] = new ExternalIdMatch(ext, r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4) != 0);
        }
        return found;
    }

    public async Task<IReadOnlyList<StoredListing>> WriteBatchAsync(IReadOnlyList<Listing> creates, IReadOnlyList<(Listing Listing, string ExpectedETag)> replaces, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        var stored = new List<StoredListing>(creates.Count + replaces.Count);
        if (creates.Count > 0)
        {
            // One prepared statement for the whole batch.
            var now = _time.GetUtcNow();
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO listings (id, kind, external_id, doc, etag, version, retired, created_at, updated_at)
                VALUES ($id, $kind, $ext, $doc, $etag, 1, 0, $now, $now)
                """;
            var pId = cmd.Parameters.Add("$id", SqliteType.Text);
            var pKind = cmd.Parameters.Add("$kind", SqliteType.Text);
            var pExt = cmd.Parameters.Add("$ext", SqliteType.Text);
            var pDoc = cmd.Parameters.Add("$doc", SqliteType.Text);
            var pEtag = cmd.Parameters.Add("$etag", SqliteType.Text);
            cmd.Parameters.AddWithValue("$now", now.ToString("O"));
            cmd.Prepare();
            foreach (var l in creates)
            {
                var json = StoreJson.Serialize(l);
                var etag = StoreJson.ETagFor(1, json);
                pId.Value = l.Id;
                pKind.Value = l.Kind;
                pExt.Value = (object?)l.ExternalId ?? DBNull.Value;
                pDoc.Value = json;
                pEtag.Value = etag;
                try
                {
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT
                {
                    throw new ListingExistsException(l.Id);
                }
                stored.Add(new StoredListing(l, etag, 1, false, now, now));
            }
        }
        foreach (var (l, etag) in replaces) stored.Add(await ReplaceInAsync(c, tx, l, etag, retired: false, ct));
        await tx.CommitAsync(ct);
        return stored;
    }

    public async Task<byte[]> GetOrCreateSecretAsync(string name, int length, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using (var ins = c.CreateCommand())
        {
            ins.CommandText = "INSERT OR IGNORE INTO secrets (name, value) VALUES ($name, $value)";
            ins.Parameters.AddWithValue("$name", name);
            ins.Parameters.AddWithValue("$value", RandomNumberGenerator.GetBytes(length));
            await ins.ExecuteNonQueryAsync(ct);
        }
        await using var get = c.CreateCommand();
        get.CommandText = "SELECT value FROM secrets WHERE name = $name";
        get.Parameters.AddWithValue("$name", name);
        return (byte[])(await get.ExecuteScalarAsync(ct))!;
    }
}
