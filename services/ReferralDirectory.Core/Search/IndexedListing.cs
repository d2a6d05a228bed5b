using System.Globalization;
using System.Text;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;
using ReferralDirectory.Safety;

namespace ReferralDirectory.Search;

/// <summary>
/// The compact in-memory form of a listing: what searches filter, rank and page by, and the pre-encoded fragments
/// answers are written from (<see cref="Payload"/>). The full listing is not kept: it lives in the store, which
/// answers for one listing's details.
/// </summary>
public sealed class IndexedListing
{
    internal const int TraffickingShift = 8;
    internal const uint Flag24x7 = 1u << 16;
    internal const uint FlagFree = 1u << 17;
    internal const uint FlagAccepting = 1u << 18;

    public string Id { get; }
    public string Name { get; }
    public string Kind { get; }
    internal ulong Services { get; }
    internal uint Attributes { get; }
    internal uint Populations { get; }
    internal ulong LanguageMask { get; }
    public bool Is24x7 { get; }
    public bool IsDemo { get; }
    public DateOnly? LastVerified { get; }
    /// <summary>How many services the listing offers (HSDS paging counts services).</summary>
    public int ServiceCount { get; }
    /// <summary>The listing's own ids of its services, in order (HSDS ids derive from them).</summary>
    public IReadOnlyList<string> ServiceIds => _serviceIds;
    private readonly ServiceIdList _serviceIds;
    /// <summary>Each service's taxonomy codes as a bit mask (<see cref="Taxonomy.Mask"/>), in order.</summary>
    public IReadOnlyList<ulong> ServiceMasks { get; }
    /// <summary>Whether the listing's service number <paramref name="index"/> has the taxonomy code <paramref name="code"/>.</summary>
    public bool ServiceHas(int index, string code) => Taxonomy.IsKnown(code) && (ServiceMasks[index] & Taxonomy.Bit(code)) != 0;
    /// <summary>Populations and trafficking types served, as codes (HSDS organization attributes).</summary>
    public bool Serves(string populationOrTraffickingType) =>
        Model.Populations.IsKnown(populationOrTraffickingType) ? (Populations & Model.Populations.Mask([populationOrTraffickingType])) != 0
        : Model.TraffickingTypes.IsKnown(populationOrTraffickingType) && (Attributes >> TraffickingShift & Model.TraffickingTypes.Mask([populationOrTraffickingType])) != 0;
    /// <summary>The name, for sorting (case-insensitive, then ordinal, then id).</summary>
    public string SortName => Name;
    /// <summary>The listing's distinct folded words as UTF-8, each preceded by a space (" gateway survivor services ..."):
    /// a word-prefix search is a substring search for " " + the query word.</summary>
    private readonly byte[] _words;
    /// <summary>States and counties where the listing has a location (for a confidential one: its county).</summary>
    public IReadOnlyList<string> LocationStates { get; }
    public IReadOnlyList<string> LocationCounties { get; }
    /// <summary>Public search points: a public location's own point, or the ranking point of a confidential
    /// location's county (<see cref="ConfidentialLocationPolicy.RankingPoint"/>). A confidential location whose
    /// county is unknown has none: public searches cannot rank it by distance.</summary>
    internal IndexedPoint[] Points { get; }
    /// <summary>The true points of confidential locations, for caseworkers' searches only (null when none).</summary>
    internal IndexedPoint[]? TruePoints { get; }
    /// <summary>True when any location is confidential.</summary>
    public bool HasConfidential { get; }
    /// <summary>The number of locations (the index of a location is its place in the listing's list).</summary>
    public int LocationCount { get; }
    internal AreaRef[] Areas { get; }
    /// <summary>Parsed polygon service areas, ready for point-in-polygon tests.</summary>
    internal IPointOnGeometryLocator[] AreaPolygons { get; }
    internal Envelope[] AreaEnvelopes { get; }
    private readonly Geometry[] _areaGeometries;
    internal OpenHours? Hours { get; }
    /// <summary>For a hotline or tipline: the digits of its first number (the same line listed twice is shown once).</summary>
    internal string? HotlineNumber { get; }
    private readonly string[] _languages;
    private readonly bool _interpretation;
    private readonly ulong _confidentialLocations; // bit i: location i is confidential (listings have at most 50)

    private static long s_stamps;

    /// <summary>A number unique to this indexed version of the listing (a write indexes a new one): answers made from
    /// it can be kept until it is replaced.</summary>
    public long Stamp { get; } = Interlocked.Increment(ref s_stamps);

    /// <summary>The answer fragments (null when the index has no encoder, as in unit tests of the index).</summary>
    public ListingPayload? Payload { get; }

    internal IndexedListing(Listing l, ConfidentialLocationPolicy policy, IListingEncoder? encoder)
    {
        Id = l.Id;
        Name = l.Name;
        Kind = ListingKinds.All[ListingKinds.Ordinal(l.Kind)].Code;
        Services = Taxonomy.Mask(l.Services.SelectMany(s => s.TaxonomyCodes));
        var attr = 1u << ListingKinds.Ordinal(l.Kind);
        attr |= Model.TraffickingTypes.Mask(l.TraffickingTypes) << TraffickingShift;
        Is24x7 = l.Is24x7();
        if (Is24x7) attr |= Flag24x7;
        if (l.FreeOfCharge) attr |= FlagFree;
        if (l.AcceptingReferrals) attr |= FlagAccepting;
        Attributes = attr;
        Populations = Model.Populations.Mask(l.Populations);
        _languages = Pool.Codes([.. l.Languages.Concat(l.Phones.SelectMany(p => p.Languages)).Select(LanguageBits.Normalize).Distinct(StringComparer.Ordinal)]);
        _interpretation = l.InterpretationAvailable;
        LanguageMask = LanguageBits.MaskOf(_languages, l.InterpretationAvailable);
        IsDemo = l.IsDemo;
        LastVerified = l.LastVerified;
        ServiceCount = l.Services.Count;
        _serviceIds = ServiceIdList.Of(l.Id, l.Services);
        ServiceMasks = l.Services.Count == 0 ? [] : [.. l.Services.Select(s => Taxonomy.Mask(s.TaxonomyCodes))];
        Hours = OpenHours.Of(l);
        if (Kind == ListingKinds.Hotline && l.Phones.Count > 0)
        {
            var digits = new string([.. l.Phones[0].Number.Where(c => char.IsAsciiDigit(c) || c == '*')]);
            HotlineNumber = digits.Length == 11 && digits[0] == '1' ? digits[1..] : digits;
        }
        _words = System.Text.Encoding.UTF8.GetBytes(" " + string.Join(' ', Tokenize(string.Join(' ', new[] { l.Name, l.AlternateName ?? "", l.Description }
            .Concat(l.Services.Select(s => s.Name + " " + s.Description))))));

        var states = new List<string>();
        var counties = new List<string>();
        var points = new List<IndexedPoint>(l.Locations.Count);
        List<IndexedPoint>? truePoints = null;
        var publicLocations = new PublicLocation[l.Locations.Count];
        for (var i = 0; i < l.Locations.Count; i++)
        {
            var loc = l.Locations[i];
            var county = policy.County(loc);
            publicLocations[i] = policy.View(l, i);
            if (county is not null) { states.Add(county.State); counties.Add(county.Fips); }
            else if (loc.Address?.State is { Length: 2 } st) states.Add(st.ToUpperInvariant());
            if (loc.Confidential)
            {
                if (i < 64) _confidentialLocations |= 1UL << i;
                if (county is not null && policy.RankingPoint(county.Fips) is { } rp) points.Add(IndexedPoint.At(rp.Latitude, rp.Longitude, i, confidential: true, county.Fips));
                if (loc.Latitude is { } tl && loc.Longitude is { } tn) (truePoints ??= []).Add(IndexedPoint.At(tl, tn, i, confidential: true));
            }
            else if (loc.Latitude is { } lat && loc.Longitude is { } lon)
            {
                points.Add(IndexedPoint.At(lat, lon, i, confidential: false));
            }
        }
        Points = [.. points];
        TruePoints = truePoints?.ToArray();
        HasConfidential = l.Locations.Any(x => x.Confidential);
        LocationCount = l.Locations.Count;
        LocationStates = Pool.Codes(states);
        LocationCounties = Pool.Codes(counties);

        var areas = new List<AreaRef>(l.ServiceAreas.Count);
        var polys = new List<Geometry>();
        foreach (var a in l.ServiceAreas)
        {
            switch (a.Type)
            {
                case ServiceAreaTypes.Nationwide: areas.Add(new AreaRef(CoverageScope.Nationwide, null)); break;
                case ServiceAreaTypes.State when a.Code is { } s: areas.Add(new AreaRef(CoverageScope.State, Pool.Token(s.ToUpperInvariant()))); break;
                case ServiceAreaTypes.County when a.Code is { } c: areas.Add(new AreaRef(CoverageScope.County, Pool.Token(c))); break;
                case ServiceAreaTypes.Polygon when a.GeoJson is { } gj && GeoJsonGeometry.Parse(gj).Geometry is { } g: polys.Add(g); break;
            }
        }
        Areas = areas.Count == 0 ? [] : [.. areas];
        _areaGeometries = polys.Count == 0 ? [] : [.. polys];
        AreaPolygons = polys.Count == 0 ? [] : [.. polys.Select(g => (IPointOnGeometryLocator)new IndexedPointInAreaLocator(g))];
        AreaEnvelopes = polys.Count == 0 ? [] : [.. polys.Select(g => g.EnvelopeInternal)];
        Payload = encoder?.Encode(l, publicLocations, policy);
    }

    // ------------------------------------------------------------------ checkpoint form (see IndexCheckpoint)

    /// <summary>Writes every field, so <see cref="ReadFrom"/> makes the same indexed listing without the full listing.</summary>
    internal void WriteTo(BinaryWriter w)
    {
        w.Write(Id); w.Write(Name); w.Write((byte)ListingKinds.Ordinal(Kind));
        w.Write(Services); w.Write(Attributes); w.Write(Populations); w.Write(LanguageMask);
        w.Write(Is24x7); w.Write(IsDemo); w.Write(LastVerified?.DayNumber ?? -1);
        _serviceIds.WriteTo(w);
        w.Write(ServiceMasks.Count); foreach (var m in ServiceMasks) w.Write(m);
        w.Write(_words.Length); w.Write(_words);
        WriteStrings(w, LocationStates); WriteStrings(w, LocationCounties);
        WritePoints(w, Points); WritePoints(w, TruePoints);
        w.Write(HasConfidential); w.Write(LocationCount);
        w.Write(Areas.Length); foreach (var a in Areas) { w.Write((byte)a.Scope); w.Write(a.Code ?? ""); }
        w.Write(_areaGeometries.Length);
        foreach (var g in _areaGeometries) { var wkb = new NetTopologySuite.IO.WKBWriter().Write(g); w.Write(wkb.Length); w.Write(wkb); }
        OpenHours.WriteTo(w, Hours);
        w.Write(HotlineNumber ?? ""); w.Write(HotlineNumber is not null);
        WriteStrings(w, _languages); w.Write(_interpretation); w.Write(_confidentialLocations);
        w.Write(Payload is not null);
        Payload?.WriteTo(w);
    }

    internal static IndexedListing ReadFrom(BinaryReader r) => new(r);

    private IndexedListing(BinaryReader r)
    {
        Id = r.ReadString(); Name = r.ReadString(); Kind = ListingKinds.All[r.ReadByte()].Code;
        Services = r.ReadUInt64(); Attributes = r.ReadUInt32(); Populations = r.ReadUInt32(); LanguageMask = r.ReadUInt64();
        Is24x7 = r.ReadBoolean(); IsDemo = r.ReadBoolean(); var day = r.ReadInt32(); LastVerified = day < 0 ? null : DateOnly.FromDayNumber(day);
        _serviceIds = ServiceIdList.ReadFrom(r, Id);
        ServiceCount = _serviceIds.Count;
        var masks = new ulong[r.ReadInt32()]; for (var i = 0; i < masks.Length; i++) masks[i] = r.ReadUInt64(); ServiceMasks = masks;
        _words = r.ReadBytes(r.ReadInt32());
        LocationStates = ReadStrings(r); LocationCounties = ReadStrings(r);
        Points = ReadPoints(r) ?? []; TruePoints = ReadPoints(r);
        HasConfidential = r.ReadBoolean(); LocationCount = r.ReadInt32();
        var areas = new AreaRef[r.ReadInt32()];
        for (var i = 0; i < areas.Length; i++) { var scope = (CoverageScope)r.ReadByte(); var code = r.ReadString(); areas[i] = new AreaRef(scope, code.Length == 0 ? null : Pool.Token(code)); }
        Areas = areas.Length == 0 ? [] : areas;
        var geometries = new Geometry[r.ReadInt32()];
        for (var i = 0; i < geometries.Length; i++) geometries[i] = new NetTopologySuite.IO.WKBReader().Read(r.ReadBytes(r.ReadInt32()));
        _areaGeometries = geometries.Length == 0 ? [] : geometries;
        AreaPolygons = geometries.Length == 0 ? [] : [.. geometries.Select(g => (IPointOnGeometryLocator)new IndexedPointInAreaLocator(g))];
        AreaEnvelopes = geometries.Length == 0 ? [] : [.. geometries.Select(g => g.EnvelopeInternal)];
        Hours = OpenHours.ReadFrom(r);
        var hotline = r.ReadString(); HotlineNumber = r.ReadBoolean() ? hotline : null;
        _languages = ReadStrings(r); _interpretation = r.ReadBoolean(); _confidentialLocations = r.ReadUInt64();
        Payload = r.ReadBoolean() ? ListingPayload.ReadFrom(r) : null;
    }

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> list) { w.Write(list.Count); foreach (var x in list) w.Write(x); }

    private static string[] ReadStrings(BinaryReader r)
    {
        var n = r.ReadInt32();
        if (n == 0) return [];
        var list = new List<string>(n);
        for (var i = 0; i < n; i++) list.Add(r.ReadString());
        return Pool.Codes(list, distinct: false);
    }

    private static void WritePoints(BinaryWriter w, IndexedPoint[]? points)
    {
        w.Write(points?.Length ?? -1);
        foreach (var p in points ?? [])
        {
            w.Write(p.Latitude); w.Write(p.Longitude); w.Write(p.LocationIndex); w.Write(p.Confidential); w.Write(p.CountyFips ?? "");
        }
    }

    private static IndexedPoint[]? ReadPoints(BinaryReader r)
    {
        var n = r.ReadInt32();
        if (n < 0) return null;
        var points = new IndexedPoint[n];
        for (var i = 0; i < n; i++)
        {
            var (lat, lon, loc, conf, fips) = (r.ReadDouble(), r.ReadDouble(), r.ReadInt32(), r.ReadBoolean(), r.ReadString());
            points[i] = IndexedPoint.At(lat, lon, loc, conf, fips.Length == 0 ? null : Pool.Token(fips));
        }
        return points;
    }

    /// <summary>This listing's nearest point to a query unit vector: (squared chord, location index), or
    /// (+∞, -1) without a point. <paramref name="truePoints"/>: confidential locations by their real point
    /// (caseworkers), not by their county's point.</summary>
    internal (double Key, int Location) NearestTo(double qx, double qy, double qz, bool truePoints)
    {
        var best = double.PositiveInfinity; var bestLoc = -1;
        foreach (var p in Points)
        {
            if (truePoints && p.Confidential) continue;
            var d = p.ChordSquared(qx, qy, qz);
            if (d < best || (d == best && p.LocationIndex < bestLoc)) { best = d; bestLoc = p.LocationIndex; }
        }
        if (truePoints && TruePoints is { } tps)
        {
            foreach (var p in tps)
            {
                var d = p.ChordSquared(qx, qy, qz);
                if (d < best || (d == best && p.LocationIndex < bestLoc)) { best = d; bestLoc = p.LocationIndex; }
            }
        }
        return (best, bestLoc);
    }

    /// <summary>Where a map may draw location <paramref name="index"/> for the public: a public location's point, or for a
    /// confidential one its county (the map shades the county; the county's ranking point is not a place to pin).</summary>
    public (double Latitude, double Longitude, bool Confidential, string? CountyFips)? MapPlace(int index)
    {
        foreach (var p in Points)
            if (p.LocationIndex == index) return p.Confidential ? (0, 0, true, p.CountyFips) : (p.Latitude, p.Longitude, false, null);
        return null;
    }

    /// <summary>The location a result without a distance shows: the first public location with a point, else the first.</summary>
    public int? DefaultLocation()
    {
        foreach (var p in Points) if (!p.Confidential) return p.LocationIndex;
        return LocationCount > 0 ? 0 : null;
    }

    /// <summary>Whether the listing names any service area (county, state, nationwide or drawn).</summary>
    public bool HasServiceArea => Areas.Length > 0 || AreaPolygons.Length > 0;

    /// <summary>The squared chord from a query unit vector to location <paramref name="index"/>'s public point, or (+∞, -1).</summary>
    public (double Key, int Location) DistanceTo(double qx, double qy, double qz, int index)
    {
        foreach (var p in Points) if (p.LocationIndex == index) return (p.ChordSquared(qx, qy, qz), index);
        return (double.PositiveInfinity, -1);
    }

    /// <summary>Whether location <paramref name="index"/> is confidential (its public view is its county only).</summary>
    public bool IsConfidentialLocation(int index) => index is >= 0 and < 64 ? (_confidentialLocations >> index & 1) != 0 : HasConfidential;

    /// <summary>The most specific of this listing's county, state and nationwide service areas that covers one of
    /// <paramref name="counties"/> or <paramref name="states"/> (upper-case codes), or null. Drawn areas are not
    /// considered here: they need a point.</summary>
    public CoverageScope? AreaScope(IReadOnlyList<string> states, IReadOnlyList<string> counties)
    {
        CoverageScope? best = null;
        foreach (var a in Areas)
        {
            var hit = a.Scope switch
            {
                CoverageScope.County => a.Code is { } c && Contains(counties, c),
                CoverageScope.State => a.Code is { } s && Contains(states, s),
                _ => a.Scope == CoverageScope.Nationwide,
            };
            if (hit && (best is null || a.Scope < best)) best = a.Scope;
        }
        return best;
    }

    /// <summary>Whether the listing serves the whole state (a state area), or any county in it.</summary>
    internal bool ServesInState(string state)
    {
        foreach (var a in Areas)
        {
            if (a.Scope == CoverageScope.State && a.Code == state) return true;
            if (a.Scope == CoverageScope.County && a.Code is { } c && UsStates.StateOfCounty(c) == state) return true;
        }
        return false;
    }

    internal bool HasArea(CoverageScope scope, string? code)
    {
        foreach (var a in Areas) if (a.Scope == scope && a.Code == code) return true;
        return false;
    }

    internal bool IsNationwide => HasArea(CoverageScope.Nationwide, null);

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (string.Equals(list[i], value, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Whether the office or a phone line is open at <paramref name="now"/> (false when no hours are known).</summary>
    public bool IsOpenAt(DateTimeOffset now) => Hours?.IsOpenAt(now) ?? false;

    /// <summary>Whether the listing gives any opening hours.</summary>
    public bool HasHours => Hours is not null;

    internal bool SpeaksAll(string[] languages) =>
        _interpretation || languages.All(x => Array.IndexOf(_languages, x) >= 0);

    /// <summary>Every word of the query is the start of some word of the listing (name, description, services).</summary>
    public bool MatchesText(TextQuery query)
    {
        foreach (var w in query.Words)
        {
            if (_words.AsSpan().IndexOf(w) < 0) return false;
        }
        return true;
    }

    /// <summary>Lower-case, accents removed.</summary>
    public static string Fold(string s)
    {
        if (System.Text.Ascii.IsValid(s)) return s.ToLowerInvariant();
        var d = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(d.Length);
        foreach (var ch in d)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }

    /// <summary>The distinct words of a text, folded (lower case, accents removed), shared with other listings' words.</summary>
    public static string[] Tokenize(string s)
    {
        var folded = Fold(s).AsSpan();
        var tokens = new List<string>(16);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var word = i < folded.Length && (char.IsAsciiLetterOrDigit(folded[i]) || (folded[i] > 127 && char.IsLetterOrDigit(folded[i])));
            if (word) { if (start < 0) start = i; continue; }
            if (start < 0) continue;
            var t = folded[start..i];
            start = -1;
            // The words end up in one UTF-8 blob per listing, so they are not pooled (most would be new anyway).
            var seen = false;
            foreach (var x in tokens) if (x.Length == t.Length && x.AsSpan().SequenceEqual(t)) { seen = true; break; }
            if (!seen) tokens.Add(t.ToString());
        }
        return [.. tokens];
    }
}

/// <summary>A text search: its folded words, as UTF-8 with a leading space (see <see cref="IndexedListing.MatchesText"/>).</summary>
public sealed class TextQuery
{
    private TextQuery(byte[][] words) => Words = words;
    internal byte[][] Words { get; }

    /// <summary>The query, or null when it has no words.</summary>
    public static TextQuery? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var tokens = IndexedListing.Tokenize(text);
        return tokens.Length == 0 ? null : new TextQuery([.. tokens.Select(t => System.Text.Encoding.UTF8.GetBytes(" " + t))]);
    }
}

/// <summary>A listing's service ids, compactly: they are usually the listing's id plus a short suffix ("-svc-1"), so
/// only the (shared) suffixes are kept.</summary>
internal sealed class ServiceIdList : IReadOnlyList<string>
{
    private readonly string _prefix;
    private readonly string[] _parts; // suffixes when _prefix is not empty, else the ids themselves

    private ServiceIdList(string prefix, string[] parts) { _prefix = prefix; _parts = parts; }

    public static ServiceIdList Of(string listingId, List<Service> services)
    {
        if (services.Count == 0) return new ServiceIdList("", []);
        var prefixed = services.All(s => s.Id.Length > listingId.Length && s.Id.StartsWith(listingId, StringComparison.Ordinal));
        return prefixed
            ? new ServiceIdList(listingId, Pool.Codes([.. services.Select(s => s.Id[listingId.Length..])], distinct: false))
            : new ServiceIdList("", [.. services.Select(s => s.Id)]);
    }

    public void WriteTo(BinaryWriter w)
    {
        w.Write(_prefix.Length > 0);
        w.Write(_parts.Length);
        foreach (var p in _parts) w.Write(p);
    }

    public static ServiceIdList ReadFrom(BinaryReader r, string listingId)
    {
        var prefixed = r.ReadBoolean();
        var parts = new List<string>(r.ReadInt32());
        for (var i = parts.Capacity; i > 0; i--) parts.Add(r.ReadString());
        return new ServiceIdList(prefixed ? listingId : "", prefixed ? Pool.Codes(parts, distinct: false) : [.. parts]);
    }

    public string this[int index] => _prefix.Length == 0 ? _parts[index] : _prefix + _parts[index];
    public int Count => _parts.Length;
    public IEnumerator<string> GetEnumerator() { for (var i = 0; i < _parts.Length; i++) yield return this[i]; }
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A county, state or nationwide service area, compactly (drawn areas are kept as parsed polygons).</summary>
internal readonly record struct AreaRef(CoverageScope Scope, string? Code);

/// <summary>
/// Shares identical small strings and code arrays between listings (words and code sets repeat a lot). Bounded:
/// past its size it stops adding (sharing is only an optimisation), so it cannot grow without end.
/// </summary>
internal static class Pool
{
    private const int MaxEntries = 500_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Tokens = new(StringComparer.Ordinal);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> Arrays = new(StringComparer.Ordinal);
    // ConcurrentDictionary.Count takes every lock: count additions instead.
    private static int s_tokens, s_arrays;

    /// <summary>The shared string for a word (made only when the word is new).</summary>
    public static string Token(ReadOnlySpan<char> t)
    {
        if (t.Length <= 24 && TokenLookup.TryGetValue(t, out var shared)) return shared;
        return Token(t.ToString());
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> TokenLookup =
        Tokens.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string Token(string t)
    {
        if (t.Length > 24) return t;
        if (Tokens.TryGetValue(t, out var shared)) return shared;
        if (Volatile.Read(ref s_tokens) >= MaxEntries) return t;
        if (Tokens.TryAdd(t, t)) { Interlocked.Increment(ref s_tokens); return t; }
        return Tokens.TryGetValue(t, out shared) ? shared : t;
    }

    public static string[] Codes(List<string> codes, bool distinct = true)
    {
        if (codes.Count == 0) return [];
        var arr = distinct ? codes.Distinct(StringComparer.Ordinal).ToArray() : [.. codes];
        if (arr.Length > 8) return arr;
        var key = arr.Length == 1 ? arr[0] : string.Join('\u001f', arr);
        if (Arrays.TryGetValue(key, out var shared)) return shared;
        for (var i = 0; i < arr.Length; i++) arr[i] = Token(arr[i]);
        if (Volatile.Read(ref s_arrays) >= MaxEntries) return arr;
        if (Arrays.TryAdd(key, arr)) { Interlocked.Increment(ref s_arrays); return arr; }
        return Arrays.TryGetValue(key, out shared) ? shared : arr;
    }
}

/// <summary>A search point with its unit vector, computed once.</summary>
internal readonly record struct IndexedPoint(double Latitude, double Longitude, double X, double Y, double Z, int LocationIndex, bool Confidential, string? CountyFips)
{
    public static IndexedPoint At(double latitude, double longitude, int locationIndex, bool confidential, string? countyFips = null)
    {
        var (x, y, z) = GeoMath.ToUnitVector(latitude, longitude);
        return new IndexedPoint(latitude, longitude, x, y, z, locationIndex, confidential, countyFips);
    }

    public double ChordSquared(double qx, double qy, double qz) => (X - qx) * (X - qx) + (Y - qy) * (Y - qy) + (Z - qz) * (Z - qz);
}
