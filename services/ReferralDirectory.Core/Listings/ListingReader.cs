using System.Collections.Concurrent;
using ReferralDirectory.Model;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Listings;

/// <summary>
/// Full listings, for the answers that show one in detail (a listing by id, HSDS documents, <c>detail=full</c>). The
/// index keeps only what searches need; the details come from the store, the source of truth, through a bounded cache
/// of recently read listings. A listing is shown only while the index has it live, so a retired listing disappears
/// from details and searches together; a cached copy is used only while the index holds the same version of it.
/// </summary>
public sealed class ListingReader(IDirectoryStore store, DirectoryIndex index)
{
    /// <summary>How many full listings the cache holds (two generations of half each).</summary>
    public const int CacheSize = 20_000;

    private readonly object _gate = new();
    private volatile ConcurrentDictionary<string, (long Stamp, Listing Listing)> _current = new(StringComparer.Ordinal);
    private volatile ConcurrentDictionary<string, (long Stamp, Listing Listing)> _previous = new(StringComparer.Ordinal);

    /// <summary>The live listing with this id, or null.</summary>
    public async ValueTask<Listing?> GetAsync(string id, CancellationToken ct = default)
    {
        if (index.Current.Get(id) is not { } indexed) return null;
        return await GetAsync(indexed, ct);
    }

    /// <summary>The full listing of an indexed one (null when the store no longer has it live).</summary>
    public async ValueTask<Listing?> GetAsync(IndexedListing indexed, CancellationToken ct = default)
    {
        if (_current.TryGetValue(indexed.Id, out var hit) && hit.Stamp == indexed.Stamp) return hit.Listing;
        if (_previous.TryGetValue(indexed.Id, out hit) && hit.Stamp == indexed.Stamp) { Keep(indexed, hit.Listing); return hit.Listing; }
        var stored = await store.GetAsync(indexed.Id, ct);
        if (stored is null || stored.Retired) return null;
        Keep(indexed, stored.Listing);
        return stored.Listing;
    }

    /// <summary>Full listings of several indexed ones, in order (missing ones left out).</summary>
    public async Task<IReadOnlyList<(IndexedListing Indexed, Listing Listing)>> GetManyAsync(IEnumerable<IndexedListing> listings, CancellationToken ct = default)
    {
        var result = new List<(IndexedListing, Listing)>();
        foreach (var l in listings)
        {
            if (await GetAsync(l, ct) is { } full) result.Add((l, full));
        }
        return result;
    }

    private void Keep(IndexedListing indexed, Listing listing)
    {
        var current = _current;
        current[indexed.Id] = (indexed.Stamp, listing);
        if (current.Count >= CacheSize / 2)
        {
            lock (_gate)
            {
                if (ReferenceEquals(current, _current)) { _previous = current; _current = new(StringComparer.Ordinal); }
            }
        }
    }
}
