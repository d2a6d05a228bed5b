using System.Buffers.Binary;
using ReferralDirectory.Exchange.Hsds;

namespace ReferralDirectory.Search;

/// <summary>What an HSDS id names: an organization (a listing), one of its services, or a service at one of its locations.</summary>
public readonly record struct HsdsTarget(IndexedListing Listing, int Service, int Location);

public sealed partial class DirectorySnapshot
{
    /// <summary>The listing an HSDS organization id names, or null.</summary>
    public IndexedListing? HsdsOrganization(string uuid) => Find(uuid, HsdsKind.Organization)?.Listing;

    /// <summary>The listing and service an HSDS service id names, or null.</summary>
    public HsdsTarget? HsdsService(string uuid) => Find(uuid, HsdsKind.Service);

    /// <summary>The listing, service and location an HSDS service_at_location id names, or null.</summary>
    public HsdsTarget? HsdsServiceAtLocation(string uuid) => Find(uuid, HsdsKind.ServiceAtLocation);

    private HsdsTarget? Find(string uuid, HsdsKind kind)
    {
        if (uuid.Length != 36 || !Guid.TryParseExact(uuid, "D", out var guid)) return null;
        var id = guid.ToString("D");
        // The overlay first (recent writes; its listings are not in the base table).
        foreach (var o in _overlay)
        {
            if (Match(o, id, kind) is { } t) return t;
        }
        var table = _tables.HsdsIds(_base);
        var key = HsdsIdTable.KeyOf(guid);
        for (var i = table.LowerBound(key); i < table.Count && table.Keys[i] == key; i++)
        {
            if (table.Kinds[i] != kind || IsDead(table.Ordinals[i])) continue;
            if (Match(_base[table.Ordinals[i]], id, kind) is { } t) return t;
        }
        return null;
    }

    private static HsdsTarget? Match(IndexedListing l, string id, HsdsKind kind)
    {
        switch (kind)
        {
            case HsdsKind.Organization:
                return HsdsIds.Organization(l.Id) == id ? new HsdsTarget(l, -1, -1) : null;
            case HsdsKind.Service:
                for (var s = 0; s < l.ServiceCount; s++) if (HsdsIds.Service(l.Id, l.ServiceIds[s]) == id) return new HsdsTarget(l, s, -1);
                return null;
            default:
                for (var s = 0; s < l.ServiceCount; s++)
                    for (var loc = 0; loc < l.LocationCount; loc++)
                        if (HsdsIds.ServiceAtLocation(l.Id, l.ServiceIds[s], loc) == id) return new HsdsTarget(l, s, loc);
                return null;
        }
    }

    private sealed partial class BaseTables
    {
        private HsdsIdTable? _hsdsIds;
        private readonly object _hsdsIdsGate = new();

        /// <summary>The base's HSDS ids, made on the first lookup by id (once, never twice at once) and shared by every
        /// snapshot over this base: 12 bytes per id.</summary>
        public HsdsIdTable HsdsIds(IndexedListing[] listings)
        {
            if (Volatile.Read(ref _hsdsIds) is { } ready) return ready;
            lock (_hsdsIdsGate)
            {
                return _hsdsIds ??= new HsdsIdTable(listings);
            }
        }
    }
}

internal enum HsdsKind : byte { Organization, Service, ServiceAtLocation }

/// <summary>The HSDS ids of the base's listings by their first 8 bytes, sorted (a candidate is confirmed by recomputing its id).</summary>
internal sealed class HsdsIdTable
{
    public readonly ulong[] Keys;
    public readonly int[] Ordinals;
    public readonly HsdsKind[] Kinds;
    public int Count => Keys.Length;

    public HsdsIdTable(IndexedListing[] listings)
    {
        var parts = new (ulong Key, int Ordinal, HsdsKind Kind)[listings.Length][];
        Parallel.For(0, listings.Length, o =>
        {
            var l = listings[o];
            var list = new List<(ulong, int, HsdsKind)>(1 + l.ServiceCount * (1 + l.LocationCount))
            {
                (KeyOf(Guid.Parse(ReferralDirectory.Exchange.Hsds.HsdsIds.Organization(l.Id))), o, HsdsKind.Organization),
            };
            for (var s = 0; s < l.ServiceCount; s++)
            {
                list.Add((KeyOf(Guid.Parse(ReferralDirectory.Exchange.Hsds.HsdsIds.Service(l.Id, l.ServiceIds[s]))), o, HsdsKind.Service));
                for (var loc = 0; loc < l.LocationCount; loc++)
                    list.Add((KeyOf(Guid.Parse(ReferralDirectory.Exchange.Hsds.HsdsIds.ServiceAtLocation(l.Id, l.ServiceIds[s], loc))), o, HsdsKind.ServiceAtLocation));
            }
            parts[o] = [.. list];
        });
        var all = parts.SelectMany(p => p).ToArray();
        Array.Sort(all, (a, b) => a.Key.CompareTo(b.Key));
        Keys = [.. all.Select(a => a.Key)];
        Ordinals = [.. all.Select(a => a.Ordinal)];
        Kinds = [.. all.Select(a => a.Kind)];
    }

    public static ulong KeyOf(Guid g)
    {
        Span<byte> bytes = stackalloc byte[16];
        g.TryWriteBytes(bytes, bigEndian: true, out _);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    public int LowerBound(ulong key)
    {
        int lo = 0, hi = Keys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Keys[mid] < key) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
