using System.Collections.Concurrent;
using System.Text;
using NetTopologySuite.Geometries;
using ReferralDirectory.Geo;

namespace ReferralDirectory.Search;

/// <summary>A page of listings whose service area covers a place, most specific area first, then by name.</summary>
public sealed record CoveragePage(IReadOnlyList<CoverageHit> Items, int Total, PagePosition? Next);

public sealed partial class DirectorySnapshot
{
    // Whole coverage lists are cached per snapshot (they depend on the place only through its states, counties and
    // drawn areas, so searches in one county share them), up to a bound on the hits held.
    private const int CoverageCacheMaxHits = 1_000_000;
    private readonly ConcurrentDictionary<string, CoverageHit[]> _coverageCache = new(StringComparer.Ordinal);
    private int _coverageCacheHits;

    /// <summary>Listings whose service area covers the place (county, drawn area, state, nationwide), most specific
    /// first, then by name; paged after <paramref name="after"/>.</summary>
    public CoveragePage Covering(SearchPlace place, SearchFilter filter, DateTimeOffset now, int limit, PagePosition? after = null, CancellationToken ct = default) =>
        Page(CoverageList(new Coordinate(place.Longitude, place.Latitude), place.States, place.Counties, filter, now, ct), limit, after);

    /// <summary>Listings serving a whole state or county (by their state, county or nationwide areas; drawn areas are
    /// not matched), most specific first, then by name.</summary>
    public CoveragePage CoveringArea(string? state, string? county, SearchFilter filter, DateTimeOffset now, int limit, PagePosition? after = null, CancellationToken ct = default) =>
        Page(CoverageList(null, state is null ? [] : [state.ToUpperInvariant()], county is null ? [] : [county], filter, now, ct), limit, after);

    /// <summary>Every listing covering the point (unpaged; tests and small directories).</summary>
    public IReadOnlyList<CoverageHit> Covering(double latitude, double longitude, SearchFilter filter, DateTimeOffset now)
    {
        var place = Place(latitude, longitude);
        return CoverageList(new Coordinate(longitude, latitude), place.States, place.Counties, filter, now, default);
    }

    private static CoveragePage Page(CoverageHit[] all, int limit, PagePosition? after)
    {
        var start = 0;
        if (after is not null)
        {
            int lo = 0, hi = all.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (Compare(all[mid], after) <= 0) lo = mid + 1; else hi = mid;
            }
            start = lo;
        }
        var count = Math.Min(limit, all.Length - start);
        var items = count <= 0 ? [] : new ArraySegment<CoverageHit>(all, start, count).ToArray();
        var next = start + count < all.Length && count > 0 ? PositionOf(items[^1]) : null;
        return new CoveragePage(items, all.Length, next);
    }

    internal static PagePosition PositionOf(CoverageHit h) => new((int)h.Scope, 0, h.Listing.Name, h.Listing.Id);

    private static int Compare(CoverageHit h, PagePosition p)
    {
        var c = ((int)h.Scope).CompareTo(p.Scope);
        return c != 0 ? c : NameOrder.Compare(h.Listing.Name, h.Listing.Id, p.Name, p.Id);
    }

    private CoverageHit[] CoverageList(Coordinate? point, IReadOnlyList<string> states, IReadOnlyList<string> counties, SearchFilter filter, DateTimeOffset now, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Drawn areas covering the point (an R-tree query, then point-in-polygon).
        List<(int Ordinal, int Polygon)>? polygonHits = null;
        if (point is not null)
        {
            foreach (var (ordinal, polygon) in _tables.Polygons.Query(new Envelope(point)))
            {
                if (_base[ordinal].AreaPolygons[polygon].Locate(point) != Location.Exterior) (polygonHits ??= []).Add((ordinal, polygon));
            }
        }
        var key = new StringBuilder(filter.Key);
        if (filter.OpenNow) key.Append("|t").Append(now.UtcTicks / TimeSpan.TicksPerMinute);
        key.Append("|s"); foreach (var s in states) key.Append(s).Append(',');
        key.Append("|c"); foreach (var c in counties) key.Append(c).Append(',');
        if (polygonHits is not null) { key.Append("|p"); foreach (var (o, _) in polygonHits) key.Append(o).Append(','); }
        if (point is not null && _overlay.Any(o => o.AreaPolygons.Length > 0)) key.Append("|q").Append(point.X).Append(',').Append(point.Y);
        var k = key.ToString();
        if (_coverageCache.TryGetValue(k, out var cached)) return cached;
        var list = BuildCoverage(point, states, counties, polygonHits, filter, now, ct);
        if (Interlocked.Add(ref _coverageCacheHits, list.Length) > CoverageCacheMaxHits)
        {
            _coverageCache.Clear();
            Interlocked.Exchange(ref _coverageCacheHits, list.Length);
        }
        _coverageCache[k] = list;
        return list;
    }

    private CoverageHit[] BuildCoverage(Coordinate? point, IReadOnlyList<string> states, IReadOnlyList<string> counties,
        List<(int Ordinal, int Polygon)>? polygonHits, SearchFilter filter, DateTimeOffset now, CancellationToken ct)
    {
        var f = new CompiledFilter(filter, now);
        var result = new List<CoverageHit>();
        var polygonOrdinals = polygonHits?.Select(p => p.Ordinal).ToHashSet();
        var t = _tables;
        var steps = 0;
        bool Live(int rank, out IndexedListing l)
        {
            if ((++steps & 4095) == 0) ct.ThrowIfCancellationRequested();
            var o = t.ByName[rank];
            l = _base[o];
            return !IsDead(o) && f.Matches(l);
        }
        bool InArea(IndexedListing l) => polygonOrdinals is not null && _baseOrdinal.TryGetValue(l.Id, out var o) && polygonOrdinals.Contains(o);

        // Base lists are ascending ranks (name order); the overlay's listings of each scope are merged in by name.
        var overlayByScope = new List<IndexedListing>[4];
        foreach (var o in _overlayByName)
        {
            if (ScopeOf(o, point, states, counties) is { } s && f.Matches(o)) (overlayByScope[(int)s] ??= []).Add(o);
        }

        // County scope.
        var countyRanks = RankUnion(counties.Select(c => t.ServesCounty.GetValueOrDefault(c)));
        Emit(CoverageScope.County, countyRanks, static (_, _) => true);
        // Drawn areas (not already county-level).
        var areaRanks = polygonHits is null ? [] : polygonHits.Select(p => t.Rank[p.Ordinal]).Distinct().Order().ToArray();
        Emit(CoverageScope.Area, areaRanks, (l, _) => l.AreaScope(states, counties) is not CoverageScope.County);
        // State scope (not county or area).
        var stateRanks = RankUnion(states.Select(s => t.ServesState.GetValueOrDefault(s)));
        Emit(CoverageScope.State, stateRanks, (l, _) => l.AreaScope(states, counties) == CoverageScope.State && !InArea(l));
        // Nationwide (nothing more specific).
        Emit(CoverageScope.Nationwide, t.Nationwide, (l, _) => l.AreaScope(states, counties) == CoverageScope.Nationwide && !InArea(l));
        return [.. result];

        void Emit(CoverageScope scope, int[] ranks, Func<IndexedListing, CoverageScope, bool> best)
        {
            var extra = overlayByScope[(int)scope];
            var j = 0;
            foreach (var r in ranks)
            {
                if (!Live(r, out var l) || !best(l, scope)) continue;
                while (extra is not null && j < extra.Count && NameOrder.Compare(extra[j], l) < 0) result.Add(new CoverageHit(extra[j++], scope));
                result.Add(new CoverageHit(l, scope));
            }
            while (extra is not null && j < extra.Count) result.Add(new CoverageHit(extra[j++], scope));
        }
    }

    /// <summary>The union of ascending rank lists, ascending, without duplicates.</summary>
    private static int[] RankUnion(IEnumerable<int[]?> lists)
    {
        var arrays = lists.OfType<int[]>().ToArray();
        if (arrays.Length == 0) return [];
        if (arrays.Length == 1) return arrays[0];
        return [.. arrays.SelectMany(a => a).Distinct().Order()];
    }

    /// <summary>The most specific scope in which listing <paramref name="l"/> covers the place, or null.</summary>
    internal static CoverageScope? ScopeOf(IndexedListing l, Coordinate? point, IReadOnlyList<string> states, IReadOnlyList<string> counties)
    {
        var best = l.AreaScope(states, counties);
        if (best == CoverageScope.County) return best;
        for (var p = 0; point is not null && p < l.AreaPolygons.Length; p++)
        {
            if (l.AreaEnvelopes[p].Covers(point) && l.AreaPolygons[p].Locate(point) != Location.Exterior) return CoverageScope.Area;
        }
        return best;
    }

    /// <summary>The scope in which a listing covers the searched place (for marking results that serve it), or null.</summary>
    public static CoverageScope? ScopeAt(IndexedListing l, SearchPlace place) =>
        ScopeOf(l, new Coordinate(place.Longitude, place.Latitude), place.States, place.Counties);

    // ------------------------------------------------------------------ hotlines

    private readonly ConcurrentDictionary<string, IReadOnlyList<CoverageHit>> _hotlineCache = new(StringComparer.Ordinal);

    /// <summary>The hotlines and tiplines covering a place, as <see cref="HotlineSelection"/> picks them (kept per
    /// snapshot for each set of states and counties, unless drawn areas with hotlines cover the point).</summary>
    public IReadOnlyList<CoverageHit> Hotlines(SearchPlace place)
    {
        var point = new Coordinate(place.Longitude, place.Latitude);
        var drawn = false;
        foreach (var (ordinal, _) in _tables.Polygons.Query(new Envelope(point))) if (_base[ordinal].Kind == Model.ListingKinds.Hotline) { drawn = true; break; }
        if (drawn || _overlay.Any(o => o.Kind == Model.ListingKinds.Hotline && o.AreaPolygons.Length > 0))
            return HotlineSelection.Select(this, point, place.States, place.Counties);
        var key = string.Join(',', place.States) + "|" + string.Join(',', place.Counties);
        if (_hotlineCache.TryGetValue(key, out var cached)) return cached;
        var chosen = HotlineSelection.Select(this, point, place.States, place.Counties);
        if (_hotlineCache.Count < 20_000) _hotlineCache[key] = chosen;
        return chosen;
    }

    /// <summary>The hotlines covering a state or county (the nation's when neither is given).</summary>
    public IReadOnlyList<CoverageHit> HotlinesForArea(string? state, string? county) =>
        HotlineSelection.Select(this, null, state is null ? (county is null ? [] : [UsStates.StateOfCounty(county) ?? ""]) : [state.ToUpperInvariant()],
            county is null ? [] : [county]);

    /// <summary>Hotline candidates of one scope, in preference order: the base's presorted list merged with the overlay.</summary>
    internal IEnumerable<IndexedListing> HotlineCandidates(CoverageScope scope, Coordinate? point, IReadOnlyList<string> states, IReadOnlyList<string> counties)
    {
        var t = _tables;
        var lists = scope switch
        {
            CoverageScope.Nationwide => [t.HotlinesNationwide],
            CoverageScope.State => states.Select(s => t.HotlinesByState.GetValueOrDefault(s)).OfType<int[]>().ToArray(),
            CoverageScope.County => counties.Select(c => t.HotlinesByCounty.GetValueOrDefault(c)).OfType<int[]>().ToArray(),
            _ => [],
        };
        var candidates = new List<IndexedListing>();
        foreach (var list in lists) foreach (var o in list) if (!IsDead(o)) candidates.Add(_base[o]);
        if (scope == CoverageScope.Area && point is not null)
        {
            foreach (var (ordinal, polygon) in t.Polygons.Query(new Envelope(point)))
            {
                var l = _base[ordinal];
                if (l.Kind == Model.ListingKinds.Hotline && !IsDead(ordinal) && l.AreaPolygons[polygon].Locate(point) != Location.Exterior) candidates.Add(l);
            }
        }
        foreach (var o in _overlay)
        {
            if (o.Kind == Model.ListingKinds.Hotline && ScopeOf(o, point, states, counties) == scope) candidates.Add(o);
        }
        if (lists.Length > 1 || scope == CoverageScope.Area || candidates.Count > 0 && _overlay.Length > 0) candidates.Sort(HotlineSelection.Compare);
        return candidates;
    }
}
