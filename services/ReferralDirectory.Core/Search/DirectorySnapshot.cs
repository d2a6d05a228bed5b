using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using ReferralDirectory.Geo;

namespace ReferralDirectory.Search;

/// <summary>How a listing's service area covers a searched point, most specific first.</summary>
public enum CoverageScope { County = 0, Area = 1, State = 2, Nationwide = 3 }

/// <summary>A nearest hit: the listing, the location the distance was measured to, and the distance in km (to the
/// point the search ranked by: for a confidential location in a public search, its county's point).</summary>
public readonly record struct NearestHit(IndexedListing Listing, int LocationIndex, double DistanceKm);

public readonly record struct CoverageHit(IndexedListing Listing, CoverageScope Scope);

/// <summary>A searched point with the states and counties whose boundaries cover it (ascending FIPS), looked up
/// once per request and shared by everything the answer needs (results, hotlines, the place echoed back).</summary>
public sealed record SearchPlace(double Latitude, double Longitude, IReadOnlyList<string> States, IReadOnlyList<string> Counties);

/// <summary>
/// A position in an ordering, to continue after (paging cursors carry it, encrypted): by distance (<see cref="Key"/>,
/// the squared chord), by name (<see cref="Name"/>), or by coverage scope then name; ties by <see cref="Id"/>.
/// </summary>
public sealed record PagePosition(int Scope, double Key, string Name, string Id);

/// <summary>
/// An immutable view of the whole directory for searching. Built once from all listings (the base: KD-tree, the
/// name order, coverage and browse tables, all presorted), then each write makes a new snapshot that shares the
/// base and adds a small overlay of changed listings, scanned linearly, plus tombstones for replaced base
/// listings. Readers never lock.
/// </summary>
public sealed partial class DirectorySnapshot
{
    private readonly IndexedListing[] _base;           // sorted by id (ordinal): the KD-tree's tie-break is the ordinal
    private readonly KdTree _tree;
    private readonly Dictionary<string, int> _baseOrdinal;
    private readonly bool[]? _dead;                    // tombstones over base ordinals, null when none
    private readonly int _deadCount;
    private readonly IndexedListing[] _overlay;        // sorted by id
    private readonly IndexedListing[] _overlayByName;  // the same, in name order
    private readonly Dictionary<string, int> _overlayOrdinal;
    private readonly BaseTables _tables;
    private readonly IBoundaryProvider? _boundaries;

    public int Count { get; }
    public int OverlayCount => _overlay.Length;
    public long Version { get; }

    private DirectorySnapshot(IndexedListing[] baseListings, KdTree tree, Dictionary<string, int> baseOrdinal, bool[]? dead, int deadCount,
        IndexedListing[] overlay, Dictionary<string, int> overlayOrdinal, BaseTables tables, IBoundaryProvider? boundaries, long version)
    {
        _base = baseListings; _tree = tree; _baseOrdinal = baseOrdinal; _dead = dead; _deadCount = deadCount;
        _overlay = overlay; _overlayOrdinal = overlayOrdinal; _tables = tables; _boundaries = boundaries;
        _overlayByName = overlay.Length == 0 ? [] : [.. overlay.OrderBy(l => l, NameOrder.Comparer)];
        Version = version;
        Count = baseListings.Length - deadCount + overlay.Length;
    }

    internal static DirectorySnapshot Build(IEnumerable<IndexedListing> listings, IBoundaryProvider? boundaries, long version)
    {
        var arr = listings as IndexedListing[] ?? listings.ToArray();
        // Ordinals in id order, so ties in distance fall back to the same order everywhere.
        Array.Sort(arr, (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var ordinal = new Dictionary<string, int>(arr.Length, StringComparer.Ordinal);
        for (var i = 0; i < arr.Length; i++) ordinal[arr[i].Id] = i;
        KdTree? tree = null;
        BaseTables? tables = null;
        Parallel.Invoke(() => tree = new KdTree(arr), () => tables = new BaseTables(arr));
        return new DirectorySnapshot(arr, tree!, ordinal, null, 0, [], new Dictionary<string, int>(StringComparer.Ordinal), tables!, boundaries, version);
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
        return new DirectorySnapshot(_base, _tree, _baseOrdinal, dead, deadCount, arr, ord, _tables, _boundaries, version);
    }

    /// <summary>Every live listing (base, then overlay).</summary>
    public IEnumerable<IndexedListing> AllListings() => All();

    /// <summary>Every live listing (base, then overlay).</summary>
    internal IEnumerable<IndexedListing> All()
    {
        for (var i = 0; i < _base.Length; i++)
        {
            if (_dead is null || !_dead[i]) yield return _base[i];
        }
        foreach (var o in _overlay) yield return o;
    }

    /// <summary>Every live listing matching a filter (admin lists; searches use the presorted tables).</summary>
    public IEnumerable<IndexedListing> Matching(SearchFilter filter, DateTimeOffset now)
    {
        var f = new CompiledFilter(filter, now);
        foreach (var l in All())
        {
            if (f.Matches(l)) yield return l;
        }
    }

    public IndexedListing? Get(string id)
    {
        if (_overlayOrdinal.TryGetValue(id, out var o)) return _overlay[o];
        if (_baseOrdinal.TryGetValue(id, out var b) && (_dead is null || !_dead[b])) return _base[b];
        return null;
    }

    private bool IsDead(int ordinal) => _dead is not null && _dead[ordinal];

    /// <summary>The states and counties covering a point (the boundary lookup a search needs, done once).</summary>
    public SearchPlace Place(double latitude, double longitude)
    {
        if (_boundaries is null) return new(latitude, longitude, [], []);
        var counties = _boundaries.CountyFipsCovering(latitude, longitude);
        // Counties tile the states (the boundaries share their vertices): a point's states are its counties' states,
        // found without testing the (much larger) state outlines; off every county, the states are asked directly.
        if (counties.Count == 0) return new(latitude, longitude, _boundaries.StateCodesCovering(latitude, longitude), counties);
        IReadOnlyList<string> states = counties.Count == 1 && UsStates.StateOfCounty(counties[0]) is { } only ? [only]
            : [.. counties.Select(UsStates.StateOfCounty).OfType<string>().Distinct().OrderBy(s => UsStates.ByCode(s)?.Fips, StringComparer.Ordinal)];
        return new(latitude, longitude, states, counties);
    }

    // ------------------------------------------------------------------ nearest

    /// <summary>The k nearest listings matching the filter, in exact distance order (ties by id). <c>exact</c>: rank
    /// confidential locations by their true point and report exact distances, only for callers allowed to see
    /// confidential details (caseworkers); public searches rank them by their county's point. <c>after</c>: continue
    /// after this position (the last hit of the previous page). <c>extra</c>: a further test on candidates.</summary>
    public IReadOnlyList<NearestHit> Nearest(double latitude, double longitude, int k, SearchFilter filter, DateTimeOffset now, double? radiusKm = null,
        bool exact = false, PagePosition? after = null, Func<IndexedListing, bool>? extra = null)
    {
        if (k <= 0) return [];
        var f = new CompiledFilter(filter, now);
        var (qx, qy, qz) = GeoMath.ToUnitVector(latitude, longitude);
        var radius = radiusKm is { } r ? GeoMath.ChordSquaredFromKm(r) : double.PositiveInfinity;
        var floor = after is null ? Floor.None : new Floor(after.Key, after.Id);
        var all = new List<(double Key, IndexedListing L, int Loc)>(k + 4);
        var top = new TopK(k, radius, _base, floor.Key, floor.Id is null ? -1 : FloorOrdinal(floor));
        try
        {
            if (exact)
            {
                // The tree answers for listings without confidential locations; those with one (few) are scanned with their true points.
                _tree.Search(qx, qy, qz, f, ref top, new PublicOnlyAcceptor(_base, _dead, f, qx, qy, qz, extra));
                for (var i = 0; i < top.Count; i++) { var (key, owner, loc) = top[i]; all.Add((key, _base[owner], loc)); }
                foreach (var ordinal in _tables.Confidential)
                {
                    if (!IsDead(ordinal)) Scan(_base[ordinal], truePoints: true);
                }
            }
            else
            {
                _tree.Search(qx, qy, qz, f, ref top, new BaseAcceptor(_base, _dead, f, qx, qy, qz, extra));
                if (_overlay.Length == 0)
                {
                    var direct = new NearestHit[top.Count];
                    for (var i = 0; i < direct.Length; i++)
                    {
                        var (key, owner, loc) = top[i];
                        direct[i] = new NearestHit(_base[owner], loc, GeoMath.KmFromChordSquared(key));
                    }
                    return direct;
                }
                for (var i = 0; i < top.Count; i++) { var (key, owner, loc) = top[i]; all.Add((key, _base[owner], loc)); }
            }
        }
        finally
        {
            top.Dispose();
        }
        foreach (var o in _overlay) Scan(o, exact);
        all.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : string.CompareOrdinal(a.L.Id, b.L.Id));
        var hits = new List<NearestHit>(Math.Min(k, all.Count));
        foreach (var (key, l, loc) in all)
        {
            if (hits.Count == k) break;
            hits.Add(new NearestHit(l, loc, GeoMath.KmFromChordSquared(key)));
        }
        return hits;

        void Scan(IndexedListing l, bool truePoints)
        {
            if (!f.Matches(l) || (extra is not null && !extra(l))) return;
            var (best, bestLoc) = l.NearestTo(qx, qy, qz, truePoints);
            if (bestLoc < 0 || best > radius) return;
            if (after is not null && (best < after.Key || (best == after.Key && string.CompareOrdinal(l.Id, after.Id) <= 0))) return;
            all.Add((best, l, bestLoc));
        }
    }

    /// <summary>How many listings matching the filter have a point within <paramref name="radiusKm"/> (each once).</summary>
    public int CountWithin(double latitude, double longitude, double radiusKm, SearchFilter filter, DateTimeOffset now, bool exact, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var f = new CompiledFilter(filter, now);
        var (qx, qy, qz) = GeoMath.ToUnitVector(latitude, longitude);
        var radius = GeoMath.ChordSquaredFromKm(radiusKm);
        var count = exact
            ? _tree.Count(qx, qy, qz, radius, f, new PublicOnlyAcceptor(_base, _dead, f, qx, qy, qz, null), ct)
            : _tree.Count(qx, qy, qz, radius, f, new BaseAcceptor(_base, _dead, f, qx, qy, qz, null), ct);
        void Scan(IndexedListing l, bool truePoints)
        {
            if (!f.Matches(l)) return;
            var (best, loc) = l.NearestTo(qx, qy, qz, truePoints);
            if (loc >= 0 && best <= radius) count++;
        }
        if (exact) foreach (var ordinal in _tables.Confidential) { if (!IsDead(ordinal)) Scan(_base[ordinal], true); }
        foreach (var o in _overlay) Scan(o, exact);
        return count;
    }

    private readonly record struct Floor(double Key, string? Id)
    {
        public static readonly Floor None = new(double.NegativeInfinity, null);
    }

    /// <summary>The base ordinal a floor id sorts at (ties at the floor key are broken by ordinal = id order); the id need
    /// not exist any more (it may have been retired): the insertion point minus one keeps the order exact.</summary>
    private int FloorOrdinal(Floor floor)
    {
        int lo = 0, hi = _base.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_base[mid].Id, floor.Id) <= 0) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        return found;
    }

    /// <summary>Accepts base listings that are live, match the exact parts of the filter, and are at this point their
    /// nearest one (so a listing with several locations is found once, also across pages).</summary>
    private readonly struct BaseAcceptor(IndexedListing[] listings, bool[]? dead, CompiledFilter filter, double qx, double qy, double qz,
        Func<IndexedListing, bool>? extra) : IPointAcceptor
    {
        public bool Accept(int owner, double key, int location)
        {
            if (dead is not null && dead[owner]) return false;
            var l = listings[owner];
            if ((filter.ExactLanguages is not null || filter.OpenNow) && !filter.Matches(l)) return false;
            if (extra is not null && !extra(l)) return false;
            return l.Points.Length == 1 || l.NearestTo(qx, qy, qz, truePoints: false).Location == location;
        }
    }

    private readonly struct PublicOnlyAcceptor(IndexedListing[] listings, bool[]? dead, CompiledFilter filter, double qx, double qy, double qz,
        Func<IndexedListing, bool>? extra) : IPointAcceptor
    {
        public bool Accept(int owner, double key, int location)
        {
            if (dead is not null && dead[owner]) return false;
            var l = listings[owner];
            if (l.HasConfidential || !filter.Matches(l)) return false;
            if (extra is not null && !extra(l)) return false;
            return l.Points.Length == 1 || l.NearestTo(qx, qy, qz, truePoints: false).Location == location;
        }
    }

    // ------------------------------------------------------------------ base tables

    /// <summary>
    /// Everything the base precomputes once: the name order (and each listing's rank in it), and per state, county and
    /// nationwide the listings located or serving there as ascending rank lists, so browse and coverage pages are
    /// merges of presorted lists, never a scan and sort of the directory.
    /// </summary>
    private sealed partial class BaseTables
    {
        /// <summary>Ordinals in name order.</summary>
        public readonly int[] ByName;
        /// <summary>Ordinal → rank in <see cref="ByName"/>.</summary>
        public readonly int[] Rank;
        /// <summary>Ranks of listings located in a state, serving it, or serving a county in it.</summary>
        public readonly Dictionary<string, int[]> InState;
        /// <summary>Ranks of listings located in a county or serving it.</summary>
        public readonly Dictionary<string, int[]> InCounty;
        /// <summary>Ranks of listings with a state service area (by state), a county area (by county), nationwide.</summary>
        public readonly Dictionary<string, int[]> ServesState;
        public readonly Dictionary<string, int[]> ServesCounty;
        public readonly int[] Nationwide;
        /// <summary>Hotlines and tiplines by scope, in the order <see cref="HotlineSelection"/> prefers (ordinals).</summary>
        public readonly Dictionary<string, int[]> HotlinesByState;
        public readonly Dictionary<string, int[]> HotlinesByCounty;
        public readonly int[] HotlinesNationwide;
        public readonly STRtree<(int Ordinal, int Polygon)> Polygons = new();
        /// <summary>Ordinals of listings with a confidential location.</summary>
        public readonly int[] Confidential;

        public BaseTables(IndexedListing[] listings)
        {
            var n = listings.Length;
            ByName = new int[n];
            for (var i = 0; i < n; i++) ByName[i] = i;
            Array.Sort(ByName, (a, b) => NameOrder.Compare(listings[a], listings[b]));
            Rank = new int[n];
            for (var r = 0; r < n; r++) Rank[ByName[r]] = r;

            var inState = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var inCounty = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var servesState = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var servesCounty = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var nationwide = new List<int>();
            var confidential = new List<int>();
            // In rank order, so every list comes out ascending (duplicates are adjacent and dropped).
            for (var r = 0; r < n; r++)
            {
                var l = listings[ByName[r]];
                foreach (var s in l.LocationStates) Add(inState, s, r);
                foreach (var c in l.LocationCounties) Add(inCounty, c, r);
                foreach (var a in l.Areas)
                {
                    switch (a.Scope)
                    {
                        case CoverageScope.Nationwide: if (nationwide.Count == 0 || nationwide[^1] != r) nationwide.Add(r); break;
                        case CoverageScope.State: Add(servesState, a.Code!, r); Add(inState, a.Code!, r); break;
                        case CoverageScope.County:
                            Add(servesCounty, a.Code!, r); Add(inCounty, a.Code!, r);
                            if (UsStates.StateOfCounty(a.Code!) is { } st) Add(inState, st, r);
                            break;
                    }
                }
            }
            for (var o = 0; o < n; o++)
            {
                if (listings[o].HasConfidential) confidential.Add(o);
                for (var p = 0; p < listings[o].AreaEnvelopes.Length; p++) Polygons.Insert(listings[o].AreaEnvelopes[p], (o, p));
            }
            Polygons.Build();
            InState = Freeze(inState); InCounty = Freeze(inCounty);
            ServesState = Freeze(servesState); ServesCounty = Freeze(servesCounty);
            Nationwide = [.. nationwide];
            Confidential = [.. confidential];

            int[] Hotlines(int[] ranks)
            {
                var list = new List<int>();
                foreach (var r in ranks) if (listings[ByName[r]].Kind == Model.ListingKinds.Hotline) list.Add(ByName[r]);
                list.Sort((a, b) => HotlineSelection.Compare(listings[a], listings[b]));
                return [.. list];
            }
            HotlinesNationwide = Hotlines(Nationwide);
            HotlinesByState = ServesState.Select(kv => (kv.Key, Hot: Hotlines(kv.Value))).Where(x => x.Hot.Length > 0).ToDictionary(x => x.Key, x => x.Hot, StringComparer.Ordinal);
            HotlinesByCounty = ServesCounty.Select(kv => (kv.Key, Hot: Hotlines(kv.Value))).Where(x => x.Hot.Length > 0).ToDictionary(x => x.Key, x => x.Hot, StringComparer.Ordinal);
        }

        private static void Add(Dictionary<string, List<int>> d, string key, int rank)
        {
            if (!d.TryGetValue(key, out var list)) d[key] = list = [];
            if (list.Count == 0 || list[^1] != rank) list.Add(rank);
        }

        private static Dictionary<string, int[]> Freeze(Dictionary<string, List<int>> d) =>
            d.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }
}

/// <summary>The order of names in browse and HSDS pages: case-insensitive, then ordinal, then by id.</summary>
public static class NameOrder
{
    public static int Compare(IndexedListing a, IndexedListing b) => Compare(a.Name, a.Id, b.Name, b.Id);

    public static int Compare(string nameA, string idA, string nameB, string idB)
    {
        var c = string.Compare(nameA, nameB, StringComparison.OrdinalIgnoreCase);
        if (c == 0) c = string.CompareOrdinal(nameA, nameB);
        return c != 0 ? c : string.CompareOrdinal(idA, idB);
    }

    public static readonly IComparer<IndexedListing> Comparer = Comparer<IndexedListing>.Create(Compare);
}
