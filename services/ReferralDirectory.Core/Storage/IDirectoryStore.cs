using ReferralDirectory.Model;

namespace ReferralDirectory.Storage;

/// <summary>A listing as stored: the document, its ETag for optimistic concurrency, and its lifecycle.</summary>
public sealed record StoredListing(Listing Listing, string ETag, long Version, bool Retired, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

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
