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
        """
        ALTER TABLE listings ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
        UPDATE listings SET seq = rowid;
        CREATE INDEX ix_listings_seq ON listings(seq);
        CREATE TABLE change_seq (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
        INSERT INTO change_seq (id, value) VALUES (1, (SELECT COALESCE(MAX(seq), 0) FROM listings));
        CREATE TABLE purges (seq INTEGER PRIMARY KEY, id TEXT NOT NULL);
        CREATE TABLE audit (
            id         TEXT PRIMARY KEY,
            at         TEXT NOT NULL,
            actor_oid  TEXT NOT NULL,
            action     TEXT NOT NULL,
            listing_id TEXT,
            doc        TEXT NOT NULL
        );
        CREATE INDEX ix_audit_listing ON audit(listing_id, id);
        CREATE INDEX ix_audit_actor ON audit(actor_oid, id);
        CREATE TABLE api_keys (
            id         TEXT PRIMARY KEY,
            hash       TEXT NOT NULL UNIQUE,
            doc        TEXT NOT NULL,
            revoked_at TEXT
        );
        """,
        """
        CREATE TABLE work_items (
            id         TEXT PRIMARY KEY,
            kind       TEXT NOT NULL,
            status     TEXT NOT NULL,
            created_at TEXT NOT NULL,
            etag       TEXT NOT NULL,
            doc        TEXT NOT NULL
        );
        CREATE INDEX ix_work_items_kind ON work_items(kind, status, created_at, id);
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

    public async Task<StoredListing> CreateAsync(Listing listing, AuditEntry? audit = null, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        var stored = (await InsertManyAsync(c, tx, [listing], ct))[0];
        if (audit is not null) await InsertAuditAsync(c, tx, audit, ct);
        await tx.CommitAsync(ct);
        return stored;
    }

    private static async Task<long> NextSequenceAsync(SqliteConnection c, SqliteTransaction tx, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "UPDATE change_seq SET value = value + 1 WHERE id = 1 RETURNING value";
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task CreateManyAsync(IReadOnlyList<Listing> listings, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        await InsertManyAsync(c, tx, listings, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Inserts new listings with one prepared statement and consecutive change sequence numbers.</summary>
    private async Task<List<StoredListing>> InsertManyAsync(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<Listing> listings, CancellationToken ct)
    {
        var stored = new List<StoredListing>(listings.Count);
        if (listings.Count == 0) return stored;
        // One prepared statement for the whole batch.
        var now = _time.GetUtcNow();
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO listings (id, kind, external_id, doc, etag, version, retired, created_at, updated_at, seq)
            VALUES ($id, $kind, $ext, $doc, $etag, 1, 0, $now, $now, $seq)
            """;
        // Reserve the batch's change sequence numbers in one step.
        long seq;
        await using (var reserve = c.CreateCommand())
        {
            reserve.Transaction = tx;
            reserve.CommandText = "UPDATE change_seq SET value = value + $n WHERE id = 1 RETURNING value";
            reserve.Parameters.AddWithValue("$n", listings.Count);
            seq = (long)(await reserve.ExecuteScalarAsync(ct))! - listings.Count;
        }
        var pSeq = cmd.Parameters.Add("$seq", SqliteType.Integer);
        var pId = cmd.Parameters.Add("$id", SqliteType.Text);
        var pKind = cmd.Parameters.Add("$kind", SqliteType.Text);
        var pExt = cmd.Parameters.Add("$ext", SqliteType.Text);
        var pDoc = cmd.Parameters.Add("$doc", SqliteType.Text);
        var pEtag = cmd.Parameters.Add("$etag", SqliteType.Text);
        cmd.Parameters.AddWithValue("$now", now.ToString("O"));
        cmd.Prepare();
        // Documents and their ETags are made on every core before the (single-threaded) inserts.
        var docs = new (string Json, string ETag)[listings.Count];
        void Make(int i) { var j = StoreJson.Serialize(listings[i]); docs[i] = (j, StoreJson.ETagFor(1, j)); }
        if (listings.Count >= 256) Parallel.For(0, listings.Count, Make); else for (var i = 0; i < listings.Count; i++) Make(i);
        var k = 0;
        foreach (var l in listings)
        {
            var (json, etag) = docs[k++];
            pId.Value = l.Id;
            pKind.Value = l.Kind;
            pExt.Value = (object?)l.ExternalId ?? DBNull.Value;
            pDoc.Value = json;
            pEtag.Value = etag;
            pSeq.Value = ++seq;
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
        return stored;
    }

    public async Task<StoredListing> ReplaceAsync(Listing listing, string expectedETag, bool retired, AuditEntry? audit = null, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        // IMMEDIATE: take the write lock before reading, so check-and-write is atomic across processes too.
        await using var tx = c.BeginTransaction(deferred: false);
        var stored = await ReplaceInAsync(c, tx, listing, expectedETag, retired, audit, ct);
        await tx.CommitAsync(ct);
        return stored;
    }

    private async Task<StoredListing> ReplaceInAsync(SqliteConnection c, SqliteTransaction tx, Listing listing, string expectedETag, bool retired, AuditEntry? audit, CancellationToken ct)
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
                                retired = $retired, updated_at = $now, seq = $seq
            WHERE id = $id AND etag = $expected
            """;
        cmd.Parameters.AddWithValue("$seq", await NextSequenceAsync(c, tx, ct));
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
        if (audit is not null) await InsertAuditAsync(c, tx, audit, ct);
        return new StoredListing(listing, etag, version, retired, current.CreatedAt, now);
    }

    public async Task PurgeAsync(string id, string expectedETag, AuditEntry? audit = null, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        var current = await GetAsync(c, tx, id, ct) ?? throw new ListingNotFoundException(id);
        if (!string.Equals(current.ETag, expectedETag, StringComparison.Ordinal)) throw new ConcurrencyException(id, current.ETag);
        await using (var del = c.CreateCommand())
        {
            del.Transaction = tx;
            del.CommandText = "DELETE FROM listings WHERE id = $id; INSERT INTO purges (seq, id) VALUES ($seq, $id);";
            del.Parameters.AddWithValue("$id", id);
            del.Parameters.AddWithValue("$seq", await NextSequenceAsync(c, tx, ct));
            await del.ExecuteNonQueryAsync(ct);
        }
        if (audit is not null) await InsertAuditAsync(c, tx, audit, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<ListingChange>> ChangesSinceAsync(long sequence, int max, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT doc, etag, version, retired, created_at, updated_at, seq FROM listings WHERE seq > $seq ORDER BY seq LIMIT $max";
        cmd.Parameters.AddWithValue("$seq", sequence);
        cmd.Parameters.AddWithValue("$max", max);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        // The document as its UTF-8 bytes (parsed as they are, not turned into a string first).
        var rows = new List<(long Seq, byte[] Doc, string ETag, long Version, bool Retired, string Created, string Updated)>();
        while (await r.ReadAsync(ct)) rows.Add((r.GetInt64(6), r.GetFieldValue<byte[]>(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3) != 0, r.GetString(4), r.GetString(5)));
        // Start-up reads every listing: parse the documents on every core.
        var list = new ListingChange[rows.Count];
        void Parse(int i)
        {
            var x = rows[i];
            list[i] = new ListingChange(x.Seq, new StoredListing(StoreJson.Deserialize(x.Doc.AsSpan()), x.ETag, x.Version, x.Retired,
                DateTimeOffset.Parse(x.Created, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(x.Updated, System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (rows.Count >= 256) Parallel.For(0, rows.Count, Parse); else for (var i = 0; i < rows.Count; i++) Parse(i);
        return list;
    }

    public async Task<IReadOnlyList<(long Sequence, string Id)>> PurgesSinceAsync(long sequence, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT seq, id FROM purges WHERE seq > $seq ORDER BY seq";
        cmd.Parameters.AddWithValue("$seq", sequence);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(long, string)>();
        while (await r.ReadAsync(ct)) list.Add((r.GetInt64(0), r.GetString(1)));
        return list;
    }

    public async Task<long> LatestSequenceAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT value FROM change_seq WHERE id = 1";
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task InsertAuditAsync(SqliteConnection c, SqliteTransaction? tx, AuditEntry e, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO audit (id, at, actor_oid, action, listing_id, doc) VALUES ($id, $at, $oid, $action, $listing, $doc)";
        cmd.Parameters.AddWithValue("$id", e.Id);
        cmd.Parameters.AddWithValue("$at", e.At.ToString("O"));
        cmd.Parameters.AddWithValue("$oid", e.Actor.ObjectId);
        cmd.Parameters.AddWithValue("$action", e.Action);
        cmd.Parameters.AddWithValue("$listing", (object?)e.ListingId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$doc", System.Text.Json.JsonSerializer.Serialize(e, StoreJson.Options));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await InsertAuditAsync(c, null, entry, ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        var where = new List<string>();
        void Add(string clause, string name, object value) { where.Add(clause); cmd.Parameters.AddWithValue(name, value); }
        if (query.ListingId is { } l) Add("listing_id = $listing", "$listing", l);
        if (query.ActorObjectId is { } a) Add("actor_oid = $oid", "$oid", a);
        if (query.Action is { } act) Add("action = $action", "$action", act);
        if (query.From is { } from) Add("at >= $from", "$from", from.ToUniversalTime().ToString("O"));
        if (query.To is { } to) Add("at < $to", "$to", to.ToUniversalTime().ToString("O"));
        if (query.Before is { } before) Add("id < $before", "$before", before);
        cmd.CommandText = "SELECT doc FROM audit" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY id DESC LIMIT $limit";
        cmd.Parameters.AddWithValue("$limit", query.Limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<AuditEntry>();
        while (await r.ReadAsync(ct)) list.Add(System.Text.Json.JsonSerializer.Deserialize<AuditEntry>(r.GetString(0), StoreJson.Options)!);
        return list;
    }

    public async Task CreateApiKeyAsync(ApiKeyRecord key, AuditEntry audit, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO api_keys (id, hash, doc, revoked_at) VALUES ($id, $hash, $doc, NULL)";
            cmd.Parameters.AddWithValue("$id", key.Id);
            cmd.Parameters.AddWithValue("$hash", key.Hash);
            cmd.Parameters.AddWithValue("$doc", System.Text.Json.JsonSerializer.Serialize(key, StoreJson.Options));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await InsertAuditAsync(c, tx, audit, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT doc FROM api_keys ORDER BY id";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ApiKeyRecord>();
        while (await r.ReadAsync(ct)) list.Add(System.Text.Json.JsonSerializer.Deserialize<ApiKeyRecord>(r.GetString(0), StoreJson.Options)!);
        return list;
    }

    public async Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset at, AuditEntry audit, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        ApiKeyRecord? key;
        await using (var get = c.CreateCommand())
        {
            get.Transaction = tx;
            get.CommandText = "SELECT doc FROM api_keys WHERE id = $id AND revoked_at IS NULL";
            get.Parameters.AddWithValue("$id", id);
            var doc = (string?)await get.ExecuteScalarAsync(ct);
            key = doc is null ? null : System.Text.Json.JsonSerializer.Deserialize<ApiKeyRecord>(doc, StoreJson.Options);
        }
        if (key is null) return false;
        await using (var upd = c.CreateCommand())
        {
            upd.Transaction = tx;
            upd.CommandText = "UPDATE api_keys SET revoked_at = $at, doc = $doc WHERE id = $id";
            upd.Parameters.AddWithValue("$id", id);
            upd.Parameters.AddWithValue("$at", at.ToString("O"));
            upd.Parameters.AddWithValue("$doc", System.Text.Json.JsonSerializer.Serialize(key with { RevokedAt = at }, StoreJson.Options));
            await upd.ExecuteNonQueryAsync(ct);
        }
        await InsertAuditAsync(c, tx, audit, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<WorkItem> CreateWorkItemAsync(WorkItem item, AuditEntry? audit = null, CancellationToken ct = default)
    {
        var stored = item with { ETag = NewWorkItemETag() };
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO work_items (id, kind, status, created_at, etag, doc) VALUES ($id, $kind, $status, $created, $etag, $doc)";
            cmd.Parameters.AddWithValue("$id", stored.Id);
            cmd.Parameters.AddWithValue("$kind", stored.Kind);
            cmd.Parameters.AddWithValue("$status", stored.Status);
            cmd.Parameters.AddWithValue("$created", stored.CreatedAt.ToUniversalTime().ToString("O"));
            cmd.Parameters.AddWithValue("$etag", stored.ETag);
            cmd.Parameters.AddWithValue("$doc", System.Text.Json.JsonSerializer.Serialize(stored, StoreJson.Options));
            try { await cmd.ExecuteNonQueryAsync(ct); }
            catch (SqliteException e) when (e.SqliteErrorCode == 19) { throw new WorkItemExistsException(item.Id); } // SQLITE_CONSTRAINT
        }
        if (audit is not null) await InsertAuditAsync(c, tx, audit, ct);
        await tx.CommitAsync(ct);
        return stored;
    }

    public async Task<WorkItem?> GetWorkItemAsync(string id, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT doc FROM work_items WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return await cmd.ExecuteScalarAsync(ct) is string doc ? System.Text.Json.JsonSerializer.Deserialize<WorkItem>(doc, StoreJson.Options) : null;
    }

    public async Task<IReadOnlyList<WorkItem>> ListWorkItemsAsync(string kind, bool openOnly, int limit, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT doc FROM work_items WHERE kind = $kind" + (openOnly ? " AND status = $open" : "") + " ORDER BY created_at, id LIMIT $limit";
        cmd.Parameters.AddWithValue("$kind", kind);
        cmd.Parameters.AddWithValue("$open", WorkItemStatus.Open);
        cmd.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<WorkItem>();
        while (await r.ReadAsync(ct)) list.Add(System.Text.Json.JsonSerializer.Deserialize<WorkItem>(r.GetString(0), StoreJson.Options)!);
        return list;
    }

    public async Task<WorkItem> UpdateWorkItemAsync(WorkItem item, string expectedETag, AuditEntry? audit = null, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        WorkItem current;
        await using (var get = c.CreateCommand())
        {
            get.Transaction = tx;
            get.CommandText = "SELECT doc FROM work_items WHERE id = $id";
            get.Parameters.AddWithValue("$id", item.Id);
            current = await get.ExecuteScalarAsync(ct) is string doc
                ? System.Text.Json.JsonSerializer.Deserialize<WorkItem>(doc, StoreJson.Options)!
                : throw new WorkItemNotFoundException(item.Id);
        }
        if (!string.Equals(current.ETag, expectedETag, StringComparison.Ordinal)) throw new ConcurrencyException(item.Id, current.ETag);
        var stored = item with { Kind = current.Kind, CreatedAt = current.CreatedAt, CreatedBy = current.CreatedBy, ETag = NewWorkItemETag() };
        await using (var upd = c.CreateCommand())
        {
            upd.Transaction = tx;
            upd.CommandText = "UPDATE work_items SET status = $status, etag = $etag, doc = $doc WHERE id = $id";
            upd.Parameters.AddWithValue("$id", stored.Id);
            upd.Parameters.AddWithValue("$status", stored.Status);
            upd.Parameters.AddWithValue("$etag", stored.ETag);
            upd.Parameters.AddWithValue("$doc", System.Text.Json.JsonSerializer.Serialize(stored, StoreJson.Options));
            await upd.ExecuteNonQueryAsync(ct);
        }
        if (audit is not null) await InsertAuditAsync(c, tx, audit, ct);
        await tx.CommitAsync(ct);
        return stored;
    }

    private static string NewWorkItemETag() => "\"" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + "\"";

    public async Task<IReadOnlyDictionary<string, ExternalIdMatch>> GetByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken ct = default)
    {
        var found = new Dictionary<string, ExternalIdMatch>(StringComparer.Ordinal);
        if (externalIds.Count == 0) return found;
        await using var c = await OpenAsync(ct);
        // json_each keeps it one statement with one parameter, whatever the batch size.
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT external_id, id, etag, version, retired, doc FROM listings
            WHERE external_id IN (SELECT value FROM json_each($ids))
            """;
        cmd.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(externalIds));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var ext = r.GetString(0);
            found[ext] = new ExternalIdMatch(ext, r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4) != 0, StoreJson.Deserialize(r.GetString(5)));
        }
        return found;
    }

    public async Task<IReadOnlyList<StoredListing>> WriteBatchAsync(IReadOnlyList<Listing> creates, IReadOnlyList<(Listing Listing, string ExpectedETag)> replaces,
        IReadOnlyList<AuditEntry>? audit = null, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        var stored = await InsertManyAsync(c, tx, creates, ct);
        foreach (var (l, etag) in replaces) stored.Add(await ReplaceInAsync(c, tx, l, etag, retired: false, null, ct));
        if (audit is { Count: > 0 }) await InsertAuditManyAsync(c, tx, audit, ct);
        await tx.CommitAsync(ct);
        return stored;
    }

    /// <summary>A batch's audit entries with one prepared statement (an import writes one per listing).</summary>
    private static async Task InsertAuditManyAsync(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO audit (id, at, actor_oid, action, listing_id, doc) VALUES ($id, $at, $oid, $action, $listing, $doc)";
        var pId = cmd.Parameters.Add("$id", SqliteType.Text);
        var pAt = cmd.Parameters.Add("$at", SqliteType.Text);
        var pOid = cmd.Parameters.Add("$oid", SqliteType.Text);
        var pAction = cmd.Parameters.Add("$action", SqliteType.Text);
        var pListing = cmd.Parameters.Add("$listing", SqliteType.Text);
        var pDoc = cmd.Parameters.Add("$doc", SqliteType.Text);
        cmd.Prepare();
        foreach (var e in entries)
        {
            pId.Value = e.Id; pAt.Value = e.At.ToString("O"); pOid.Value = e.Actor.ObjectId; pAction.Value = e.Action;
            pListing.Value = (object?)e.ListingId ?? DBNull.Value;
            pDoc.Value = System.Text.Json.JsonSerializer.Serialize(e, StoreJson.Options);
            await cmd.ExecuteNonQueryAsync(ct);
        }
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

    public async Task<bool> ImportSecretAsync(string name, byte[] value, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var ins = c.CreateCommand();
        ins.CommandText = "INSERT OR IGNORE INTO secrets (name, value) VALUES ($name, $value)";
        ins.Parameters.AddWithValue("$name", name);
        ins.Parameters.AddWithValue("$value", value);
        return await ins.ExecuteNonQueryAsync(ct) == 1;
    }
}
