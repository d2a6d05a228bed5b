using System.Collections.Concurrent;
using ReferralDirectory.Geo;

namespace ReferralDirectory.Search;

/// <summary>A "who offers this service here" query: by state, county or near a point, with optional text.</summary>
public sealed record BrowseQuery
{
    public SearchFilter Filter { get; init; } = SearchFilter.None;
    /// <summary>USPS state code: listings located in the state or serving it.</summary>
    public string? State { get; init; }
    /// <summary>5-digit county FIPS: listings located in the county or serving it (county or its state).</summary>
    public string? County { get; init; }
    public (double Latitude, double Longitude)? Near { get; init; }
    public double RadiusKm { get; init; } = 50;
    public string? Text { get; init; }
    /// <summary>Also list nationwide services when browsing a state or county.</summary>
    public bool IncludeNationwide { get; init; }
    public int Limit { get; init; } = 20;
    /// <summary>Continue after this position (from the previous page).</summary>
    public PagePosition? After { get; init; }
    /// <summary>Distances to confidential locations from their true points (caseworkers only).</summary>
    public bool Exact { get; init; }
}

public sealed record BrowseItem(IndexedListing Listing, double? DistanceKm, int? LocationIndex, PagePosition Position);

public sealed record BrowsePage(IReadOnlyList<BrowseItem> Items, int Total, PagePosition? Next);

public sealed partial class DirectorySnapshot
{
    private const int TotalCacheMax = 10_000;
    private readonly ConcurrentDictionary<string, int> _totalCache = new(StringComparer.Ordinal);
    private HsdsOrder? _hsdsOrder;
    private readonly object _hsdsGate = new();

    /// <summary>
    /// A page of listings by state, county or near a point. Near a point: nearest first (the KD-tree, continuing after
    /// the cursor's distance). Otherwise by name, from the presorted lists of the state or county, merged with the
    /// overlay: a page costs what it shows, not the size of the directory. Totals are counted once per snapshot and query.
    /// </summary>
    public BrowsePage Browse(BrowseQuery q, DateTimeOffset now, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var tokens = TextQuery.Parse(q.Text);
        var countyState = q.County is null ? null : UsStates.StateOfCounty(q.County);
        bool Extra(IndexedListing l) =>
            (tokens is null || l.MatchesText(tokens))
            && (q.State is not { } st || InState(l, st, q.IncludeNationwide))
            && (q.County is not { } c || InCounty(l, c, countyState, q.IncludeNationwide));
        var needExtra = tokens is not null || q.State is not null || q.County is not null;

        if (q.Near is { } near)
        {
            var hits = Nearest(near.Latitude, near.Longitude, q.Limit + 1, q.Filter, now, q.RadiusKm, q.Exact, q.After, needExtra ? Extra : null);
            var items = hits.Take(q.Limit).Select(h =>
            {
                var (x, y, z) = GeoMath.ToUnitVector(near.Latitude, near.Longitude);
                var key = h.Listing.NearestTo(x, y, z, q.Exact).Key;
                return new BrowseItem(h.Listing, h.DistanceKm, h.LocationIndex, new PagePosition(0, key, "", h.Listing.Id));
            }).ToArray();
            var totalKey = $"near|{near.Latitude:R},{near.Longitude:R}|{q.RadiusKm:R}|{q.Exact}|{QueryKey(q, now)}";
            var total = CachedTotal(totalKey, () => needExtra
                ? CountNearWith(near, q, now, Extra, ct)
                : CountWithin(near.Latitude, near.Longitude, q.RadiusKm, q.Filter, now, q.Exact, ct));
            return new BrowsePage(items, total, hits.Count > q.Limit ? items[^1].Position : null);
        }

        var f = new CompiledFilter(q.Filter, now);
        var lists = RankLists(q, countyState);
        var page = new List<BrowseItem>(q.Limit);
        var more = false;
        foreach (var l in ByName(lists, q.After, l => f.Matches(l) && (!needExtra || Extra(l)), ct))
        {
            if (page.Count == q.Limit) { more = true; break; }
            page.Add(new BrowseItem(l, null, null, new PagePosition(0, 0, l.Name, l.Id)));
        }
        var count = CachedTotal("name|" + QueryKey(q, now), () =>
        {
            var n = 0;
            foreach (var _ in ByName(lists, null, l => f.Matches(l) && (!needExtra || Extra(l)), ct)) n++;
            return n;
        });
        return new BrowsePage(page, count, more && page.Count > 0 ? page[^1].Position : null);
    }

    private static string QueryKey(BrowseQuery q, DateTimeOffset now) =>
        $"{q.Filter.Key}|{(q.Filter.OpenNow ? now.UtcTicks / TimeSpan.TicksPerMinute : 0)}|{q.State}|{q.County}|{q.IncludeNationwide}|{q.Text}";

    private int CachedTotal(string key, Func<int> count)
    {
        if (_totalCache.TryGetValue(key, out var n)) return n;
        n = count();
        if (_totalCache.Count >= TotalCacheMax) _totalCache.Clear();
        _totalCache[key] = n;
        return n;
    }

    private int CountNearWith((double Latitude, double Longitude) near, BrowseQuery q, DateTimeOffset now, Func<IndexedListing, bool> extra, CancellationToken ct)
    {
        // With text, state or county as well, count page by page (the predicate runs on candidates only).
        var total = 0;
        PagePosition? after = null;
        var (x, y, z) = GeoMath.ToUnitVector(near.Latitude, near.Longitude);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var hits = Nearest(near.Latitude, near.Longitude, 1000, q.Filter, now, q.RadiusKm, q.Exact, after, extra);
            total += hits.Count;
            if (hits.Count < 1000) return total;
            var last = hits[^1].Listing;
            after = new PagePosition(0, last.NearestTo(x, y, z, q.Exact).Key, "", last.Id);
        }
    }

    /// <summary>The presorted rank lists a name-ordered browse merges; null means every listing.</summary>
    private int[][]? RankLists(BrowseQuery q, string? countyState)
    {
        var t = _tables;
        if (q.County is { } c)
        {
            var lists = new List<int[]> { t.InCounty.GetValueOrDefault(c) ?? [] };
            if (countyState is not null && t.ServesState.TryGetValue(countyState, out var ss)) lists.Add(ss);
            if (q.IncludeNationwide) lists.Add(t.Nationwide);
            return [.. lists];
        }
        if (q.State is { } st)
        {
            var lists = new List<int[]> { t.InState.GetValueOrDefault(st) ?? [] };
            if (q.IncludeNationwide) lists.Add(t.Nationwide);
            return [.. lists];
        }
        return null;
    }

    /// <summary>Listings in name order after <paramref name="after"/>: the union of ascending rank lists (or every base
    /// listing), without duplicates or tombstones, merged with the overlay's listings that pass <paramref name="keep"/>.</summary>
    private IEnumerable<IndexedListing> ByName(int[][]? lists, PagePosition? after, Func<IndexedListing, bool> keep, CancellationToken ct)
    {
        var t = _tables;
        var startRank = after is null ? 0 : FirstRankAfter(after);
        var heads = new int[lists?.Length ?? 1];
        if (lists is not null)
        {
            for (var i = 0; i < lists.Length; i++)
            {
                var at = Array.BinarySearch(lists[i], startRank);
                heads[i] = at >= 0 ? at : ~at;
            }
        }
        else heads[0] = startRank;
        var overlay = _overlayByName;
        var j = 0;
        if (after is not null)
        {
            while (j < overlay.Length && NameOrder.Compare(overlay[j].Name, overlay[j].Id, after.Name, after.Id) <= 0) j++;
        }
        var steps = 0;
        while (true)
        {
            if ((++steps & 4095) == 0) ct.ThrowIfCancellationRequested();
            // The smallest head rank across the lists.
            var rank = int.MaxValue;
            if (lists is null) { if (heads[0] < _base.Length) rank = heads[0]; }
            else
            {
                for (var i = 0; i < lists.Length; i++)
                    if (heads[i] < lists[i].Length && lists[i][heads[i]] < rank) rank = lists[i][heads[i]];
            }
            IndexedListing? next = null;
            if (rank != int.MaxValue)
            {
                if (lists is null) heads[0]++;
                else for (var i = 0; i < lists.Length; i++) if (heads[i] < lists[i].Length && lists[i][heads[i]] == rank) heads[i]++;
                var o = t.ByName[rank];
                if (!IsDead(o) && keep(_base[o])) next = _base[o];
                else continue;
            }
            // Overlay listings that sort before the base one come first.
            while (j < overlay.Length && (next is null || NameOrder.Compare(overlay[j], next) < 0))
            {
                var ov = overlay[j++];
                if (keep(ov)) yield return ov;
            }
            if (next is null) yield break;
            yield return next;
        }
    }

    /// <summary>The first base rank whose listing sorts after the position.</summary>
    private int FirstRankAfter(PagePosition p)
    {
        var byName = _tables.ByName;
        int lo = 0, hi = byName.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var l = _base[byName[mid]];
            if (NameOrder.Compare(l.Name, l.Id, p.Name, p.Id) <= 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static bool InState(IndexedListing l, string state, bool includeNationwide)
    {
        foreach (var s in l.LocationStates) if (s == state) return true;
        return l.ServesInState(state) || (includeNationwide && l.IsNationwide);
    }

    private static bool InCounty(IndexedListing l, string county, string? countyState, bool includeNationwide)
    {
        foreach (var c in l.LocationCounties) if (c == county) return true;
        return l.HasArea(CoverageScope.County, county) || (countyState is not null && l.HasArea(CoverageScope.State, countyState))
               || (includeNationwide && l.IsNationwide);
    }

    // ------------------------------------------------------------------ HSDS order

    /// <summary>Every live listing in name order, with the running count of services (HSDS pages count services):
    /// made on the first HSDS request of a snapshot from the presorted base order and the overlay (a merge of
    /// int arrays, no listing re-read), once, never twice at once.</summary>
    public HsdsOrder HsdsListings()
    {
        if (Volatile.Read(ref _hsdsOrder) is { } ready) return ready;
        lock (_hsdsGate)
        {
            if (_hsdsOrder is { } built) return built;
            var listings = new IndexedListing[Count];
            var k = 0;
            foreach (var l in ByName(null, null, static _ => true, default)) listings[k++] = l;
            var prefix = new int[listings.Length + 1];
            for (var i = 0; i < listings.Length; i++) prefix[i + 1] = prefix[i] + listings[i].ServiceCount;
            var order = new HsdsOrder(listings, prefix);
            Volatile.Write(ref _hsdsOrder, order);
            return order;
        }
    }
}

/// <summary>Listings in name order with the running count of their services.</summary>
public sealed class HsdsOrder(IndexedListing[] listings, int[] servicePrefix)
{
    public IReadOnlyList<IndexedListing> Listings => listings;
    public int ServiceTotal => servicePrefix[^1];

    /// <summary>The services at positions [start, start + count) of the service order: (listing, service index).</summary>
    public IEnumerable<(IndexedListing Listing, int Service)> Services(int start, int count)
    {
        if (start >= ServiceTotal || count <= 0) yield break;
        // The listing holding service number `start`: the last prefix <= start.
        var i = Array.BinarySearch(servicePrefix, start);
        if (i < 0) i = ~i - 1;
        while (i + 1 < servicePrefix.Length && servicePrefix[i + 1] <= start) i++;
        var s = start - servicePrefix[i];
        for (var n = 0; n < count && i < listings.Length; i++, s = 0)
        {
            for (; s < listings[i].ServiceCount && n < count; s++, n++) yield return (listings[i], s);
        }
    }
}
