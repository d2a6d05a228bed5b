using ReferralDirectory.Model;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Listings;

/// <summary>
/// Writes go to the store first and then into the search index, so a listing written is found by the next
/// search; a write the store refused never reaches the index.
/// </summary>
public sealed class DirectoryService(IDirectoryStore store, DirectoryIndex index)
{
    public IDirectoryStore Store => store;
    public DirectoryIndex Index => index;

    /// <summary>Loads every live listing from the store into the index.</summary>
    public async Task<int> LoadIndexAsync(CancellationToken ct = default)
    {
        var all = new List<Listing>();
        await foreach (var s in store.ReadAllAsync(includeRetired: false, ct)) all.Add(s.Listing);
        index.Load(all);
        return all.Count;
    }

    public async Task<StoredListing> CreateAsync(Listing listing, CancellationToken ct = default)
    {
        var stored = await store.CreateAsync(listing, ct);
        index.Upsert(stored.Listing);
        return stored;
    }

    public async Task CreateManyAsync(IReadOnlyList<Listing> listings, CancellationToken ct = default)
    {
        await store.CreateManyAsync(listings, ct);
        index.Apply(listings, []);
    }

    /// <summary>Writes one import batch (creates and replaces) in one store transaction, then into the index.</summary>
    public async Task<IReadOnlyList<StoredListing>> WriteBatchAsync(IReadOnlyList<Listing> creates, IReadOnlyList<(Listing Listing, string ExpectedETag)> replaces, CancellationToken ct = default)
    {
        var stored = await store.WriteBatchAsync(creates, replaces, ct);
        if (stored.Count > 0) index.Apply([.. stored.Select(s => s.Listing)], []);
        return stored;
    }

    public async Task<StoredListing> ReplaceAsync(Listing listing, string expectedETag, CancellationToken ct = default)
    {
        var stored = await store.ReplaceAsync(listing, expectedETag, retired: false, ct);
        index.Upsert(stored.Listing);
        return stored;
    }

    public async Task<StoredListing> RetireAsync(string id, string expectedETag, CancellationToken ct = default)
    {
        var current = await store.GetAsync(id, ct) ?? throw new ListingNotFoundException(id);
        var stored = await store.ReplaceAsync(current.Listing, expectedETag, retired: true, ct);
        index.Remove(id);
        return stored;
    }
}
