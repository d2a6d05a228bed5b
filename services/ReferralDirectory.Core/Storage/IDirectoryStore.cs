using ReferralDirectory.Model;

namespace ReferralDirectory.Storage;

/// <summary>A listing as stored: the document, its ETag for optimistic concurrency, and its lifecycle.</summary>
public sealed record StoredListing(Listing Listing, string ETag, long Version, bool Retired, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A listing found by its external id: its id, ETag, version and whether it is retired (no document).</summary>
public sealed record ExternalIdMatch(string ExternalId, string Id, string ETag, long Version, bool Retired);

/// <summary>The directory's source of truth. The embedded SQLite store is the default.</summary>
public interface IDirectoryStore
{
    /// <summary>Creates or migrates the store. Safe to call on every start.</summary>
    Task InitializeAsync(CancellationToken ct = default);
    IAsyncEnumerable<StoredListing> ReadAllAsync(bool includeRetired = false, CancellationToken ct = default);
    Task<StoredListing?> GetAsync(string id, CancellationToken ct = default);
    Task<int> CountAsync(CancellationToken ct = default);
    /// <summary>Creates a listing; throws <see cref="ListingExistsException"/> when the id is taken.</summary>
    Task<StoredListing> CreateAsync(Listing listing, CancellationToken ct = default);
    /// <summary>Creates many listings in one transaction (seeding, imports); all or nothing.</summary>
    Task CreateManyAsync(IReadOnlyList<Listing> listings, CancellationToken ct = default);
    /// <summary>Replaces a listing when its ETag still matches; throws <see cref="ConcurrencyException"/> when
    /// it changed meanwhile and <see cref="ListingNotFoundException"/> when it does not exist.</summary>
    Task<StoredListing> ReplaceAsync(Listing listing, string expectedETag, bool retired, CancellationToken ct = default);
    /// <summary>The listings (live or retired) whose <see cref="Listing.ExternalId"/> is one of <paramref name="externalIds"/>,
    /// keyed by external id; ids not found are absent. External ids are unique in a store. Used by bulk imports
    /// to upsert by external id; the ETag (which hashes the document) tells whether a row changed.</summary>
    Task<IReadOnlyDictionary<string, ExternalIdMatch>> GetByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken ct = default);
    /// <summary>Creates <paramref name="creates"/> and replaces <paramref name="replaces"/> (each when its ETag still
    /// matches; a replaced listing becomes live again) in ONE transaction: all or nothing. Bulk imports write a batch
    /// with it. Throws like <see cref="CreateAsync"/> and <see cref="ReplaceAsync"/>.</summary>
    Task<IReadOnlyList<StoredListing>> WriteBatchAsync(IReadOnlyList<Listing> creates, IReadOnlyList<(Listing Listing, string ExpectedETag)> replaces, CancellationToken ct = default);
    /// <summary>A named server secret, created at random on first use and kept in the store.</summary>
    Task<byte[]> GetOrCreateSecretAsync(string name, int length, CancellationToken ct = default);
}

public sealed class ListingExistsException(string id) : Exception($"A listing with id '{id}' already exists.")
{
    public string Id { get; } = id;
}

public sealed class ListingNotFoundException(string id) : Exception($"No listing with id '{id}'.")
{
    public string Id { get; } = id;
}

public sealed class ConcurrencyException(string id, string currentETag) : Exception($"Listing '{id}' was changed by someone else.")
{
    public string Id { get; } = id;
    public string CurrentETag { get; } = currentETag;
}
