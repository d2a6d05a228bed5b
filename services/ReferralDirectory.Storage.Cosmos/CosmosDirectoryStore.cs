using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Polly;
using Polly.Registry;
using ReferralDirectory.Model;
using ReferralDirectory.Storage.Resilience;

namespace ReferralDirectory.Storage.Cosmos;

/// <summary>
/// The directory in Azure Cosmos DB (NoSQL API). One container, partition key <c>/pk</c> = the directory's name:
/// every document of a directory (listings, the change log, purge markers, audit entries, API keys, secrets) is in
/// one logical partition, so every query is a single-partition query and every commit is ordered.
/// <para>
/// Commits go through one <b>log document</b> (<c>id = "log"</c>): a write validates against the current state,
/// then replaces the log document with If-Match on its ETag, putting in it the next change sequence and an
/// <b>intent</b> (the documents to create, replace or delete, audit entry included). That single-document write
/// is the atomic commit point; the intent is then applied (idempotently: by this writer, or by the next reader or
/// writer that finds it unapplied). Writers are serialized by the log's ETag, so the change sequence is gap-free,
/// monotonic and in commit order, and an audit entry exists exactly when its change does. See docs/cosmos-design.md.
/// </para>
/// Every call runs through the named Polly pipelines (<see cref="StorePipelines"/>); a write attempt carries an
/// operation id kept across retries, so a retried attempt that had already committed is recognised, not repeated.
/// </summary>
public sealed class CosmosDirectoryStore : IDirectoryStore
{
    private const string LogId = "log";
    /// <summary>Listings per intent of a bulk create (one log document stays far below Cosmos DB's 2 MB item limit).</summary>
    private const int BulkChunkBytes = 1_000_000;

    private readonly CosmosClient _client;
    private readonly CosmosStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _read;
    private readonly ResiliencePipeline _write;
    private readonly ResiliencePipeline _attempt;
    private readonly ITransientFaultClassifier _faults;
    private readonly StoreResilienceOptions _resilience;
    private readonly PartitionKey _pk;
    private readonly string _pkValue;
    private Container _container;

    public CosmosDirectoryStore(CosmosClient client, CosmosStoreOptions options, TimeProvider time,
        ResiliencePipelineProvider<string> pipelines, ITransientFaultClassifier faults, StoreResilienceOptions resilience)
    {
        _client = client;
        _options = options;
        _time = time;
        _read = pipelines.GetPipeline(StorePipelines.Read);
        _write = pipelines.GetPipeline(StorePipelines.Write);
        _attempt = pipelines.GetPipeline(StorePipelines.Attempt);
        _faults = faults;
        _resilience = resilience;
        _pkValue = options.Directory;
        _pk = new PartitionKey(_pkValue);
        _container = client.GetContainer(options.Database, options.Containers.Directory);
    }

    /// <summary>The container's indexing policy: only the fields queried, plus spatial indexes on locations and service areas.</summary>
    public static IndexingPolicy IndexingPolicy()
    {
        var p = new IndexingPolicy { Automatic = true, IndexingMode = IndexingMode.Consistent };
        p.IncludedPaths.Add(new IncludedPath { Path = "/*" });
        // Listing bodies and intents are never filtered on in the store (searches run from memory).
        p.ExcludedPaths.Add(new ExcludedPath { Path = "/listing/*" });
        p.ExcludedPaths.Add(new ExcludedPath { Path = "/intent/*" });
        p.ExcludedPaths.Add(new ExcludedPath { Path = "/entry/*" });
        p.ExcludedPaths.Add(new ExcludedPath { Path = "/key/*" });
        p.ExcludedPaths.Add(new ExcludedPath { Path = "/\"_etag\"/?" });
        var points = new SpatialPath { Path = "/geo/locations/*" };
        points.SpatialTypes.Add(SpatialType.Point);
        p.SpatialIndexes.Add(points);
        var areas = new SpatialPath { Path = "/geo/serviceAreas/*" };
        areas.SpatialTypes.Add(SpatialType.Polygon);
        areas.SpatialTypes.Add(SpatialType.MultiPolygon);
        p.SpatialIndexes.Add(areas);
        return p;
    }

    // ---- plumbing -------------------------------------------------------------------------------------------

    private Task<T> ReadCall<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct) =>
        StorePipelines.RunAsync(_read, _attempt, _faults, _resilience, async t => await call(t), ct);

    private Task<T> WriteCall<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct) =>
        StorePipelines.RunAsync(_write, _attempt, _faults, _resilience, async t => await call(t), ct);

    private static string NewOp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private static string ListingDocId(string id) => "listing:" + id;
    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("O");

    private static MemoryStream ToStream(JsonObject doc) => new(Encoding.UTF8.GetBytes(doc.ToJsonString()));

    private static async Task<JsonObject> ReadBody(ResponseMessage r, CancellationToken ct) =>
        (await JsonNode.ParseAsync(r.Content, cancellationToken: ct))!.AsObject();

    /// <summary>A document that may not exist, read by id with a single-partition query. (A point read would cost
    /// 1 RU instead of ~3, but the Cosmos-protocol test server fails point reads of missing items with a 500, and the
    /// code tested must be the code that runs.)</summary>
    private async Task<JsonObject?> ReadDocAsync(string id, CancellationToken ct)
    {
        var found = await QueryAsync("SELECT * FROM c WHERE c.pk = @pk AND c.id = @id", [("@id", id)], ct);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>All results of a single-partition query (filtered on the partition key in WHERE too).</summary>
    private async Task<List<JsonObject>> QueryAsync(string sql, IEnumerable<(string Name, object Value)> parameters, CancellationToken ct)
    {
        var q = new QueryDefinition(sql).WithParameter("@pk", _pkValue);
        foreach (var (name, value) in parameters) q = q.WithParameter(name, value);
        using var it = _container.GetItemQueryStreamIterator(q, requestOptions: new QueryRequestOptions
        {
            PartitionKey = _pk,
            EnableOptimisticDirectExecution = true,
        });
        var list = new List<JsonObject>();
        while (it.HasMoreResults)
        {
            using var r = await it.ReadNextAsync(ct);
            r.EnsureSuccessStatusCode();
            var body = await ReadBody(r, ct);
            foreach (var d in body["Documents"]!.AsArray()) list.Add(d!.AsObject());
        }
        return list;
    }

    internal static StoredListing ToStored(JsonObject d) => new(
        d["listing"].Deserialize<Listing>(StoreJson.Options)!,
        (string)d["_etag"]!,
        (long)d["version"]!,
        (bool)d["retired"]!,
        DateTimeOffset.Parse((string)d["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset.Parse((string)d["updatedAt"]!, System.Globalization.CultureInfo.InvariantCulture));

    private JsonObject ListingDoc(Listing l, long seq, long version, bool retired, DateTimeOffset created, DateTimeOffset updated, string op)
    {
        var points = new JsonArray();
        foreach (var loc in l.Locations)
            points.Add(new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(loc.Longitude, loc.Latitude) });
        var areas = new JsonArray();
        foreach (var a in l.ServiceAreas)
            if (a.GeoJson is { } g && JsonNode.Parse(g) is JsonObject geometry) areas.Add(geometry);
        return new JsonObject
        {
            ["id"] = ListingDocId(l.Id),
            ["pk"] = _pkValue,
            ["type"] = "listing",
            ["listingId"] = l.Id,
            ["seq"] = seq,
            ["version"] = version,
            ["retired"] = retired,
            ["createdAt"] = Iso(created),
            ["updatedAt"] = Iso(updated),
            ["op"] = op,
            ["listing"] = JsonSerializer.SerializeToNode(l, StoreJson.Options),
            ["geo"] = new JsonObject { ["locations"] = points, ["serviceAreas"] = areas },
        };
    }

    private JsonObject AuditDoc(AuditEntry e, string op) => new()
    {
        ["id"] = "audit:" + e.Id,
        ["pk"] = _pkValue,
        ["type"] = "audit",
        ["auditId"] = e.Id,
        ["at"] = Iso(e.At),
        ["actorOid"] = e.Actor.ObjectId,
        ["action"] = e.Action,
        ["listingId"] = e.ListingId,
        ["op"] = op,
        ["entry"] = JsonSerializer.SerializeToNode(e, StoreJson.Options),
    };

    private JsonObject ApiKeyDoc(ApiKeyRecord k, string op) => new()
    {
        ["id"] = "apikey:" + k.Id,
        ["pk"] = _pkValue,
        ["type"] = "apikey",
        ["keyId"] = k.Id,
        ["hash"] = k.Hash,
        ["revoked"] = k.RevokedAt is not null,
        ["op"] = op,
        ["key"] = JsonSerializer.SerializeToNode(k, StoreJson.Options),
    };

    private JsonObject WorkItemDoc(WorkItem w, string op) => new()
    {
        ["id"] = "work:" + w.Id,
        ["pk"] = _pkValue,
        ["type"] = "work",
        ["workId"] = w.Id,
        ["kind"] = w.Kind,
        ["status"] = w.Status,
        // One sort key (creation time, then id), so listing them needs no composite index.
        ["sortKey"] = Iso(w.CreatedAt) + "|" + w.Id,
        ["op"] = op,
        ["item"] = JsonSerializer.SerializeToNode(w, StoreJson.Options),
    };

    private static JsonObject Create(JsonObject doc) => new() { ["kind"] = "create", ["doc"] = doc };
    private static JsonObject Replace(JsonObject doc, string ifMatch) => new() { ["kind"] = "replace", ["doc"] = doc, ["ifMatch"] = ifMatch };
    private static JsonObject Delete(string id, string ifMatch) => new() { ["kind"] = "delete", ["id"] = id, ["ifMatch"] = ifMatch };

    // ---- the log: commit and apply --------------------------------------------------------------------------

    private sealed record Plan(List<JsonObject> Steps, long NewSequence);

    /// <summary>Reads the log document and applies its intent if that has not happened yet; returns the log as read.</summary>
    private async Task<(JsonObject Log, string ETag)> EnsureAppliedAsync(CancellationToken ct)
    {
        using var r = await _container.ReadItemStreamAsync(LogId, _pk, cancellationToken: ct);
        r.EnsureSuccessStatusCode();
        var log = await ReadBody(r, ct);
        var etag = r.Headers.ETag;
        if (log["intent"] is JsonObject intent && !(bool)intent["applied"]!)
        {
            await ApplyAsync(intent, ct);
            intent["applied"] = true;
            using var mark = await _container.ReplaceItemStreamAsync(ToStream(Strip(log)), LogId, _pk, new ItemRequestOptions { IfMatchEtag = etag }, ct);
            if (mark.IsSuccessStatusCode) etag = mark.Headers.ETag;
            else if (mark.StatusCode != HttpStatusCode.PreconditionFailed) mark.EnsureSuccessStatusCode();
            // 412: the log moved on meanwhile: someone else marked this intent, or committed the next one (a writer
            // applies the pending intent before it commits). This intent is applied either way, so the state is
            // complete up to this log's sequence. Not re-reading here matters: a reader that chased each new commit
            // of a busy writer would never finish (an instance's sync stalled for as long as another imported).
            // A writer commits with If-Match on the returned ETag, so a stale one only makes it read again.
        }
        return (log, etag);
    }

    /// <summary>System properties are not written back.</summary>
    private static JsonObject Strip(JsonObject doc)
    {
        foreach (var p in new[] { "_rid", "_self", "_etag", "_attachments", "_ts" }) doc.Remove(p);
        return doc;
    }

    /// <summary>Applies an intent's steps in order. Each is idempotent: a step already applied (by another
    /// instance rolling the intent forward) is recognised by its result and skipped.</summary>
    private async Task ApplyAsync(JsonObject intent, CancellationToken ct)
    {
        var op = (string)intent["op"]!;
        foreach (var node in intent["steps"]!.AsArray())
        {
            var step = node!.AsObject();
            switch ((string)step["kind"]!)
            {
                case "create":
                {
                    using var r = await _container.CreateItemStreamAsync(ToStream(step["doc"]!.AsObject()), _pk, cancellationToken: ct);
                    if (r.StatusCode != HttpStatusCode.Conflict) r.EnsureSuccessStatusCode(); // conflict: created by an earlier apply
                    break;
                }
                case "replace":
                {
                    var doc = step["doc"]!.AsObject();
                    using var r = await _container.ReplaceItemStreamAsync(ToStream(doc), (string)doc["id"]!, _pk,
                        new ItemRequestOptions { IfMatchEtag = (string)step["ifMatch"]! }, ct);
                    if (r.StatusCode == HttpStatusCode.PreconditionFailed)
                    {
                        var current = await ReadDocAsync((string)doc["id"]!, ct);
                        if ((string?)current?["op"] != op)
                            throw new InvalidOperationException($"Store invariant broken: '{doc["id"]}' changed outside the log.");
                    }
                    else r.EnsureSuccessStatusCode();
                    break;
                }
                case "delete":
                {
                    using var r = await _container.DeleteItemStreamAsync((string)step["id"]!, _pk,
                        new ItemRequestOptions { IfMatchEtag = (string)step["ifMatch"]! }, ct);
                    if (r.StatusCode == HttpStatusCode.PreconditionFailed)
                        throw new InvalidOperationException($"Store invariant broken: '{step["id"]}' changed outside the log.");
                    if (r.StatusCode != HttpStatusCode.NotFound) r.EnsureSuccessStatusCode(); // not found: deleted by an earlier apply
                    break;
                }
                default:
                    throw new InvalidDataException($"Unknown intent step '{step["kind"]}'.");
            }
        }
    }

    /// <summary>
    /// Commits a change: <paramref name="plan"/> validates against the current state (after any pending intent is
    /// applied) and returns the steps, or null when operation <paramref name="op"/> is already in the store (a
    /// retried attempt). Replacing the log document with If-Match is the commit; a lost race re-plans.
    /// </summary>
    private async Task CommitAsync(string op, Func<long, CancellationToken, Task<Plan?>> plan, CancellationToken ct)
    {
        while (true)
        {
            var (log, etag) = await EnsureAppliedAsync(ct);
            if ((string?)log["intent"]?["op"] == op) return; // this operation committed on an earlier attempt
            var seq = (long)log["seq"]!;
            var p = await plan(seq, ct);
            if (p is null) return;
            var intent = new JsonObject { ["op"] = op, ["applied"] = false, ["at"] = Iso(_time.GetUtcNow()), ["steps"] = new JsonArray([.. p.Steps]) };
            var next = new JsonObject { ["id"] = LogId, ["pk"] = _pkValue, ["type"] = "log", ["seq"] = p.NewSequence, ["intent"] = intent };
            using var r = await _container.ReplaceItemStreamAsync(ToStream(next), LogId, _pk, new ItemRequestOptions { IfMatchEtag = etag }, ct);
            if (r.StatusCode == HttpStatusCode.PreconditionFailed) continue; // another writer committed first: re-validate
            r.EnsureSuccessStatusCode();
            var committedETag = r.Headers.ETag;
            // Committed. Apply now; if this fails, the next reader or writer applies it (the change is not lost).
            await ApplyAsync(JsonNode.Parse(intent.ToJsonString())!.AsObject(), ct);
            intent["applied"] = true;
            using var mark = await _container.ReplaceItemStreamAsync(ToStream(next), LogId, _pk, new ItemRequestOptions { IfMatchEtag = committedETag }, ct);
            if (!mark.IsSuccessStatusCode && mark.StatusCode != HttpStatusCode.PreconditionFailed) mark.EnsureSuccessStatusCode();
            return;
        }
    }

    // ---- IDirectoryStore --------------------------------------------------------------------------------------

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await WriteCall(async t =>
        {
            if (_options.CreateIfMissing)
            {
                var db = (await _client.CreateDatabaseIfNotExistsAsync(_options.Database, cancellationToken: t)).Database;
                var props = new ContainerProperties(_options.Containers.Directory, "/pk") { IndexingPolicy = IndexingPolicy() };
                _container = (await db.CreateContainerIfNotExistsAsync(props, cancellationToken: t)).Container;
            }
            else
            {
                await _container.ReadContainerAsync(cancellationToken: t); // throws when infrastructure did not create it
            }
            var log = new JsonObject { ["id"] = LogId, ["pk"] = _pkValue, ["type"] = "log", ["seq"] = 0L, ["intent"] = null };
            using var r = await _container.CreateItemStreamAsync(ToStream(log), _pk, cancellationToken: t);
            if (r.StatusCode != HttpStatusCode.Conflict) r.EnsureSuccessStatusCode();
            return true;
        }, ct);
    }

    public async IAsyncEnumerable<StoredListing> ReadAllAsync(bool includeRetired = false, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await ReadCall(async t => await EnsureAppliedAsync(t), ct);
        var after = "";
        while (true)
        {
            var page = await ReadCall(t => QueryAsync(
                "SELECT TOP 500 * FROM c WHERE c.pk = @pk AND c.type = 'listing' AND c.listingId > @after"
                + (includeRetired ? "" : " AND c.retired = false") + " ORDER BY c.listingId",
                [("@after", after)], t), ct);
            foreach (var d in page) yield return ToStored(d);
            if (page.Count < 500) yield break;
            after = (string)page[^1]["listingId"]!;
        }
    }

    public Task<StoredListing?> GetAsync(string id, CancellationToken ct = default) =>
        ReadCall(async t =>
        {
            await EnsureAppliedAsync(t);
            var d = await ReadDocAsync(ListingDocId(id), t);
            return d is null ? null : ToStored(d);
        }, ct);

    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        await ReadCall(async t => await EnsureAppliedAsync(t), ct);
        return await CountScalarAsync(ct);
    }

    private Task<int> CountScalarAsync(CancellationToken ct) =>
        ReadCall(async t =>
        {
            var q = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.pk = @pk AND c.type = 'listing' AND c.retired = false").WithParameter("@pk", _pkValue);
            using var it = _container.GetItemQueryStreamIterator(q, requestOptions: new QueryRequestOptions { PartitionKey = _pk, EnableOptimisticDirectExecution = true });
            var total = 0;
            while (it.HasMoreResults)
            {
                using var r = await it.ReadNextAsync(t);
                r.EnsureSuccessStatusCode();
                var body = await ReadBody(r, t);
                foreach (var v in body["Documents"]!.AsArray()) total += (int)v!;
            }
            return total;
        }, ct);

    public async Task<StoredListing> CreateAsync(Listing listing, AuditEntry? audit = null, CancellationToken ct = default)
    {
        var op = NewOp();
        return await WriteCall(async t =>
        {
            await CommitAsync(op, async (seq, t2) =>
            {
                var current = await ReadDocAsync(ListingDocId(listing.Id), t2);
                if (current is not null) return (string?)current["op"] == op ? null : throw new ListingExistsException(listing.Id);
                var now = _time.GetUtcNow();
                var steps = new List<JsonObject> { Create(ListingDoc(listing, seq + 1, 1, false, now, now, op)) };
                if (audit is not null) steps.Add(Create(AuditDoc(audit, op)));
                return new Plan(steps, seq + 1);
            }, t);
            return ToStored((await ReadDocAsync(ListingDocId(listing.Id), t))!);
        }, ct);
    }

    public async Task CreateManyAsync(IReadOnlyList<Listing> listings, CancellationToken ct = default)
    {
        var dup = listings.GroupBy(l => l.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ListingExistsException(dup.Key);
        // One intent per chunk: atomic per chunk (a log document holds at most ~1 MB of intent), see docs/cosmos-design.md.
        var chunk = new List<Listing>();
        var bytes = 0;
        foreach (var l in listings)
        {
            var size = StoreJson.Serialize(l).Length * 2 + 512;
            if (chunk.Count > 0 && bytes + size > BulkChunkBytes)
            {
                await CreateChunkAsync(chunk, ct);
                chunk = [];
                bytes = 0;
            }
            chunk.Add(l);
            bytes += size;
        }
        if (chunk.Count > 0) await CreateChunkAsync(chunk, ct);
    }

    private async Task CreateChunkAsync(List<Listing> chunk, CancellationToken ct)
    {
        var op = NewOp();
        var ids = chunk.Select(l => l.Id).ToArray();
        await WriteCall(async t =>
        {
            await CommitAsync(op, async (seq, t2) =>
            {
                var existing = await QueryAsync("SELECT c.listingId, c.op FROM c WHERE c.pk = @pk AND c.type = 'listing' AND ARRAY_CONTAINS(@ids, c.listingId)", [("@ids", ids)], t2);
                if (existing.Count > 0) return (string?)existing[0]["op"] == op ? null : throw new ListingExistsException((string)existing[0]["listingId"]!);
                var now = _time.GetUtcNow();
                var steps = chunk.Select((l, i) => Create(ListingDoc(l, seq + 1 + i, 1, false, now, now, op))).ToList();
                return new Plan(steps, seq + chunk.Count);
            }, t);
            return true;
        }, ct);
    }

    public async Task<StoredListing> ReplaceAsync(Listing listing, string expectedETag, bool retired, AuditEntry? audit = null, CancellationToken ct = default)
    {
        var op = NewOp();
        return await WriteCall(async t =>
        {
            await CommitAsync(op, async (seq, t2) =>
            {
                var current = await ReadDocAsync(ListingDocId(listing.Id), t2) ?? throw new ListingNotFoundException(listing.Id);
                if ((string?)current["op"] == op) return null;
                var etag = (string)current["_etag"]!;
                if (!string.Equals(etag, expectedETag, StringComparison.Ordinal)) throw new ConcurrencyException(listing.Id, etag);
                var created = DateTimeOffset.Parse((string)current["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture);
                var steps = new List<JsonObject>
                {
                    Replace(ListingDoc(listing, seq + 1, (long)current["version"]! + 1, retired, created, _time.GetUtcNow(), op), etag),
                };
                if (audit is not null) steps.Add(Create(AuditDoc(audit, op)));
                return new Plan(steps, seq + 1);
            }, t);
            return ToStored((await ReadDocAsync(ListingDocId(listing.Id), t))!);
        }, ct);
    }

    public async Task<IReadOnlyDictionary<string, ExternalIdMatch>> GetByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken ct = default)
    {
        var found = new Dictionary<string, ExternalIdMatch>(StringComparer.Ordinal);
        if (externalIds.Count == 0) return found;
        var ids = externalIds.Distinct(StringComparer.Ordinal).ToArray();
        var docs = await ReadCall(async t =>
        {
            await EnsureAppliedAsync(t);
            return await QueryAsync("SELECT * FROM c WHERE c.pk = @pk AND c.type = 'listing' AND ARRAY_CONTAINS(@ids, c.listing.externalId)", [("@ids", ids)], t);
        }, ct);
        foreach (var d in docs)
        {
            var stored = ToStored(d);
            if (stored.Listing.ExternalId is { } ext) found[ext] = new ExternalIdMatch(ext, stored.Listing.Id, stored.ETag, stored.Version, stored.Retired, stored.Listing);
        }
        return found;
    }

    /// <summary>Writes each listing in its own commit, with its audit entry: atomic per listing, not per batch (a batch
    /// of 10,000 would not fit one log document). A failed batch can be re-run: the import is idempotent.</summary>
    public async Task<IReadOnlyList<StoredListing>> WriteBatchAsync(IReadOnlyList<Listing> creates, IReadOnlyList<(Listing Listing, string ExpectedETag)> replaces,
        IReadOnlyList<AuditEntry>? audit = null, CancellationToken ct = default)
    {
        var auditById = (audit ?? []).Where(a => a.ListingId is not null).GroupBy(a => a.ListingId!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var stored = new List<StoredListing>(creates.Count + replaces.Count);
        foreach (var l in creates) stored.Add(await CreateAsync(l, auditById.GetValueOrDefault(l.Id), ct));
        foreach (var (l, etag) in replaces) stored.Add(await ReplaceAsync(l, etag, retired: false, auditById.GetValueOrDefault(l.Id), ct));
        return stored;
    }

    public async Task PurgeAsync(string id, string expectedETag, AuditEntry? audit = null, CancellationToken ct = default)
    {
        var op = NewOp();
        await WriteCall(async t =>
        {
            await CommitAsync(op, async (seq, t2) =>
            {
                var current = await ReadDocAsync(ListingDocId(id), t2);
                if (current is null)
                {
                    var done = await QueryAsync("SELECT c.id FROM c WHERE c.pk = @pk AND c.type = 'purge' AND c.op = @op", [("@op", op)], t2);
                    return done.Count > 0 ? null : throw new ListingNotFoundException(id);
                }
                var etag = (string)current["_etag"]!;
                if (!string.Equals(etag, expectedETag, StringComparison.Ordinal)) throw new ConcurrencyException(id, etag);
                var marker = new JsonObject { ["id"] = $"purge:{seq + 1:D19}", ["pk"] = _pkValue, ["type"] = "purge", ["seq"] = seq + 1, ["listingId"] = id, ["op"] = op };
                var steps = new List<JsonObject> { Delete(ListingDocId(id), etag), Create(marker) };
                if (audit is not null) steps.Add(Create(AuditDoc(audit, op)));
                return new Plan(steps, seq + 1);
            }, t);
            return true;
        }, ct);
    }

    public async Task<IReadOnlyList<ListingChange>> ChangesSinceAsync(long sequence, int max, CancellationToken ct = default)
    {
        await ReadCall(async t => await EnsureAppliedAsync(t), ct);
        var list = new List<ListingChange>();
        var after = sequence;
        while (list.Count < max)
        {
            var take = Math.Min(1000, max - list.Count);
            var page = await ReadCall(t => QueryAsync(
                $"SELECT TOP {take} * FROM c WHERE c.pk = @pk AND c.type = 'listing' AND c.seq > @seq ORDER BY c.seq", [("@seq", after)], t), ct);
            foreach (var d in page) list.Add(new ListingChange((long)d["seq"]!, ToStored(d)));
            if (page.Count < take) break;
            after = list[^1].Sequence;
        }
        return list;
    }

    public async Task<IReadOnlyList<(long Sequence, string Id)>> PurgesSinceAsync(long sequence, CancellationToken ct = default)
    {
        await ReadCall(async t => await EnsureAppliedAsync(t), ct);
        var list = new List<(long, string)>();
        var after = sequence;
        while (true)
        {
            var page = await ReadCall(t => QueryAsync(
                "SELECT TOP 1000 c.seq, c.listingId FROM c WHERE c.pk = @pk AND c.type = 'purge' AND c.seq > @seq ORDER BY c.seq", [("@seq", after)], t), ct);
            foreach (var d in page) list.Add(((long)d["seq"]!, (string)d["listingId"]!));
            if (page.Count < 1000) return list;
            after = list[^1].Item1;
        }
    }

    public Task<long> LatestSequenceAsync(CancellationToken ct = default) =>
        ReadCall(async t => (long)(await EnsureAppliedAsync(t)).Log["seq"]!, ct);

    // ---- the change feed (CosmosChangeFeedSource) ---------------------------------------------------------------

    /// <summary>The directory's feed range: its one logical partition, so the feed is in commit order.</summary>
    private FeedRange DirectoryFeedRange => FeedRange.FromPartitionKey(_pk);

    /// <summary>A change-feed continuation for "from now on" in the directory's feed range.</summary>
    internal Task<string> ChangeFeedFromNowAsync(CancellationToken ct) =>
        ReadCall(async t =>
        {
            using var it = _container.GetChangeFeedStreamIterator(ChangeFeedStartFrom.Now(DirectoryFeedRange), ChangeFeedMode.LatestVersion,
                new ChangeFeedRequestOptions { PageSizeHint = 1 });
            using var r = await it.ReadNextAsync(t);
            if (r.StatusCode != HttpStatusCode.NotModified) r.EnsureSuccessStatusCode();
            return r.ContinuationToken;
        }, ct);

    /// <summary>One page of the change feed after <paramref name="continuation"/>: the latest version of each document
    /// changed since (every type; deletions are not in it, which is why purges leave a marker document), the next
    /// continuation, and whether there were changes (false: 304 Not Modified, caught up).</summary>
    internal Task<(IReadOnlyList<JsonObject> Documents, string Continuation, bool Changed)> ReadChangeFeedAsync(string continuation, int max, CancellationToken ct) =>
        ReadCall<(IReadOnlyList<JsonObject>, string, bool)>(async t =>
        {
            using var it = _container.GetChangeFeedStreamIterator(ChangeFeedStartFrom.ContinuationToken(continuation), ChangeFeedMode.LatestVersion,
                new ChangeFeedRequestOptions { PageSizeHint = max });
            using var r = await it.ReadNextAsync(t);
            if (r.StatusCode == HttpStatusCode.NotModified) return ([], r.ContinuationToken, false);
            r.EnsureSuccessStatusCode();
            var body = await ReadBody(r, t);
            return ([.. body["Documents"]!.AsArray().Select(d => d!.AsObject())], r.ContinuationToken, true);
        }, ct);

    /// <summary>The directory's partition key value (documents of other directories sharing the container are skipped).</summary>
    internal string PartitionKeyValue => _pkValue;

    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        var op = NewOp();
        await WriteCall(async t =>
        {
            using var r = await _container.CreateItemStreamAsync(ToStream(AuditDoc(entry, op)), _pk, cancellationToken: t);
            if (r.StatusCode != HttpStatusCode.Conflict) r.EnsureSuccessStatusCode(); // conflict: an earlier attempt wrote it
            return true;
        }, ct);
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken ct = default) =>
        ReadCall<IReadOnlyList<AuditEntry>>(async t =>
        {
            await EnsureAppliedAsync(t);
            var where = new List<string> { "c.pk = @pk", "c.type = 'audit'" };
            var ps = new List<(string, object)>();
            void Add(string clause, string name, object value) { where.Add(clause); ps.Add((name, value)); }
            if (query.ListingId is { } l) Add("c.listingId = @listing", "@listing", l);
            if (query.ActorObjectId is { } a) Add("c.actorOid = @oid", "@oid", a);
            if (query.Action is { } act) Add("c.action = @action", "@action", act);
            if (query.From is { } from) Add("c.at >= @from", "@from", Iso(from));
            if (query.To is { } to) Add("c.at < @to", "@to", Iso(to));
            if (query.Before is { } before) Add("c.auditId < @before", "@before", before);
            var docs = await QueryAsync($"SELECT TOP {Math.Max(0, query.Limit)} c.entry FROM c WHERE {string.Join(" AND ", where)} ORDER BY c.auditId DESC", ps, t);
            return [.. docs.Select(d => d["entry"].Deserialize<AuditEntry>(StoreJson.Options)!)];
        }, ct);

    public async Task CreateApiKeyAsync(ApiKeyRecord key, AuditEntry audit, CancellationToken ct = default)
    {
        var op = NewOp();
        await WriteCall(async t =>
        {
            await CommitAsync(op, async (seq, t2) =>
            {
                var same = await QueryAsync("SELECT c.keyId, c.op FROM c WHERE c.pk = @pk AND c.type = 'apikey' AND (c.keyId = @id OR c.hash = @hash)",
                    [("@id", key.Id), ("@hash", key.Hash)], t2);
                if (same.Count > 0)
                    return (string?)same[0]["op"] == op ? null : throw new InvalidOperationException($"An API key with id '{key.Id}' or the same hash exists.");
                return new Plan([Create(ApiKeyDoc(key, op)), Create(AuditDoc(audit, op))], seq);
            }, t);
            return true;
        }, ct);
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken ct = default) =>
        ReadCall<IReadOnlyList<ApiKeyRecord>>(async t =>
        {
            await EnsureAppliedAsync(t);
            var docs = await QueryAsync("SELECT c.key FROM c WHERE c.pk = @pk AND c.type = 'apikey' ORDER BY c.keyId", [], t);
            return [.. docs.Select(d => d["key"].Deserialize<ApiKeyRecord>(StoreJson.Options)!)];
        }, ct);

    public async Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset at, AuditEntry audit, CancellationToken ct = default)
    {
        var op = NewOp();
        return await WriteCall(async t =>
        {
            var revoked = true;
            await CommitAsync(op, async (seq, t2) =>
            {
                var doc = await ReadDocAsync("apikey:" + id, t2);
                if (doc is not null && (string?)doc["op"] == op) return null;
                if (doc is null || (bool)doc["revoked"]!) { revoked = false; return null; }
                var key = doc["key"].Deserialize<ApiKeyRecord>(StoreJson.Options)! with { RevokedAt = at };
                return new Plan([Replace(ApiKeyDoc(key, op), (string)doc["_etag"]!), Create(AuditDoc(audit, op))], seq);
            }, t);
            return revoked;
        }, ct);
    }

    public async Task<WorkItem> CreateWorkItemAsync(WorkItem item, AuditEntry? audit = null, CancellationToken ct = default)
    {
        var op = NewOp();
        var stored = item with { ETag = "\"" + op + "\"" };
        await WriteCall(async t =>
        {
            await CommitAsync(op, async (seq, t2) =>
            {
                var doc = await ReadDocAsync("work:" + item.Id, t2);
                if (doc is not null) return (string?)doc["op"] == op ? null : throw new WorkItemExistsException(item.Id);
                List<JsonObject> steps = [Create(WorkItemDoc(stored, op))];
                if (audit is not null) steps.Add(Create(AuditDoc(audit, op)));
                return new Plan(steps, seq);
            }, t);
            return true;
        }, ct);
        return stored;
    }

    public Task<WorkItem?> GetWorkItemAsync(string id, CancellationToken ct = default) =>
        ReadCall(async t =>
        {
            await EnsureAppliedAsync(t);
            return (await ReadDocAsync("work:" + id, t))?["item"].Deserialize<WorkItem>(StoreJson.Options);
        }, ct);

    public Task<IReadOnlyList<WorkItem>> ListWorkItemsAsync(string kind, bool openOnly, int limit, CancellationToken ct = default) =>
        ReadCall<IReadOnlyList<WorkItem>>(async t =>
        {
            await EnsureAppliedAsync(t);
            var docs = await QueryAsync($"SELECT TOP {Math.Max(0, limit)} c.item FROM c WHERE c.pk = @pk AND c.type = 'work' AND c.kind = @kind"
                + (openOnly ? " AND c.status = @open" : "") + " ORDER BY c.sortKey",
                [("@kind", kind), ("@open", WorkItemStatus.Open)], t);
            return [.. docs.Select(d => d["item"].Deserialize<WorkItem>(StoreJson.Options)!)];
        }, ct);

    public async Task<WorkItem> UpdateWorkItemAsync(WorkItem item, string expectedETag, AuditEntry? audit = null, CancellationToken ct = default)
    {
        var op = NewOp();
        WorkItem? stored = null;
        await WriteCall(async t =>
        {
            await CommitAsync(op, async (seq, t2) =>
            {
                var doc = await ReadDocAsync("work:" + item.Id, t2) ?? throw new WorkItemNotFoundException(item.Id);
                var current = doc["item"].Deserialize<WorkItem>(StoreJson.Options)!;
                if ((string?)doc["op"] == op) { stored = current; return null; } // committed on an earlier attempt
                if (!string.Equals(current.ETag, expectedETag, StringComparison.Ordinal)) throw new ConcurrencyException(item.Id, current.ETag);
                stored = item with { Kind = current.Kind, CreatedAt = current.CreatedAt, CreatedBy = current.CreatedBy, ETag = "\"" + op + "\"" };
                List<JsonObject> steps = [Replace(WorkItemDoc(stored, op), (string)doc["_etag"]!)];
                if (audit is not null) steps.Add(Create(AuditDoc(audit, op)));
                return new Plan(steps, seq);
            }, t);
            return true;
        }, ct);
        return stored!;
    }

    public Task<byte[]> GetOrCreateSecretAsync(string name, int length, CancellationToken ct = default) =>
        WriteCall(async t =>
        {
            var id = "secret:" + name;
            var existing = await ReadDocAsync(id, t);
            if (existing is not null) return Convert.FromBase64String((string)existing["value"]!);
            var doc = new JsonObject { ["id"] = id, ["pk"] = _pkValue, ["type"] = "secret", ["value"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(length)) };
            using var r = await _container.CreateItemStreamAsync(ToStream(doc), _pk, cancellationToken: t);
            if (r.StatusCode == HttpStatusCode.Conflict) return Convert.FromBase64String((string)(await ReadDocAsync(id, t))!["value"]!);
            r.EnsureSuccessStatusCode();
            return Convert.FromBase64String((string)doc["value"]!);
        }, ct);

    public Task<bool> ImportSecretAsync(string name, byte[] value, CancellationToken ct = default) =>
        WriteCall(async t =>
        {
            var id = "secret:" + name;
            var doc = new JsonObject { ["id"] = id, ["pk"] = _pkValue, ["type"] = "secret", ["value"] = Convert.ToBase64String(value) };
            using var r = await _container.CreateItemStreamAsync(ToStream(doc), _pk, cancellationToken: t);
            if (r.StatusCode != HttpStatusCode.Conflict) { r.EnsureSuccessStatusCode(); return true; }
            // Conflict: it exists; on a retried attempt it may be this very value.
            return false;
        }, ct);
}
