using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;

namespace ReferralDirectory.Search;

/// <summary>How a listing's service area covers a searched point, most specific first.</summary>
public enum CoverageScope { County = 0, Area = 1, State = 2, Nationwide = 3 }

public readonly record struct NearestHit(IndexedListing Listing, int LocationIndex, double DistanceKm);

public readonly record struct CoverageHit(IndexedListing Listing, CoverageScope Scope);

/// <summary>A searched point with the states and counties whose boundaries cover it (ascending FIPS), looked up
/// once per request and shared by everything the answer needs (results, hotlines, the place echoed back).</summary>
public sealed record SearchPlace(double Latitude, double Longitude, IReadOnlyList<string> States, IReadOnlyList<string> Counties);

/// <summary>
/// An immutable view of the whole directory for searching. Built once from all listings (the base: KD-tree and
/// coverage tables), then each write makes a new snapshot that shares the base and adds a small overlay of
/// changed listings, scanned linearly, plus tombstones for replaced base listings. Readers never lock.
/// </summary>
public sealed class DirectorySnapshot
{
    private readonly IndexedListing[] _base;
    private readonly KdTree _tree;
    private readonly Dictionary<string, int> _baseOrdinal;
    private readonly bool[]? _dead;                    // tombstones over base ordinals, null when none
    private readonly int _deadCount;
    private readonly IndexedListing[] _overlay;
    private readonly Dictionary<string, int> _overlayOrdinal;
    private readonly Coverage _coverage;
    private readonly IBoundaryProvider? _boundaries;
    private readonly int[] _confidentialBase;             // base ordinals of listings with a confidential location

    public int Count { get; }
    public int OverlayCount => _overlay.Length;
    public long Version { get; }

    private DirectorySnapshot(IndexedListing[] baseListings, KdTree tree, Dictionary<string, int> baseOrdinal, bool[]? dead, int deadCount,
        IndexedListing[] overlay, Dictionary<string, int> overlayOrdinal, Coverage coverage, IBoundaryProvider? boundaries, long version, int[]? confidentialBase = null)
    {
        _base = baseListings; _tree = tree; _baseOrdinal = baseOrdinal; _dead = dead;
        _overlay = overlay; _overlayOrdinal = overlayOrdinal; _coverage = coverage; _boundaries = boundaries;
        _confidentialBase = confidentialBase ?? [.. Enumerable.Range(0, baseListings.Length).Where(i => baseListings[i].HasConfidential)];
        Version = version;
        _deadCount = deadCount;
        Count = baseListings.Length - deadCount + overlay.Length;
    }

    internal static DirectorySnapshot Build(IEnumerable<IndexedListing> listings, IBoundaryProvider? boundaries, long version)
    {
        var arr = listings.ToArray();
        // Ordinals in id order, so ties in distance fall back to the same order everywhere.
        Array.Sort(arr, (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var ordinal = new Dictionary<string, int>(arr.Length, StringComparer.Ordinal);
        for (var i = 0; i < arr.Length; i++) ordinal[arr[i].Id] = i;
        var tree = new KdTree(arr);
        var coverage = new Coverage(arr);
        return new DirectorySnapshot(arr, tree, ordinal, null, 0, [], new Dictionary<string, int>(StringComparer.Ordinal), coverage, boundaries, version);
    }

    /// <summary>A new snapshot with these listings added or replaced and these ids removed.</summary>
    internal DirectorySnapshot With(IReadOnlyCollection<IndexedListing> upserts, IReadOnlyCollection<string> removals, long version)
    {
        bool[]? dead = _dead;
        var deadCount = _deadCount;
        var overlay = new Dictionary<string, IndexedListing>(StringComparer.Ordinal);
        foreach (var o in _overlay) overlay[o.Id] = o;
        void KillBase(string id)
        {
            if (!_baseOrdinal.TryGetValue(id, out var b)) return;
            if (dead == _dead) dead = _dead is null ? new bool[_base.Length] : (bool[])_dead.Clone();
            if (!dead![b]) { dead[b] = true; deadCount++; }
        }
        foreach (var id in removals) { KillBase(id); overlay.Remove(id); }
        foreach (var u in upserts) { KillBase(u.Id); overlay[u.Id] = u; }
        var arr = overlay.Values.OrderBy(o => o.Id, StringComparer.Ordinal).ToArray();
        var ord = new Dictionary<string, int>(arr.Length, StringComparer.Ordinal);
        for (var i = 0; i < arr.Length; i++) ord[arr[i].Id] = i;
        return new DirectorySnapshot(_base, _tree, _baseOrdinal, dead, deadCount, arr, ord, _coverage, _boundaries, version, _confidentialBase);
    }

    internal IEnumerable<IndexedListing> All()
    {
        for (var i = 0; i < _base.Length; i++)
        {
            if (_dead is null || !_dead[i]) yield return _base[i];
        }
        foreach (var o in _overlay) yield return o;
    }

    public IndexedListing? Get(string id)
    {
        if (_overlayOrdinal.TryGetValue(id, out var o)) return _overlay[o];
        if (_baseOrdinal.TryGetValue(id, out var b) && (_dead is null || !_dead[b])) return _base[b];
        return null;
    }

    /// <summary>The k nearest listings matching the filter, in exact distance order (ties by id).</summary>
    // exact: rank confidential locations by their true point and report exact distances; only for callers allowed
    // to see confidential details (caseworkers). Public searches use the stand-in points.
    public IReadOnlyList<NearestHit> Nearest(double latitude, double longitude, int k, SearchFilter filter, DateTimeOffset now, double? radiusKm = null, bool exact = false)
    {
        if (k <= 0) return [];
        if (exact) return NearestExact(latitude, longitude, k, filter, now, radiusKm);
        var f = new CompiledFilter(filter, now);
        var (qx, qy, qz) = GeoMath.ToUnitVector(latitude, longitude);
        var radius = radiusKm is { } r ? GeoMath.ChordSquaredFromKm(r) : double.PositiveInfinity;
        // Two collectors: base ordinals and overlay ordinals are different spaces; merge at the end.
        var baseTop = new TopK(k, radius, _base);
        _tree.Search(qx, qy, qz, f, ref baseTop, new BaseAcceptor(_base, _dead, f));
        if (_overlay.Length == 0)
        {
            var direct = new NearestHit[baseTop.Count];
            for (var i = 0; i < direct.Length; i++)
            {
                var (key, owner, loc) = baseTop[i];
                direct[i] = new NearestHit(_base[owner], loc, GeoMath.KmFromChordSquared(key));
            }
            return direct;
        }
        var all = new List<(double Key, IndexedListing L, int Loc)>(baseTop.Count + 4);
        for (var i = 0; i < baseTop.Count; i++)
        {
            var (key, owner, loc) = baseTop[i];
            all.Add((key, _base[owner], loc));
        }
        {
            var bound = baseTop.Count == k ? baseTop.Bound : radius;
            foreach (var o in _overlay)
            {
                if (!f.Matches(o)) continue;
                var (best, bestLoc) = o.NearestTo(qx, qy, qz, truePoints: false);
                if (bestLoc >= 0 && best <= bound) all.Add((best, o, bestLoc));
            }
            all.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : string.CompareOrdinal(a.L.Id, b.L.Id));
            if (all.Count > k) all.RemoveRange(k, all.Count - k);
        }
        var hits = new NearestHit[all.Count];
        for (var i = 0; i < hits.Length; i++) hits[i] = new NearestHit(all[i].L, all[i].Loc, GeoMath.KmFromChordSquared(all[i].Key));
        return hits;
    }

    /// <summary>
    /// The caseworker search: the tree answers for listings without confidential locations; listings with one
    /// (few) are scanned with their true points. Same order rule: (distance, id).
    /// </summary>
    private NearestHit[] NearestExact(double latitude, double longitude, int k, SearchFilter filter, DateTimeOffset now, double? radiusKm)
    {
        var f = new CompiledFilter(filter, now);
        var (qx, qy, qz) = GeoMath.ToUnitVector(latitude, longitude);
        var radius = radiusKm is { } r ? GeoMath.ChordSquaredFromKm(r) : double.PositiveInfinity;
        var top = new TopK(k, radius, _base);
        _tree.Search(qx, qy, qz, f, ref top, new PublicOnlyAcceptor(_base, _dead, f));
        var all = new List<(double Key, IndexedListing L, int Loc)>(top.Count + 8);
        for (var i = 0; i < top.Count; i++)
        {
            var (key, owner, loc) = top[i];
            all.Add((key, _base[owner], loc));
        }
        void ScanTrue(IndexedListing l)
        {
            if (!f.Matches(l)) return;
            var (best, bestLoc) = l.NearestTo(qx, qy, qz, truePoints: true);
            if (bestLoc >= 0 && best <= radius) all.Add((best, l, bestLoc));
        }
        foreach (var ordinal in _confidentialBase)
        {
            if (_dead is null || !_dead[ordinal]) ScanTrue(_base[ordinal]);
        }
        // The overlay is small: scan all of it with true points (the tree's answer for the base stays valid).
        foreach (var o in _overlay) ScanTrue(o);
        all.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : string.CompareOrdinal(a.L.Id, b.L.Id));
        var hits = new List<NearestHit>(k);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, l, loc) in all)
        {
            if (hits.Count == k) break;
            if (!seen.Add(l.Id)) continue;
            hits.Add(new NearestHit(l, loc, GeoMath.KmFromChordSquared(key)));
        }
        return [.. hits];
    }

    private readonly struct PublicOnlyAcceptor(IndexedListing[] listings, bool[]? dead, CompiledFilter filter) : IPointAcceptor
    {
        public bool Accept(int owner)
        {
            if (dead is not null && dead[owner]) return false;
            var l = listings[owner];
            return !l.HasConfidential && filter.Matches(l);
        }
    }

    private readonly struct BaseAcceptor(IndexedListing[] listings, bool[]? dead, CompiledFilter filter) : IPointAcceptor
    {
        public bool Accept(int owner)
        {
            if (dead is not null && dead[owner]) return false;
            if (filter.ExactLanguages is null && !filter.OpenNow) return true;
            return filter.Matches(listings[owner]);
        }
    }

    /// <summary>The states and counties covering a point (the boundary lookup a search needs, done once).</summary>
    public SearchPlace Place(double latitude, double longitude) =>
        new(latitude, longitude, _boundaries?.StateCodesCovering(latitude, longitude) ?? [], _boundaries?.CountyFipsCovering(latitude, longitude) ?? []);

    /// <summary>Listings whose service area covers the point, most specific area first, then by name.</summary>
    public IReadOnlyList<CoverageHit> Covering(double latitude, double longitude, SearchFilter filter, DateTimeOffset now) =>
        Covering(Place(latitude, longitude), filter, now);

    /// <inheritdoc cref="Covering(double, double, SearchFilter, DateTimeOffset)"/>
    public IReadOnlyList<CoverageHit> Covering(SearchPlace place, SearchFilter filter, DateTimeOffset now) =>
        Covering(new Coordinate(place.Longitude, place.Latitude), place.States, place.Counties, filter, now);

    /// <summary>Listings serving a whole state or county (by their state, county or nationwide areas; drawn areas are
    /// not matched), most specific first, then by name. With neither, the nationwide ones.</summary>
    public IReadOnlyList<CoverageHit> CoveringArea(string? state, string? county, SearchFilter filter, DateTimeOffset now) =>
        Covering(null, state is null ? [] : [state.ToUpperInvariant()], county is null ? [] : [county], filter, now);

    private CoverageHit[] Covering(Coordinate? point, IReadOnlyList<string> states, IReadOnlyList<string> counties, SearchFilter filter, DateTimeOffset now)
    {
        var f = new CompiledFilter(filter, now);
        var best = new Dictionary<IndexedListing, CoverageScope>(ReferenceEqualityComparer.Instance);
        void Add(IndexedListing l, CoverageScope s)
        {
            if (!f.Matches(l)) return;
            if (!best.TryGetValue(l, out var old) || s < old) best[l] = s;
        }
        foreach (var (ordinal, scope) in _coverage.Find(point, states, counties))
        {
            if (_dead is not null && _dead[ordinal]) continue;
            Add(_base[ordinal], scope);
        }
        foreach (var o in _overlay)
        {
            if (Coverage.ScopeOf(o, point, states, counties) is { } s) Add(o, s);
        }
        return best.Select(kv => new CoverageHit(kv.Key, kv.Value))
            .OrderBy(h => h.Scope).ThenBy(h => h.Listing.SortName, StringComparer.OrdinalIgnoreCase).ThenBy(h => h.Listing.Id, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Every listing matching a filter; callers narrow by place and text, then sort and page.</summary>
    public IEnumerable<IndexedListing> Matching(SearchFilter filter, DateTimeOffset now)
    {
        var f = new CompiledFilter(filter, now);
        foreach (var l in All())
        {
            if (f.Matches(l)) yield return l;
        }
    }

    public IBoundaryProvider? Boundaries => _boundaries;

    /// <summary>Base coverage tables: nationwide, by state, by county, and an R-tree of polygon areas.</summary>
    private sealed class Coverage
    {
        private readonly int[] _nationwide;
        private readonly Dictionary<string, int[]> _byState;
        private readonly Dictionary<string, int[]> _byCounty;
        private readonly STRtree<(int Ordinal, int Polygon)> _polygons = new();
        private readonly IndexedListing[] _listings;

        public Coverage(IndexedListing[] listings)
        {
            _listings = listings;
            var nation = new List<int>();
            var byState = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var byCounty = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < listings.Length; i++)
            {
                foreach (var a in listings[i].Listing.ServiceAreas)
                {
                    switch (a.Type)
                    {
                        case ServiceAreaTypes.Nationwide: nation.Add(i); break;
                        case ServiceAreaTypes.State when a.Code is { } s: Get(byState, s.ToUpperInvariant()).Add(i); break;
                        case ServiceAreaTypes.County when a.Code is { } c: Get(byCounty, c).Add(i); break;
                    }
                }
                for (var p = 0; p < listings[i].AreaEnvelopes.Length; p++) _polygons.Insert(listings[i].AreaEnvelopes[p], (i, p));
            }
            _polygons.Build();
            _nationwide = nation.Distinct().ToArray();
            _byState = byState.ToDictionary(kv => kv.Key, kv => kv.Value.Distinct().ToArray(), StringComparer.Ordinal);
            _byCounty = byCounty.ToDictionary(kv => kv.Key, kv => kv.Value.Distinct().ToArray(), StringComparer.Ordinal);
        }

        private static List<int> Get(Dictionary<string, List<int>> d, string key)
        {
            if (!d.TryGetValue(key, out var list)) d[key] = list = [];
            return list;
        }

        /// <summary>Base listings covering the given states and counties, and the point when there is one (drawn areas).</summary>
        public IEnumerable<(int Ordinal, CoverageScope Scope)> Find(Coordinate? point, IReadOnlyList<string> states, IReadOnlyList<string> counties)
        {
            foreach (var c in counties)
            {
                if (_byCounty.TryGetValue(c, out var arr)) foreach (var i in arr) yield return (i, CoverageScope.County);
            }
            if (point is not null)
            {
                foreach (var (ordinal, polygon) in _polygons.Query(new Envelope(point)))
                {
                    if (_listings[ordinal].AreaPolygons[polygon].Locate(point) != NetTopologySuite.Geometries.Location.Exterior) yield return (ordinal, CoverageScope.Area);
                }
            }
            foreach (var s in states)
            {
                if (_byState.TryGetValue(s, out var arr)) foreach (var i in arr) yield return (i, CoverageScope.State);
            }
            foreach (var i in _nationwide) yield return (i, CoverageScope.Nationwide);
        }

        public static CoverageScope? ScopeOf(IndexedListing l, Coordinate? point, IReadOnlyList<string> states, IReadOnlyList<string> counties)
        {
            var best = l.AreaScope(states, counties);
            void Take(CoverageScope s) { if (best is null || s < best) best = s; }
            for (var p = 0; point is not null && p < l.AreaPolygons.Length; p++)
            {
                if (l.AreaEnvelopes[p].Covers(point) && l.AreaPolygons[p].Locate(point) != NetTopologySuite.Geometries.Location.Exterior) Take(CoverageScope.Area);
            }
            return best;
        }
    }
}
