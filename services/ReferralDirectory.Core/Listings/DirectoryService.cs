using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReferralDirectory.Model;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Listings;

/// <summary>
/// Every change to the directory goes through here: written to the store first (with its audit entry, in one
/// transaction), then applied to the search index, so a listing written is found by the next search; a write
/// the store refused never reaches the index.
/// </summary>
public sealed class DirectoryService(IDirectoryStore store, DirectoryIndex index, TimeProvider time)
{
    private static long s_auditCounter;
    private readonly object _syncGate = new();
    private long _lastSequence;
    private long _lastPurgeSequence;
    private string? _syncCursor;

    public IDirectoryStore Store => store;
    public TimeProvider Time => time;

    /// <summary>How many changes one store query reads while loading or syncing.</summary>
    public const int ChangePageSize = 1000;
    private const int LoadPageSize = 10_000;

    /// <summary>Loads every live listing from the store into the index, streaming the store's change sequence page by
    /// page (so the full listings are never all in memory at once) while the index encodes them on the other cores.</summary>
    public async Task<int> LoadIndexAsync(CancellationToken ct = default)
    {
        var purges = await store.PurgesSinceAsync(0, ct);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // A listing written again while the load runs appears twice in the sequence: its last state is applied after.
        var later = new Dictionary<string, StoredListing>(StringComparer.Ordinal);
        long last = 0;
        var live = 0;
        async IAsyncEnumerable<Listing> Stream()
        {
            while (true)
            {
                var page = await store.ChangesSinceAsync(last, LoadPageSize, ct);
                foreach (var c in page)
                {
                    last = c.Sequence;
                    if (!seen.Add(c.Listing.Listing.Id)) { later[c.Listing.Listing.Id] = c.Listing; continue; }
                    if (c.Listing.Retired) continue;
                    live++;
                    yield return c.Listing.Listing;
                }
                if (page.Count < LoadPageSize) yield break;
            }
        }
        await index.LoadAsync(Stream(), ct);
        if (later.Count > 0)
            index.Apply([.. later.Values.Where(s => !s.Retired).Select(s => s.Listing)], [.. later.Values.Where(s => s.Retired).Select(s => s.Listing.Id)]);
        lock (_syncGate)
        {
            _lastSequence = last;
            _lastPurgeSequence = purges.Count > 0 ? purges[^1].Sequence : 0;
        }
        return index.Current.Count;
    }

    /// <summary>
    /// Loads the index from a checkpoint (<see cref="IndexCheckpoint"/>) when there is a usable one at
    /// <paramref name="checkpointPath"/>, then applies the store's changes since it; otherwise from the store
    /// (<see cref="LoadIndexAsync(CancellationToken)"/>). Returns the listings loaded and whether the checkpoint was used.
    /// </summary>
    public async Task<(int Count, bool FromCheckpoint)> LoadIndexAsync(string? checkpointPath, CancellationToken ct = default)
    {
        if (checkpointPath is not null && IndexCheckpoint.ReadHeader(checkpointPath) is { } h
            && h.Format == index.CheckpointFormat && h.StoreFingerprint == await StoreFingerprintAsync(ct)
            && await store.LatestSequenceAsync(ct) >= h.Sequence)
        {
            try
            {
                index.Load(IndexCheckpoint.ReadListings(checkpointPath, ct));
                lock (_syncGate)
                {
                    _lastSequence = h.Sequence;
                    _lastPurgeSequence = h.PurgeSequence;
                    _syncCursor = null;
                }
                // Everything written since the checkpoint, retires and purges included.
                await SyncAsync(ct);
                return (index.Current.Count, true);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
            {
                // A damaged checkpoint: the store has everything.
            }
        }
        return (await LoadIndexAsync(ct), false);
    }

    /// <summary>Saves the index as a checkpoint (the change sequence it reflects, read before the snapshot so that every
    /// change up to it is in the snapshot; later ones are applied again on load, which changes nothing).</summary>
    public async Task SaveCheckpointAsync(string path, CancellationToken ct = default)
    {
        var position = SyncedPosition;
        var snapshot = index.Current;
        var header = new IndexCheckpoint.Header(index.CheckpointFormat, await StoreFingerprintAsync(ct), position.Sequence, position.PurgeSequence, snapshot.Count);
        await Task.Run(() => IndexCheckpoint.Write(path, header, snapshot.AllListings()), ct);
    }

    private async Task<string> StoreFingerprintAsync(CancellationToken ct) =>
        IndexCheckpoint.Fingerprint(await store.GetOrCreateSecretAsync(Safety.PageCursors.SecretName, Safety.PageCursors.SecretLength, ct));

    /// <summary>Applies changes other instances wrote since the last sync. Returns how many were applied.</summary>
    public async Task<int> SyncAsync(CancellationToken ct = default) => (await SyncAsync(new ChangeQuerySource(store), SyncPageSize, ct)).Applied;

    /// <summary>Listing changes read per page by <see cref="SyncAsync(CancellationToken)"/>.</summary>
    public const int SyncPageSize = 1000;

    /// <summary>How far the index has applied the store's change sequence.</summary>
    public SyncPosition SyncedPosition
    {
        get { lock (_syncGate) return new SyncPosition(_lastSequence, _lastPurgeSequence, _syncCursor); }
    }

    /// <summary>
    /// Applies the changes other instances wrote since the last sync, read from <paramref name="source"/> a page
    /// (about <paramref name="pageSize"/> listings) at a time until it has no more. Each page is applied, and its
    /// position kept, before the next is read: a sync cut short (cancelled at its timeout, failed) keeps what it
    /// applied. A page is applied only if the position it was read from is still current; if another sync (one
    /// the watchdog gave up on) or a reload moved it meanwhile, the page is dropped, so an older state never
    /// overwrites a newer one.
    /// </summary>
    public async Task<SyncResult> SyncAsync(IChangeSource source, int pageSize, CancellationToken ct = default)
    {
        var applied = 0;
        var pages = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var from = SyncedPosition;
            var page = await source.ReadAsync(from, pageSize, ct);
            lock (_syncGate)
            {
                if (_lastSequence != from.Sequence || _lastPurgeSequence != from.PurgeSequence || !string.Equals(_syncCursor, from.Cursor, StringComparison.Ordinal))
                    return new SyncResult(applied, pages, new SyncPosition(_lastSequence, _lastPurgeSequence, _syncCursor), Superseded: true);
                var (upserts, removals, count) = Latest(page, from);
                if (upserts.Count > 0 || removals.Count > 0) index.Apply(upserts, removals);
                _lastSequence = Math.Max(from.Sequence, page.Next.Sequence);
                _lastPurgeSequence = Math.Max(from.PurgeSequence, page.Next.PurgeSequence);
                _syncCursor = page.Next.Cursor;
                applied += count;
                pages++;
                if (!page.More) return new SyncResult(applied, pages, new SyncPosition(_lastSequence, _lastPurgeSequence, _syncCursor), Superseded: false);
            }
        }
    }

    /// <summary>The last state of each listing a page touches (a source may repeat changes; a listing may change
    /// and be purged within one page): live ones to upsert, retired or purged ones to remove.</summary>
    private static (List<Listing> Upserts, List<string> Removals, int Count) Latest(ChangePage page, SyncPosition from)
    {
        var last = new Dictionary<string, (long Sequence, StoredListing? Stored)>(StringComparer.Ordinal);
        foreach (var c in page.Changes)
            if (c.Sequence > from.Sequence && (!last.TryGetValue(c.Listing.Listing.Id, out var seen) || seen.Sequence < c.Sequence))
                last[c.Listing.Listing.Id] = (c.Sequence, c.Listing);
        foreach (var (sequence, id) in page.Purges)
            if (sequence > from.PurgeSequence && (!last.TryGetValue(id, out var seen) || seen.Sequence < sequence))
                last[id] = (sequence, null);
        var upserts = new List<Listing>();
        var removals = new List<string>();
        foreach (var (id, (_, stored)) in last)
        {
            if (stored is { Retired: false }) upserts.Add(stored.Listing);
            else removals.Add(id);
        }
        return (upserts, removals, last.Count);
    }

    public async Task<StoredListing> CreateAsync(Listing listing, Actor? actor = null, CancellationToken ct = default)
    {
        var audit = actor is null ? null : Audit(actor, "create", listing.Id, Diff(null, listing));
        var stored = await store.CreateAsync(listing, audit, ct);
        index.Upsert(stored.Listing);
        return stored;
    }

    /// <summary>Writes one import batch (creates and replaces) in one store transaction, with an audit entry per
    /// listing when an <paramref name="actor"/> is given, then into the index.</summary>
    public async Task<IReadOnlyList<StoredListing>> WriteBatchAsync(IReadOnlyList<Listing> creates, IReadOnlyList<(Listing Listing, string ExpectedETag)> replaces,
        Actor? actor = null, CancellationToken ct = default)
    {
        IReadOnlyList<AuditEntry>? audit = actor is null ? null :
            [.. creates.Select(c => Audit(actor, "import", c.Id, [new FieldChange("import", null, "\"created\"")])),
             .. replaces.Select(r => Audit(actor, "import", r.Listing.Id, [new FieldChange("import", null, "\"updated\"")]))];
        var stored = await store.WriteBatchAsync(creates, replaces, audit, ct);
        if (stored.Count > 0) index.Apply([.. stored.Select(s => s.Listing)], []);
        return stored;
    }

    /// <summary>Replaces a listing (action: replace, patch, verify...) if <paramref name="expectedETag"/> is current.</summary>
    public async Task<StoredListing> ReplaceAsync(Listing listing, string expectedETag, Actor? actor = null, string action = "replace", string? note = null, CancellationToken ct = default)
    {
        var current = await store.GetAsync(listing.Id, ct) ?? throw new ListingNotFoundException(listing.Id);
        var audit = actor is null ? null : Audit(actor, action, listing.Id, Diff(current.Listing, listing), note);
        var stored = await store.ReplaceAsync(listing, expectedETag, current.Retired, audit, ct);
        if (stored.Retired) index.Remove(listing.Id); else index.Upsert(stored.Listing);
        return stored;
    }

    public async Task<StoredListing> RetireAsync(string id, string expectedETag, Actor? actor = null, string? note = null, CancellationToken ct = default) =>
        await SetRetiredAsync(id, expectedETag, true, actor, note, ct);

    public async Task<StoredListing> RestoreAsync(string id, string expectedETag, Actor? actor = null, string? note = null, CancellationToken ct = default) =>
        await SetRetiredAsync(id, expectedETag, false, actor, note, ct);

    private async Task<StoredListing> SetRetiredAsync(string id, string expectedETag, bool retired, Actor? actor, string? note, CancellationToken ct)
    {
        var current = await store.GetAsync(id, ct) ?? throw new ListingNotFoundException(id);
        var audit = actor is null ? null : Audit(actor, retired ? "retire" : "restore", id,
            [new FieldChange("retired", current.Retired ? "true" : "false", retired ? "true" : "false")], note);
        var stored = await store.ReplaceAsync(current.Listing, expectedETag, retired, audit, ct);
        if (retired) index.Remove(id); else index.Upsert(stored.Listing);
        return stored;
    }

    public async Task PurgeAsync(string id, string expectedETag, Actor actor, string? note = null, CancellationToken ct = default)
    {
        var current = await store.GetAsync(id, ct) ?? throw new ListingNotFoundException(id);
        await store.PurgeAsync(id, expectedETag, Audit(actor, "purge", id, Diff(current.Listing, null), note), ct);
        index.Remove(id);
    }

    public AuditEntry Audit(Actor actor, string action, string? listingId, IReadOnlyList<FieldChange> changes, string? note = null)
    {
        var now = time.GetUtcNow();
        // Ids sort by time, then by this instance's counter (same millisecond), then at random (instances).
        var id = $"{now.ToUnixTimeMilliseconds():D13}-{Interlocked.Increment(ref s_auditCounter):D12}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        return new AuditEntry { Id = id, At = now, Actor = actor, Action = action, ListingId = listingId, Changes = changes, Note = note };
    }

    /// <summary>The top-level fields that differ, with their JSON before and after.</summary>
    public static IReadOnlyList<FieldChange> Diff(Listing? before, Listing? after)
    {
        var b = before is null ? new JsonObject() : JsonSerializer.SerializeToNode(before, StoreJson.Options)!.AsObject();
        var a = after is null ? new JsonObject() : JsonSerializer.SerializeToNode(after, StoreJson.Options)!.AsObject();
        var changes = new List<FieldChange>();
        foreach (var key in b.Select(kv => kv.Key).Union(a.Select(kv => kv.Key)).Order(StringComparer.Ordinal))
        {
            var bv = b[key];
            var av = a[key];
            if (JsonNode.DeepEquals(bv, av)) continue;
            changes.Add(new FieldChange(key, bv?.ToJsonString(), av?.ToJsonString()));
        }
        return changes;
    }
}
