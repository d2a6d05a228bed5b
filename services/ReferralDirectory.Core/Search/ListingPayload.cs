using ReferralDirectory.Model;
using ReferralDirectory.Safety;

namespace ReferralDirectory.Search;

/// <summary>
/// What a search answer shows of a listing, encoded once when the listing is indexed (by the host's
/// <see cref="IListingEncoder"/>, which owns the answer format): the head and tail of the listing's result card, a
/// fragment per location for the public view, for confidential locations a fragment of the exact view that only
/// caseworkers' answers use, and a hotline's entry. Answers are then written by copying bytes, and the full listing
/// need not stay in memory (it is read from the store when someone asks for it). All fragments share one array.
/// </summary>
public sealed class ListingPayload
{
    private readonly byte[] _data;
    private readonly ushort[] _ends; // head, contact, tail, hotline, then one per location: where each fragment ends in _data
    private readonly byte[]?[]? _exact;

    public ListingPayload(byte[] head, byte[] contact, byte[] tail, byte[][] locations, byte[]?[]? exactLocations, byte[]? hotline)
    {
        var parts = new List<byte[]> { head, contact, tail, hotline ?? [] };
        parts.AddRange(locations);
        var total = parts.Sum(p => p.Length);
        if (total > ushort.MaxValue) throw new ArgumentException("A listing's answer fragments exceed 64 KB.");
        _data = new byte[total];
        _ends = new ushort[parts.Count];
        var at = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            parts[i].CopyTo(_data, at);
            at += parts[i].Length;
            _ends[i] = (ushort)at;
        }
        HasHotline = hotline is not null;
        _exact = exactLocations is not null && exactLocations.Any(e => e is not null) ? exactLocations : null;
    }

    private ReadOnlySpan<byte> Part(int i) => _data.AsSpan(i == 0 ? 0 : _ends[i - 1], _ends[i] - (i == 0 ? 0 : _ends[i - 1]));

    /// <summary>The card's first fields (id, name, kind), written before the search's own (distance, coverage, open now).</summary>
    public ReadOnlySpan<byte> Head => Part(0);
    /// <summary>How to reach the listing (main phone, text line, website): also what a short card shows.</summary>
    public ReadOnlySpan<byte> Contact => Part(1);
    /// <summary>The card's other fields that do not depend on the search (services, languages, flags...).</summary>
    public ReadOnlySpan<byte> Tail => Part(2);
    /// <summary>The hotline entry of a hotline or tipline (empty otherwise).</summary>
    public ReadOnlySpan<byte> Hotline => Part(3);
    public bool HasHotline { get; }
    public int LocationCount => _ends.Length - 4;
    /// <summary>Location <paramref name="index"/>'s public fields (for a confidential location: county and state only).</summary>
    public ReadOnlySpan<byte> Location(int index) => Part(4 + index);
    /// <summary>Location <paramref name="index"/>'s exact fields when it is confidential (caseworkers only), else empty.</summary>
    public ReadOnlySpan<byte> ExactLocation(int index) => _exact is { } e && index < e.Length && e[index] is { } x ? x : [];

    private ListingPayload(byte[] data, ushort[] ends, byte[]?[]? exact, bool hasHotline)
    {
        _data = data; _ends = ends; _exact = exact; HasHotline = hasHotline;
    }

    internal void WriteTo(BinaryWriter w)
    {
        w.Write(_data.Length); w.Write(_data);
        w.Write(_ends.Length); foreach (var e in _ends) w.Write(e);
        w.Write(HasHotline);
        w.Write(_exact?.Length ?? -1);
        foreach (var x in _exact ?? []) { w.Write(x?.Length ?? -1); if (x is not null) w.Write(x); }
    }

    internal static ListingPayload ReadFrom(BinaryReader r)
    {
        var data = r.ReadBytes(r.ReadInt32());
        var ends = new ushort[r.ReadInt32()];
        for (var i = 0; i < ends.Length; i++) ends[i] = r.ReadUInt16();
        var hotline = r.ReadBoolean();
        var n = r.ReadInt32();
        byte[]?[]? exact = null;
        if (n >= 0)
        {
            exact = new byte[]?[n];
            for (var i = 0; i < n; i++) { var len = r.ReadInt32(); exact[i] = len < 0 ? null : r.ReadBytes(len); }
        }
        return new ListingPayload(data, ends, exact, hotline);
    }

    public int Bytes => _data.Length + (_exact?.Sum(e => e?.Length ?? 0) ?? 0);
}

/// <summary>Encodes a listing's <see cref="ListingPayload"/> (implemented by the API host).</summary>
public interface IListingEncoder
{
    /// <summary>Names the format of the fragments: a saved index made with another format is not used.</summary>
    string FormatVersion { get; }

    /// <summary>Encodes <paramref name="listing"/>, whose locations as the public sees them are <paramref name="publicLocations"/>.</summary>
    ListingPayload Encode(Listing listing, IReadOnlyList<PublicLocation> publicLocations, ConfidentialLocationPolicy policy);
}
