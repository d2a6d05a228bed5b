using System.Globalization;
using System.Text;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;

namespace ReferralDirectory.Search;

/// <summary>A listing with everything the index derives from it for fast filtering.</summary>
public sealed class IndexedListing
{
    internal const int TraffickingShift = 8;
    internal const uint Flag24x7 = 1u << 16;
    internal const uint FlagFree = 1u << 17;
    internal const uint FlagAccepting = 1u << 18;

    public Listing Listing { get; }
    public string Id => Listing.Id;
    internal ulong Services { get; }
    internal uint Attributes { get; }
    internal uint Populations { get; }
    internal ulong LanguageMask { get; }
    public bool Is24x7 { get; }
    /// <summary>The name, for sorting (ordinal, ignoring case).</summary>
    public string SortName => Listing.Name;
    internal string[] Tokens { get; }
    /// <summary>States and counties where the listing has a location.</summary>
    public IReadOnlyList<string> LocationStates { get; }
    public IReadOnlyList<string> LocationCounties { get; }
    /// <summary>Search points: the real point, or the stand-in of a confidential location.</summary>
    internal IndexedPoint[] Points { get; }
    /// <summary>True when any location is confidential.</summary>
    public bool HasConfidential { get; }
    /// <summary>Parsed polygon service areas, ready for point-in-polygon tests.</summary>
    internal NetTopologySuite.Algorithm.Locate.IPointOnGeometryLocator[] AreaPolygons { get; }
    internal NetTopologySuite.Geometries.Envelope[] AreaEnvelopes { get; }
    private readonly string[] _languages;

    internal IndexedListing(Listing l, ConfidentialPoints confidential, IBoundaryProvider? boundaries)
    {
        Listing = l;
        Services = Taxonomy.Mask(l.Services.SelectMany(s => s.TaxonomyCodes));
        var attr = 1u << ListingKinds.Ordinal(l.Kind);
        attr |= Model.TraffickingTypes.Mask(l.TraffickingTypes) << TraffickingShift;
        Is24x7 = l.Is24x7();
        if (Is24x7) attr |= Flag24x7;
        if (l.FreeOfCharge) attr |= FlagFree;
        if (l.AcceptingReferrals) attr |= FlagAccepting;
        Attributes = attr;
        Populations = Model.Populations.Mask(l.Populations);
        _languages = l.Languages.Concat(l.Phones.SelectMany(p => p.Languages)).Select(LanguageBits.Normalize).Distinct(StringComparer.Ordinal).ToArray();
        LanguageMask = LanguageBits.MaskOf(_languages, l.InterpretationAvailable);
        Tokens = Tokenize(string.Join(' ', new[] { l.Name, l.AlternateName ?? "", l.Description }
            .Concat(l.Services.Select(s => s.Name + " " + s.Description))));
        var states = new List<string>();
        var counties = new List<string>();
        var points = new IndexedPoint[l.Locations.Count];
        for (var i = 0; i < l.Locations.Count; i++)
        {
            var loc = l.Locations[i];
            var (lat, lon) = loc.Confidential
                ? confidential.StandIn(l.Id, loc.Id, loc.Latitude, loc.Longitude)
                : (loc.Latitude, loc.Longitude);
            var (x, y, z) = GeoMath.ToUnitVector(lat, lon);
            points[i] = new IndexedPoint(lat, lon, x, y, z, i, loc.Confidential);
            // The address says where a location is; the boundaries answer when it does not name its county.
            if (loc.Address is { CountyFips: { } fips } a)
            {
                states.Add(a.State.ToUpperInvariant());
                counties.Add(fips);
            }
            else if (boundaries is not null)
            {
                foreach (var s in boundaries.StateCodesCovering(loc.Latitude, loc.Longitude)) states.Add(s);
                foreach (var c in boundaries.CountyFipsCovering(loc.Latitude, loc.Longitude)) counties.Add(c);
                if (states.Count == 0 && loc.Address is { } a2) states.Add(a2.State.ToUpperInvariant());
            }
            else if (loc.Address is { } a3)
            {
                states.Add(a3.State.ToUpperInvariant());
            }
        }
        Points = points;
        HasConfidential = l.Locations.Any(x => x.Confidential);
        var polys = new List<NetTopologySuite.Geometries.Geometry>();
        foreach (var a in l.ServiceAreas)
        {
            if (a.Type == ServiceAreaTypes.Polygon && a.GeoJson is { } gj && GeoJsonGeometry.Parse(gj).Geometry is { } g) polys.Add(g);
        }
        AreaPolygons = polys.Select(g => (NetTopologySuite.Algorithm.Locate.IPointOnGeometryLocator)
            new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator(g)).ToArray();
        AreaEnvelopes = polys.Select(g => g.EnvelopeInternal).ToArray();
        LocationStates = Pool.Codes(states);
        LocationCounties = Pool.Codes(counties);
    }


    /// <summary>The point public distances to a location are measured from: the location itself, or the stand-in
    /// of a confidential location.</summary>
    public (double Latitude, double Longitude) PublicPoint(int locationIndex) => (Points[locationIndex].Latitude, Points[locationIndex].Longitude);

    /// <summary>This listing's nearest point to a query unit vector: (squared chord, location index), or
    /// (+∞, -1) without locations. <paramref name="truePoints"/>: confidential locations by their real point
    /// (caseworkers), not their stand-in.</summary>
    internal (double Key, int Location) NearestTo(double qx, double qy, double qz, bool truePoints)
    {
        var best = double.PositiveInfinity; var bestLoc = -1;
        foreach (var p in Points)
        {
            var (x, y, z) = truePoints && p.Confidential
                ? GeoMath.ToUnitVector(Listing.Locations[p.LocationIndex].Latitude, Listing.Locations[p.LocationIndex].Longitude)
                : (p.X, p.Y, p.Z);
            var d = (x - qx) * (x - qx) + (y - qy) * (y - qy) + (z - qz) * (z - qz);
            if (d < best) { best = d; bestLoc = p.LocationIndex; }
        }
        return (best, bestLoc);
    }

    /// <summary>The most specific of this listing's county, state and nationwide service areas that covers one of
    /// <paramref name="counties"/> or <paramref name="states"/> (upper-case codes), or null. Drawn areas are not
    /// considered here: they need a point.</summary>
    public CoverageScope? AreaScope(IReadOnlyList<string> states, IReadOnlyList<string> counties)
    {
        CoverageScope? best = null;
        foreach (var a in Listing.ServiceAreas)
        {
            CoverageScope? s = a.Type switch
            {
                ServiceAreaTypes.County when a.Code is { } c && counties.Contains(c, StringComparer.Ordinal) => CoverageScope.County,
                ServiceAreaTypes.State when a.Code is { } st && states.Contains(st.ToUpperInvariant(), StringComparer.Ordinal) => CoverageScope.State,
                ServiceAreaTypes.Nationwide => CoverageScope.Nationwide,
                _ => null,
            };
            if (s is { } v && (best is null || v < best)) best = v;
        }
        return best;
    }

    internal bool SpeaksAll(string[] languages) =>
        Listing.InterpretationAvailable || languages.All(x => Array.IndexOf(_languages, x) >= 0);

    /// <summary>All query tokens prefix-match some token of the listing.</summary>
    public bool MatchesText(string[] queryTokens)
    {
        foreach (var q in queryTokens)
        {
            var found = false;
            foreach (var t in Tokens)
            {
                if (t.StartsWith(q, StringComparison.Ordinal)) { found = true; break; }
            }
            if (!found) return false;
        }
        return true;
    }

    /// <summary>Lower-case, accents removed.</summary>
    public static string Fold(string s)
    {
        var ascii = true;
        foreach (var ch in s) { if (ch > 127) { ascii = false; break; } }
        if (ascii) return s.ToLowerInvariant();
        var d = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(d.Length);
        foreach (var ch in d)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }

    public static string[] Tokenize(string s)
    {
        var folded = Fold(s);
        var tokens = new List<string>();
        var sb = new StringBuilder();
        foreach (var ch in folded)
        {
            if (char.IsLetterOrDigit(ch)) sb.Append(ch);
            else if (sb.Length > 0) { tokens.Add(sb.ToString()); sb.Clear(); }
        }
        if (sb.Length > 0) tokens.Add(sb.ToString());
        return tokens.Distinct(StringComparer.Ordinal).Select(Pool.Token).ToArray();
    }
}

/// <summary>Shares identical small strings and code arrays between listings (words repeat a lot).</summary>
internal static class Pool
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Tokens = new(StringComparer.Ordinal);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> Singles = new(StringComparer.Ordinal);

    public static string Token(string t) => t.Length > 24 ? t : Tokens.GetOrAdd(t, t);

    public static string[] Codes(List<string> codes)
    {
        if (codes.Count == 0) return [];
        if (codes.Count == 1 || codes.TrueForAll(c => c == codes[0])) return Singles.GetOrAdd(codes[0], static c => [c]);
        return codes.Distinct(StringComparer.Ordinal).ToArray();
    }
}

/// <summary>A search point (the stand-in for a confidential location) with its unit vector, computed once.</summary>
internal readonly record struct IndexedPoint(double Latitude, double Longitude, double X, double Y, double Z, int LocationIndex, bool Confidential);
