using ReferralDirectory.Model;

namespace ReferralDirectory.Storage;

/// <summary>A listing as stored: the document, its ETag for optimistic concurrency, and its lifecycle.</summary>
public sealed record StoredListing(Listing Listing, string ETag, long Version, bool Retired, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);


/// <summary>A listing found by its external id: the stored listing, its ETag, version and whether it is retired.</summary>
public sealed record ExternalIdMatch(string ExternalId, string Id, string ETag, long Version, bool Retired, Listing Listing);

/// <summary>
/// The directory's source of truth; the embedded SQLite store is the default. Conventions every implementation follows (a shared test suite checks them on each):
/// <list type="bullet">
/// <item>ETags are strong, opaque, and change on every write; a write with a stale ETag throws <see cref="ConcurrencyException"/> and changes nothing.</item>
/// <item>An audit entry passed with a write is stored atomically with it (both or neither).</item>
/// <item>Retire is a soft delete (the document stays, <c>Retired</c> is true); only purge removes it.</item>
/// <item>Every write gets a new, higher change sequence; <see cref="ChangesSinceAsync"/> returns them in order.</item>
/// </list>
/// </summary>
public interface IDirectoryStore
{
    /// <summary>Creates or migrates the store. Safe to call on every start.</summary>
    Task InitializeAsync(CancellationToken ct = default);
    IAsyncEnumerable<StoredListing> ReadAllAsync(bool includeRetired = false, CancellationToken ct = default);
    Task<StoredListing?> GetAsync(string id, CancellationToken ct = default);
    Task<int> CountAsync(CancellationToken ct = default);
    /// <summary>Creates a listing; throws <see cref="ListingExistsException"/> when the id is taken.</summary>
    Task<StoredListing> CreateAsync(Listing listing, AuditEntry? audit = null, CancellationToken ct = default);
    /// <summary>Creates many listings in one transaction (seeding, imports); all or nothing.</summary>
    Task CreateManyAsync(IReadOnlyList<Listing> listings, CancellationToken ct = default);
    /// <summary>Replaces a listing when its ETag still matches; throws <see cref="ConcurrencyException"/> when
    /// it changed meanwhile and <see cref="ListingNotFoundException"/> when it does not exist.</summary>
    Task<StoredListing> ReplaceAsync(Listing listing, string expectedETag, bool retired, AuditEntry? audit = null, CancellationToken ct = default);
    /// <summary>Removes a listing for good (admins only); throws like <see cref="ReplaceAsync"/>.</summary>
    Task PurgeAsync(string id, string expectedETag, AuditEntry? audit = null, CancellationToken ct = default);
    /// <summary>Writes that happened after <paramref name="sequence"/> (0 = all), oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<ListingChange>> ChangesSinceAsync(long sequence, int max, CancellationToken ct = default);
    /// <summary>Ids of listings purged after <paramref name="sequence"/>, with the sequence of each purge.</summary>
    Task<IReadOnlyList<(long Sequence, string Id)>> PurgesSinceAsync(long sequence, CancellationToken ct = default);
    /// <summary>The store's latest change sequence (0 while nothing was written): how far index sync has to go.
    /// A commit that another instance began but did not finish is completed first, so the answer counts it.</summary>
    Task<long> LatestSequenceAsync(CancellationToken ct = default);

    Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default);
    Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken ct = default);

    Task CreateApiKeyAsync(ApiKeyRecord key, AuditEntry audit, CancellationToken ct = default);
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken ct = default);
    /// <summary>Marks a key revoked; false when there is no such live key.</summary>
    Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset at, AuditEntry audit, CancellationToken ct = default);
    /// <summary>The listings (live or retired) whose <see cref="Listing.ExternalId"/> is one of <paramref name="externalIds"/>,
    /// keyed by external id; ids not found are absent. External ids are unique in a store. Used by bulk imports
    /// to upsert by external id (comparing the stored listing tells whether a row changed).</summary>
    Task<IReadOnlyDictionary<string, ExternalIdMatch>> GetByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken ct = default);
    /// <summary>Creates <paramref name="creates"/> and replaces <paramref name="replaces"/> (each when its ETag still
    /// matches; a replaced listing becomes live again) in ONE transaction with their <paramref name="audit"/> entries:
    /// all or nothing in the embedded store (Cosmos DB: per listing; an import re-run is idempotent).
    /// Bulk imports write a batch with it. Throws like <see cref="CreateAsync"/> and <see cref="ReplaceAsync"/>.</summary>
    Task<IReadOnlyList<StoredListing>> WriteBatchAsync(IReadOnlyList<Listing> creates, IReadOnlyList<(Listing Listing, string ExpectedETag)> replaces,
        IReadOnlyList<AuditEntry>? audit = null, CancellationToken ct = default);
    /// <summary>Stores a new work item (and its audit entry, in the same transaction);
    /// <see cref="WorkItemExistsException"/> when its id is taken. Returns it with its ETag.</summary>
    Task<WorkItem> CreateWorkItemAsync(WorkItem item, AuditEntry? audit = null, CancellationToken ct = default);
    /// <summary>A work item by id, or null.</summary>
    Task<WorkItem?> GetWorkItemAsync(string id, CancellationToken ct = default);
    /// <summary>Work items of one kind, oldest first (by creation time, then id), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WorkItem>> ListWorkItemsAsync(string kind, bool openOnly, int limit, CancellationToken ct = default);
    /// <summary>Replaces a work item (and appends its audit entry, in the same transaction) when its ETag is still
    /// <paramref name="expectedETag"/>; otherwise <see cref="ConcurrencyException"/>. Its kind, creation time and creator
    /// stay as stored.</summary>
    Task<WorkItem> UpdateWorkItemAsync(WorkItem item, string expectedETag, AuditEntry? audit = null, CancellationToken ct = default);
    /// <summary>A named server secret, created at random on first use and kept in the store.</summary>
    Task<byte[]> GetOrCreateSecretAsync(string name, int length, CancellationToken ct = default);
    /// <summary>Stores a named secret with the given value when it does not exist yet (copying a directory between
    /// stores); false, and nothing changed, when it exists.</summary>
    Task<bool> ImportSecretAsync(string name, byte[] value, CancellationToken ct = default);
}

public sealed class ListingExistsException(string id) : Exception($"A listing with id '{id}' already exists.")
{
    public string Id { get; } = id;
}

public sealed class ListingNotFoundException(string id) : Exception($"No listing with id '{id}'.")
{
    public string Id { get; } = id;
}

public sealed class ConcurrencyException(string id, string currentETag) : Exception($"'{id}' was changed by someone else.")
{
    public string Id { get; } = id;
    public string CurrentETag { get; } = currentETag;
}

/// <summary>
/// The store could not complete a call in time (transient failures exhausted their retries, a timeout, or the
/// circuit breaker is open). Nothing was acknowledged; the caller may try again after <see cref="RetryAfter"/>.
/// The API answers 503 with a Retry-After header.
/// </summary>
public sealed class StoreUnavailableException(TimeSpan retryAfter, Exception? inner = null)
    : Exception("The directory store is unavailable; try again later.", inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
