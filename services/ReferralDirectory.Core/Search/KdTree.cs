using ReferralDirectory.Geo;

namespace ReferralDirectory.Search;

/// <summary>
/// A static KD-tree over the unit vectors of listing points (chord distance orders exactly like great-circle
/// distance). Every node keeps its bounding box and the OR of its points' filter bits, so a search prunes both
/// by distance and by filter: a subtree with no shelter in it is never entered when searching for shelters.
/// Arrays only, no per-node objects: a million points build in well under a second.
/// </summary>
internal sealed class KdTree
{
    private const int LeafSize = 12;

    /// <summary>A point with its listing's filter bits, so a leaf is one contiguous block of memory.</summary>
    private struct Point
    {
        public double X, Y, Z;
        public ulong Svc, Lang;
        public uint Attr, Pop;
        public int Owner;       // listing ordinal
        public int Location;    // index into the listing's Locations
    }

    /// <summary>One cache line: a conservative float bounding box, OR-aggregated filter bits, children.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 64)]
    private struct Node
    {
        public float MinX, MinY, MinZ, MaxX, MaxY, MaxZ;
        public ulong Svc, Lang;
        public uint Attr, Pop;
        public int Start, End, Right; // Right < 0: leaf; the left child is the next node
    }

    private readonly Point[] _points;
    private readonly Node[] _nodes;
    private int _nodeCount;

    public int PointCount => _points.Length;
    public int NodeCount => _nodeCount;

    public KdTree(IReadOnlyList<IndexedListing> listings)
    {
        var n = 0;
        foreach (var l in listings) n += l.Points.Length;
        _points = new Point[n];
        var i = 0;
        for (var o = 0; o < listings.Count; o++)
        {
            var l = listings[o];
            foreach (var p in l.Points)
            {
                ref var pt = ref _points[i++];
                (pt.X, pt.Y, pt.Z) = GeoMath.ToUnitVector(p.Latitude, p.Longitude);
                pt.Owner = o; pt.Location = p.LocationIndex;
                pt.Svc = l.Services; pt.Attr = l.Attributes; pt.Pop = l.Populations; pt.Lang = l.LanguageMask;
            }
        }
        _nodes = new Node[Math.Max(1, 2 * (n / (LeafSize / 2) + 1))];
        if (n > 0) Build(0, n);
    }

    private static float Down(double v) { var f = (float)v; return f > v ? MathF.BitDecrement(f) : f; }
    private static float Up(double v) { var f = (float)v; return f < v ? MathF.BitIncrement(f) : f; }

    private int Build(int start, int end)
    {
        var node = _nodeCount++;
        double minX = double.MaxValue, minY = double.MaxValue, minZ = double.MaxValue;
        double maxX = double.MinValue, maxY = double.MinValue, maxZ = double.MinValue;
        ulong svc = 0, lang = 0; uint attr = 0, pop = 0;
        for (var i = start; i < end; i++)
        {
            ref readonly var p = ref _points[i];
            if (p.X < minX) minX = p.X; if (p.X > maxX) maxX = p.X;
            if (p.Y < minY) minY = p.Y; if (p.Y > maxY) maxY = p.Y;
            if (p.Z < minZ) minZ = p.Z; if (p.Z > maxZ) maxZ = p.Z;
            svc |= p.Svc; lang |= p.Lang; attr |= p.Attr; pop |= p.Pop;
        }
        ref var nd = ref _nodes[node];
        nd.MinX = Down(minX); nd.MinY = Down(minY); nd.MinZ = Down(minZ);
        nd.MaxX = Up(maxX); nd.MaxY = Up(maxY); nd.MaxZ = Up(maxZ);
        nd.Svc = svc; nd.Lang = lang; nd.Attr = attr; nd.Pop = pop;
        nd.Start = start; nd.End = end; nd.Right = -1;
        if (end - start <= LeafSize) return node;

        var dx = maxX - minX; var dy = maxY - minY; var dz = maxZ - minZ;
        var axis = dx >= dy && dx >= dz ? 0 : dy >= dz ? 1 : 2;
        var mid = (start + end) >>> 1;
        Select(axis, start, end - 1, mid);
        Build(start, mid);
        var right = Build(mid, end);
        _nodes[node].Right = right;
        return node;
    }

    private double Key(int axis, int i) => axis == 0 ? _points[i].X : axis == 1 ? _points[i].Y : _points[i].Z;

    /// <summary>Quickselect: afterwards the k-th smallest (on the axis) is at k, smaller before, larger after.</summary>
    private void Select(int axis, int lo, int hi, int k)
    {
        while (hi > lo)
        {
            var m = (lo + hi) >>> 1;
            if (Key(axis, m) < Key(axis, lo)) Swap(m, lo);
            if (Key(axis, hi) < Key(axis, lo)) Swap(hi, lo);
            if (Key(axis, hi) < Key(axis, m)) Swap(hi, m);
            var pivot = Key(axis, m);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (Key(axis, i) < pivot) i++;
                while (Key(axis, j) > pivot) j--;
                if (i <= j) { Swap(i, j); i++; j--; }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }

    private void Swap(int a, int b)
    {
        if (a != b) (_points[a], _points[b]) = (_points[b], _points[a]);
    }

    /// <summary>
    /// Visits every point that may beat the collector's current bound, nearer subtrees first.
    /// <paramref name="accept"/> does the exact checks on a listing the bit filter let through.
    /// </summary>
    public void Search<TAccept>(double qx, double qy, double qz, in CompiledFilter filter, ref TopK top, TAccept accept)
        where TAccept : struct, IPointAcceptor
    {
        if (_nodeCount == 0) return;
        Span<int> stack = stackalloc int[128];
        Span<double> bounds = stackalloc double[128];
        var sp = 0;
        var nodes = _nodes;
        var points = _points;
        stack[sp] = 0; bounds[sp] = BoxDistance(in nodes[0], qx, qy, qz); sp++;
        var svcAny = filter.ServiceAny; var kindAny = filter.KindAny; var attrAll = filter.AttrAll;
        var popAll = filter.PopulationAll; var langAll = filter.LanguageAll;
        while (sp > 0)
        {
            sp--;
            if (bounds[sp] > top.Bound) continue;
            ref readonly var nd = ref nodes[stack[sp]];
            if (!((svcAny == 0 || (nd.Svc & svcAny) != 0)
                  && (kindAny == 0 || (nd.Attr & kindAny) != 0)
                  && (nd.Attr & attrAll) == attrAll
                  && (nd.Pop & popAll) == popAll
                  && (nd.Lang & langAll) == langAll)) continue;
            if (nd.Right < 0)
            {
                for (int i = nd.Start, end = nd.End; i < end; i++)
                {
                    ref readonly var p = ref points[i];
                    if ((svcAny != 0 && (p.Svc & svcAny) == 0)
                        || (kindAny != 0 && (p.Attr & kindAny) == 0)
                        || (p.Attr & attrAll) != attrAll
                        || (p.Pop & popAll) != popAll
                        || (p.Lang & langAll) != langAll) continue;
                    var ddx = p.X - qx; var ddy = p.Y - qy; var ddz = p.Z - qz;
                    var d = ddx * ddx + ddy * ddy + ddz * ddz;
                    if (d > top.Bound) continue;
                    if (!accept.Accept(p.Owner)) continue;
                    top.Offer(d, p.Owner, p.Location);
                }
                continue;
            }
            var left = stack[sp] + 1;
            var right = nd.Right;
            var dl = BoxDistance(in nodes[left], qx, qy, qz);
            var dr = BoxDistance(in nodes[right], qx, qy, qz);
            // Push the farther child first so the nearer one is searched first.
            if (dl <= dr)
            {
                if (dr <= top.Bound) { stack[sp] = right; bounds[sp] = dr; sp++; }
                if (dl <= top.Bound) { stack[sp] = left; bounds[sp] = dl; sp++; }
            }
            else
            {
                if (dl <= top.Bound) { stack[sp] = left; bounds[sp] = dl; sp++; }
                if (dr <= top.Bound) { stack[sp] = right; bounds[sp] = dr; sp++; }
            }
        }
    }

    private static double BoxDistance(in Node n, double qx, double qy, double qz)
    {
        var dx = Math.Max(0, Math.Max(n.MinX - qx, qx - n.MaxX));
        var dy = Math.Max(0, Math.Max(n.MinY - qy, qy - n.MaxY));
        var dz = Math.Max(0, Math.Max(n.MinZ - qz, qz - n.MaxZ));
        return dx * dx + dy * dy + dz * dz;
    }

    /// <summary>Bytes held by the tree's arrays.</summary>
    public long ApproximateBytes => (long)_points.Length * 56 + (long)_nodes.Length * 64;
}

internal interface IPointAcceptor
{
    bool Accept(int owner);
}

/// <summary>
/// The k best distinct listings seen so far, ordered by (squared chord, id). A listing with several locations
/// counts once, at its nearest location. Owners are ordinals into listings sorted by id (ordinal string order),
/// so the id tie-break is the ordinal tie-break: no listing object is touched while searching.
/// </summary>
internal struct TopK
{
    private readonly double[] _keys;
    private readonly int[] _owners;
    private readonly int[] _locations;
    private readonly double _radius;
    private readonly int _k;
    private int _count;

    [ThreadStatic] private static double[]? t_keys;
    [ThreadStatic] private static int[]? t_owners, t_locations;

    /// <summary>A collector over <paramref name="listings"/>, which must be sorted by id (ordinal). Its buffers are
    /// per thread and reused: read the results before the next search on the same thread.</summary>
    public TopK(int k, double radiusChord2, IndexedListing[] listings)
    {
        System.Diagnostics.Debug.Assert(listings.Length < 2 || string.CompareOrdinal(listings[0].Id, listings[^1].Id) < 0);
        if (t_keys is null || t_keys.Length < k)
        {
            var size = Math.Max(k, 64);
            t_keys = new double[size]; t_owners = new int[size]; t_locations = new int[size];
        }
        _keys = t_keys; _owners = t_owners!; _locations = t_locations!;
        _k = k;
        _radius = radiusChord2; _count = 0;
        Bound = radiusChord2;
    }

    /// <summary>Points farther than this cannot enter.</summary>
    public double Bound { get; private set; }
    public readonly int Count => _count;
    public readonly int Capacity => _k;

    public void Offer(double key, int owner, int location)
    {
        // Already present? Keep the nearer location.
        var owners = _owners;
        for (var i = 0; i < _count; i++)
        {
            if (owners[i] != owner) continue;
            if (key >= _keys[i]) return;
            RemoveAt(i);
            Insert(key, owner, location);
            return;
        }
        if (_count == _k)
        {
            var last = _count - 1;
            if (Compare(key, owner, _keys[last], owners[last]) >= 0) return;
            _count--;
        }
        Insert(key, owner, location);
    }

    private void Insert(double key, int owner, int location)
    {
        var i = _count;
        var keys = _keys; var owners = _owners; var locations = _locations;
        while (i > 0 && Compare(key, owner, keys[i - 1], owners[i - 1]) < 0)
        {
            keys[i] = keys[i - 1]; owners[i] = owners[i - 1]; locations[i] = locations[i - 1];
            i--;
        }
        keys[i] = key; owners[i] = owner; locations[i] = location;
        _count++;
        if (_count == _k) Bound = Math.Min(_radius, keys[_count - 1]);
    }

    private void RemoveAt(int i)
    {
        for (var j = i; j < _count - 1; j++)
        {
            _keys[j] = _keys[j + 1]; _owners[j] = _owners[j + 1]; _locations[j] = _locations[j + 1];
        }
        _count--;
        Bound = _radius;
    }

    private static int Compare(double k1, int o1, double k2, int o2)
    {
        var c = k1.CompareTo(k2);
        return c != 0 ? c : o1.CompareTo(o2);
    }

    public readonly (double Key, int Owner, int Location) this[int i] => (_keys[i], _owners[i], _locations[i]);
}
