using System.Runtime.InteropServices;
using ReferralDirectory.Geo;

namespace ReferralDirectory.Search;

/// <summary>
/// A static KD-tree over the unit vectors of listing points (chord distance orders exactly like great-circle
/// distance), laid out like a BVH for cache efficiency:
/// <list type="bullet">
/// <item>The tree is a perfect binary tree in heap order (children of node i are 2i+1 and 2i+2); leaf j of 2^D
/// covers points [j·n/2^D, (j+1)·n/2^D), so ranges are computed, not stored.</item>
/// <item>Each internal node is one 64-byte line holding its two children's conservative float boxes and service
/// masks, so a child pruned by distance or service is never touched. The rarer filter bits (kinds and flags,
/// populations, languages) live in a side array read only when the filter uses them.</item>
/// <item>Each leaf is one contiguous block: its points' service masks (8 B each), then their exact coordinates
/// with owner (32 B each), so a leaf scan streams one region and reads a point's coordinates only when its
/// services match. The other filter bits (16 B a point) are a side array, read only when the filter uses them.</item>
/// <item>Search is best-first: subtrees set aside wait in a small min-heap by box distance, and the search stops
/// when the nearest of them is farther than the k-th best found.</item>
/// </list>
/// Every subtree keeps the OR of its points' filter bits, so a search prunes both by distance and by filter.
/// Arrays only, no per-node objects: a million points build in well under a second.
/// </summary>
internal sealed class KdTree
{
    /// <summary>Most points in a leaf (leaves hold between half this and this). Measured at 100k and 1M listings:
    /// larger leaves mean fewer dependent node loads, and the service masks at the head of each leaf block make
    /// scanning cheap; 32 was about the best.</summary>
    private const int LeafSize = 32;

    /// <summary>A point's exact coordinates and what it belongs to.</summary>
    private struct Coord
    {
        public double X, Y, Z;
        public int Owner;       // listing ordinal
        public int Location;    // index into the listing's Locations
    }

    /// <summary>The filter bits other than services, of a point or (OR-aggregated) of a subtree.</summary>
    private struct Bits
    {
        public ulong Lang;
        public uint Attr, Pop;
    }

    /// <summary>A point while building.</summary>
    private struct BuildPoint
    {
        public double X, Y, Z;
        public ulong Svc, Lang;
        public uint Attr, Pop;
        public int Owner, Location;
    }

    /// <summary>One cache line: the boxes and service masks of an internal node's two children.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    private struct Inner
    {
        public float L0X, L0Y, L0Z, H0X, H0Y, H0Z; // child 0 (2i+1)
        public float L1X, L1Y, L1Z, H1X, H1Y, H1Z; // child 1 (2i+2)
        public ulong Svc0, Svc1;
    }

    private readonly int _n;
    private readonly int _depth;          // leaves = 2^depth
    private readonly int _firstLeaf;      // node index of leaf 0 = 2^depth - 1 = internal node count
    private readonly Inner[] _inner;
    private readonly Bits[] _nodeBits;    // per node (internal and leaf)
    private readonly ulong _rootSvc;
    private readonly Bits _rootBits;
    /// <summary>Leaf blocks, one after another: leaf j with m points starting at point s occupies
    /// [5s, 5s + 5m): m service masks, then m <see cref="Coord"/>s (4 ulongs each), so a leaf is one stream.</summary>
    private readonly ulong[] _leaves;
    private readonly Bits[] _bits;


    public KdTree(IReadOnlyList<IndexedListing> listings)
    {
        var n = 0;
        foreach (var l in listings) n += l.Points.Length;
        _n = n;
        var pts = new BuildPoint[n];
        var i = 0;
        for (var o = 0; o < listings.Count; o++)
        {
            var l = listings[o];
            foreach (var p in l.Points)
            {
                ref var pt = ref pts[i++];
                (pt.X, pt.Y, pt.Z) = (p.X, p.Y, p.Z);
                pt.Owner = o; pt.Location = p.LocationIndex;
                pt.Svc = l.Services; pt.Attr = l.Attributes; pt.Pop = l.Populations; pt.Lang = l.LanguageMask;
            }
        }
        var depth = 0;
        while (((long)n >> depth) > LeafSize) depth++;
        // Leaf sizes are floor or ceil of n / 2^depth; make sure the largest fits.
        while ((((long)n + (1L << depth) - 1) >> depth) > LeafSize) depth++;
        _depth = depth;
        _firstLeaf = (1 << depth) - 1;
        _inner = new Inner[_firstLeaf];
        _nodeBits = new Bits[2 * _firstLeaf + 1];
        if (n > 0)
        {
            var (svc, bits) = Build(pts, 0, 0, 0, n);
            _rootSvc = svc; _rootBits = bits;
        }
        _leaves = new ulong[5L * n];
        _bits = new Bits[n];
        for (var leaf = 0; n > 0 && leaf <= _firstLeaf; leaf++)
        {
            var start = (int)((long)leaf * n >> depth);
            var m = (int)((long)(leaf + 1) * n >> depth) - start;
            var block = _leaves.AsSpan(5 * start, 5 * m);
            var coords = MemoryMarshal.Cast<ulong, Coord>(block[m..]);
            for (var t = 0; t < m; t++)
            {
                ref readonly var p = ref pts[start + t];
                block[t] = p.Svc;
                coords[t] = new Coord { X = p.X, Y = p.Y, Z = p.Z, Owner = p.Owner, Location = p.Location };
                _bits[start + t] = new Bits { Lang = p.Lang, Attr = p.Attr, Pop = p.Pop };
            }
        }
    }

    private static float Down(double v) { var f = (float)v; return f > v ? MathF.BitDecrement(f) : f; }
    private static float Up(double v) { var f = (float)v; return f < v ? MathF.BitIncrement(f) : f; }

    /// <summary>Builds the subtree of <paramref name="node"/> (at <paramref name="level"/>) over [start, end);
    /// writes its box into its parent's line and returns its aggregated filter bits.</summary>
    private (ulong Svc, Bits Bits) Build(BuildPoint[] pts, int node, int level, int start, int end)
    {
        double minX = double.MaxValue, minY = double.MaxValue, minZ = double.MaxValue;
        double maxX = double.MinValue, maxY = double.MinValue, maxZ = double.MinValue;
        ulong svc = 0, lang = 0; uint attr = 0, pop = 0;
        for (var i = start; i < end; i++)
        {
            ref readonly var p = ref pts[i];
            if (p.X < minX) minX = p.X; if (p.X > maxX) maxX = p.X;
            if (p.Y < minY) minY = p.Y; if (p.Y > maxY) maxY = p.Y;
            if (p.Z < minZ) minZ = p.Z; if (p.Z > maxZ) maxZ = p.Z;
            svc |= p.Svc; lang |= p.Lang; attr |= p.Attr; pop |= p.Pop;
        }
        var bits = new Bits { Lang = lang, Attr = attr, Pop = pop };
        _nodeBits[node] = bits;
        if (node > 0)
        {
            ref var parent = ref _inner[(node - 1) >> 1];
            if ((node & 1) == 1)
            {
                parent.L0X = Down(minX); parent.L0Y = Down(minY); parent.L0Z = Down(minZ);
                parent.H0X = Up(maxX); parent.H0Y = Up(maxY); parent.H0Z = Up(maxZ);
                parent.Svc0 = svc;
            }
            else
            {
                parent.L1X = Down(minX); parent.L1Y = Down(minY); parent.L1Z = Down(minZ);
                parent.H1X = Up(maxX); parent.H1Y = Up(maxY); parent.H1Z = Up(maxZ);
                parent.Svc1 = svc;
            }
        }
        if (level == _depth) return (svc, bits);

        var dx = maxX - minX; var dy = maxY - minY; var dz = maxZ - minZ;
        var axis = dx >= dy && dx >= dz ? 0 : dy >= dz ? 1 : 2;
        // The split that makes leaf j cover [j·n/2^D, (j+1)·n/2^D).
        var j = node + 1 - (1 << level);
        var mid = (int)((2L * j + 1) * _n >> (level + 1));
        if (mid > start && mid < end) Select(pts, axis, start, end - 1, mid);
        Build(pts, 2 * node + 1, level + 1, start, mid);
        Build(pts, 2 * node + 2, level + 1, mid, end);
        return (svc, bits);
    }

    private static double Key(BuildPoint[] pts, int axis, int i) => axis == 0 ? pts[i].X : axis == 1 ? pts[i].Y : pts[i].Z;

    /// <summary>Quickselect: afterwards the k-th smallest (on the axis) is at k, smaller before, larger after.</summary>
    private static void Select(BuildPoint[] pts, int axis, int lo, int hi, int k)
    {
        while (hi > lo)
        {
            var m = (lo + hi) >>> 1;
            if (Key(pts, axis, m) < Key(pts, axis, lo)) Swap(pts, m, lo);
            if (Key(pts, axis, hi) < Key(pts, axis, lo)) Swap(pts, hi, lo);
            if (Key(pts, axis, hi) < Key(pts, axis, m)) Swap(pts, hi, m);
            var pivot = Key(pts, axis, m);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (Key(pts, axis, i) < pivot) i++;
                while (Key(pts, axis, j) > pivot) j--;
                if (i <= j) { Swap(pts, i, j); i++; j--; }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }

    private static void Swap(BuildPoint[] pts, int a, int b)
    {
        if (a != b) (pts[a], pts[b]) = (pts[b], pts[a]);
    }

    /// <summary>
    /// Visits every point that may beat the collector's current bound, nearer subtrees first.
    /// <paramref name="accept"/> does the exact checks on a listing the bit filter let through.
    /// </summary>
    public void Search<TAccept>(double qx, double qy, double qz, in CompiledFilter filter, ref TopK top, TAccept accept)
        where TAccept : struct, IPointAcceptor
    {
        if (_n == 0) return;
        var svcAny = filter.ServiceAny; var kindAny = filter.KindAny; var attrAll = filter.AttrAll;
        var popAll = filter.PopulationAll; var langAll = filter.LanguageAll;
        var needBits = kindAny != 0 || attrAll != 0 || popAll != 0 || langAll != 0;
        if (svcAny != 0 && (_rootSvc & svcAny) == 0) return;
        if (needBits && !BitsMatch(in _rootBits, kindAny, attrAll, popAll, langAll)) return;

        var inner = _inner;
        var nodeBits = _nodeBits;
        var firstLeaf = _firstLeaf;
        // Best-first: a min-heap of subtrees set aside (by box distance); from each popped subtree, descend to
        // its nearer leaf, setting the farther children aside. Stops as soon as the nearest set-aside subtree
        // is farther than the k-th best found (ties are not pruned: they may win on id).
        var heap = t_heap ??= new Pending[256];
        var count = 0;
        var node = 0;
        while (true)
        {
            while (node < firstLeaf)
            {
                ref readonly var nd = ref inner[node];
                var c0 = 2 * node + 1;
                var bound = top.Bound;
                var ok0 = svcAny == 0 || (nd.Svc0 & svcAny) != 0;
                var ok1 = svcAny == 0 || (nd.Svc1 & svcAny) != 0;
                if (needBits)
                {
                    ok0 = ok0 && BitsMatch(in nodeBits[c0], kindAny, attrAll, popAll, langAll);
                    ok1 = ok1 && BitsMatch(in nodeBits[c0 + 1], kindAny, attrAll, popAll, langAll);
                }
                var d0 = BoxDistance(nd.L0X, nd.L0Y, nd.L0Z, nd.H0X, nd.H0Y, nd.H0Z, qx, qy, qz);
                var d1 = BoxDistance(nd.L1X, nd.L1Y, nd.L1Z, nd.H1X, nd.H1Y, nd.H1Z, qx, qy, qz);
                // (The bound may be infinite, so a filtered-out child must not rely on an infinite distance.)
                ok0 = ok0 && d0 <= bound; ok1 = ok1 && d1 <= bound;
                if (ok0 && ok1)
                {
                    if (count == heap.Length) t_heap = heap = GrowHeap(heap);
                    if (d0 <= d1) { Push(heap, ref count, d1, c0 + 1); node = c0; }
                    else { Push(heap, ref count, d0, c0); node = c0 + 1; }
                }
                else if (ok0) node = c0;
                else if (ok1) node = c0 + 1;
                else { node = -1; break; }
            }
            if (node >= 0) ScanLeaf(node - firstLeaf, qx, qy, qz, svcAny, needBits, kindAny, attrAll, popAll, langAll, ref top, accept);
            if (count == 0 || heap[0].Distance > top.Bound) return;
            node = PopMin(heap, ref count);
        }
    }

    /// <summary>Counts the points within <paramref name="radius"/> (squared chord) that pass the filter bits and
    /// <paramref name="accept"/> (which must accept a listing at one point only, e.g. its nearest).</summary>
    public int Count<TAccept>(double qx, double qy, double qz, double radius, in CompiledFilter filter, TAccept accept, CancellationToken ct)
        where TAccept : struct, IPointAcceptor
    {
        if (_n == 0) return 0;
        var svcAny = filter.ServiceAny; var kindAny = filter.KindAny; var attrAll = filter.AttrAll;
        var popAll = filter.PopulationAll; var langAll = filter.LanguageAll;
        var needBits = kindAny != 0 || attrAll != 0 || popAll != 0 || langAll != 0;
        if (svcAny != 0 && (_rootSvc & svcAny) == 0) return 0;
        if (needBits && !BitsMatch(in _rootBits, kindAny, attrAll, popAll, langAll)) return 0;
        var stack = new Stack<int>();
        stack.Push(0);
        var count = 0;
        var visited = 0;
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if ((++visited & 1023) == 0) ct.ThrowIfCancellationRequested();
            if (node >= _firstLeaf)
            {
                var leaf = node - _firstLeaf;
                var start = (int)((long)leaf * _n >> _depth);
                var end = (int)((long)(leaf + 1) * _n >> _depth);
                var m = end - start;
                var block = _leaves.AsSpan(5 * start, 5 * m);
                var svc = block[..m];
                var coords = MemoryMarshal.Cast<ulong, Coord>(block[m..]);
                for (var t = 0; t < m; t++)
                {
                    if (svcAny != 0 && (svc[t] & svcAny) == 0) continue;
                    if (needBits && !BitsMatch(in _bits[start + t], kindAny, attrAll, popAll, langAll)) continue;
                    ref readonly var p = ref coords[t];
                    var ddx = p.X - qx; var ddy = p.Y - qy; var ddz = p.Z - qz;
                    var d = ddx * ddx + ddy * ddy + ddz * ddz;
                    if (d <= radius && accept.Accept(p.Owner, d, p.Location)) count++;
                }
                continue;
            }
            ref readonly var nd = ref _inner[node];
            var c0 = 2 * node + 1;
            if ((svcAny == 0 || (nd.Svc0 & svcAny) != 0) && (!needBits || BitsMatch(in _nodeBits[c0], kindAny, attrAll, popAll, langAll))
                && BoxDistance(nd.L0X, nd.L0Y, nd.L0Z, nd.H0X, nd.H0Y, nd.H0Z, qx, qy, qz) <= radius) stack.Push(c0);
            if ((svcAny == 0 || (nd.Svc1 & svcAny) != 0) && (!needBits || BitsMatch(in _nodeBits[c0 + 1], kindAny, attrAll, popAll, langAll))
                && BoxDistance(nd.L1X, nd.L1Y, nd.L1Z, nd.H1X, nd.H1Y, nd.H1Z, qx, qy, qz) <= radius) stack.Push(c0 + 1);
        }
        return count;
    }

    private struct Pending
    {
        public double Distance;
        public int Node;
    }

    // One heap per thread, reused by every search on it: Search takes its collector by ref, so it cannot be async and
    // nothing can await between filling the heap and finishing with it.
    [ThreadStatic] private static Pending[]? t_heap;

    private static Pending[] GrowHeap(Pending[] heap)
    {
        var bigger = new Pending[heap.Length * 2];
        Array.Copy(heap, bigger, heap.Length);
        return bigger;
    }

    private static void Push(Pending[] heap, ref int count, double distance, int node)
    {
        var i = count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (heap[parent].Distance <= distance) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i].Distance = distance; heap[i].Node = node;
    }

    private static int PopMin(Pending[] heap, ref int count)
    {
        var top = heap[0].Node;
        var last = heap[--count];
        var i = 0;
        while (true)
        {
            var c = 2 * i + 1;
            if (c >= count) break;
            if (c + 1 < count && heap[c + 1].Distance < heap[c].Distance) c++;
            if (heap[c].Distance >= last.Distance) break;
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = last;
        return top;
    }

    private void ScanLeaf<TAccept>(int leaf, double qx, double qy, double qz, ulong svcAny, bool needBits,
        uint kindAny, uint attrAll, uint popAll, ulong langAll, ref TopK top, TAccept accept)
        where TAccept : struct, IPointAcceptor
    {
        var start = (int)((long)leaf * _n >> _depth);
        var end = (int)((long)(leaf + 1) * _n >> _depth);
        var m = end - start;
        var block = _leaves.AsSpan(5 * start, 5 * m);
        var svc = block[..m];
        var coords = MemoryMarshal.Cast<ulong, Coord>(block[m..]);
        for (var t = 0; t < svc.Length; t++)
        {
            if (svcAny != 0 && (svc[t] & svcAny) == 0) continue;
            if (needBits && !BitsMatch(in _bits[start + t], kindAny, attrAll, popAll, langAll)) continue;
            ref readonly var p = ref coords[t];
            var ddx = p.X - qx; var ddy = p.Y - qy; var ddz = p.Z - qz;
            var d = ddx * ddx + ddy * ddy + ddz * ddz;
            if (d > top.Bound || top.BelowFloor(d, p.Owner)) continue;
            if (!accept.Accept(p.Owner, d, p.Location)) continue;
            top.Offer(d, p.Owner, p.Location);
        }
    }

    private static bool BitsMatch(in Bits b, uint kindAny, uint attrAll, uint popAll, ulong langAll) =>
        (kindAny == 0 || (b.Attr & kindAny) != 0)
        && (b.Attr & attrAll) == attrAll
        && (b.Pop & popAll) == popAll
        && (b.Lang & langAll) == langAll;

    private static double BoxDistance(float lx, float ly, float lz, float hx, float hy, float hz, double qx, double qy, double qz)
    {
        var dx = Math.Max(0, Math.Max(lx - qx, qx - hx));
        var dy = Math.Max(0, Math.Max(ly - qy, qy - hy));
        var dz = Math.Max(0, Math.Max(lz - qz, qz - hz));
        return dx * dx + dy * dy + dz * dz;
    }

}

internal interface IPointAcceptor
{
    /// <summary>Whether the point of <paramref name="owner"/> at <paramref name="key"/> (its location <paramref name="location"/>) counts.</summary>
    bool Accept(int owner, double key, int location);
}

/// <summary>
/// The k best distinct listings seen so far, ordered by (squared chord, id). A listing with several locations
/// counts once, at its nearest location. Owners are ordinals into listings sorted by id (ordinal string order),
/// so the id tie-break is the ordinal tie-break: no listing object is touched while searching.
/// </summary>
internal struct TopK : IDisposable
{
    private readonly double[] _keys;
    private readonly int[] _owners;
    private readonly int[] _locations;
    private readonly double _radius;
    private readonly int _k;
    private readonly double _floorKey;
    private readonly int _floorOwner;
    private int _count;

    /// <summary>A collector over <paramref name="listings"/>, which must be sorted by id (ordinal). Its buffers are rented
    /// from the shared pool: call <see cref="Dispose"/> once the results are read (they are not valid after).</summary>
    /// <remarks>With a floor, only points strictly after (<paramref name="floorKey"/>, <paramref name="floorOwner"/>) in
    /// (distance, ordinal) order count: the next page of an ordering.</remarks>
    public TopK(int k, double radiusChord2, IndexedListing[] listings, double floorKey = double.NegativeInfinity, int floorOwner = -1)
    {
        _floorKey = floorKey; _floorOwner = floorOwner;
        System.Diagnostics.Debug.Assert(listings.Length < 2 || string.CompareOrdinal(listings[0].Id, listings[^1].Id) < 0);
        _keys = System.Buffers.ArrayPool<double>.Shared.Rent(k);
        _owners = System.Buffers.ArrayPool<int>.Shared.Rent(k);
        _locations = System.Buffers.ArrayPool<int>.Shared.Rent(k);
        _k = k;
        _radius = radiusChord2; _count = 0;
        Bound = radiusChord2;
    }

    /// <summary>Returns the buffers to the pool.</summary>
    public void Dispose()
    {
        System.Buffers.ArrayPool<double>.Shared.Return(_keys);
        System.Buffers.ArrayPool<int>.Shared.Return(_owners);
        System.Buffers.ArrayPool<int>.Shared.Return(_locations);
    }

    /// <summary>Whether a point is at or before the floor (on an earlier page).</summary>
    public readonly bool BelowFloor(double key, int owner) => key < _floorKey || (key == _floorKey && owner <= _floorOwner);

    /// <summary>Points farther than this cannot enter.</summary>
    public double Bound { get; private set; }
    public readonly int Count => _count;

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
