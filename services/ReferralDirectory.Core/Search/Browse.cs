using ReferralDirectory.Geo;
using ReferralDirectory.Model;

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
    public BrowsePosition? After { get; init; }
    /// <summary>Distances to confidential locations from their true points (caseworkers only).</summary>
    public bool Exact { get; init; }
}

/// <summary>A position in a browse ordering: by distance (near a point) or by folded name; ties by id.</summary>
public sealed record BrowsePosition(double? DistanceKey, string? SortName, string Id);

public sealed record BrowseItem(IndexedListing Listing, double? DistanceKm, int? LocationIndex, BrowsePosition Position);

public sealed record BrowsePage(IReadOnlyList<BrowseItem> Items, int Total, BrowsePosition? Next);

public static class BrowseExtensions
{
    public static BrowsePage Browse(this DirectorySnapshot snapshot, BrowseQuery q, DateTimeOffset now)
    {
        var tokens = string.IsNullOrWhiteSpace(q.Text) ? null : IndexedListing.Tokenize(q.Text);
        var countyState = q.County is null ? null : UsStates.StateOfCounty(q.County);
        double qx = 0, qy = 0, qz = 0, radius2 = 0;
        if (q.Near is { } near)
        {
            (qx, qy, qz) = GeoMath.ToUnitVector(near.Latitude, near.Longitude);
            radius2 = GeoMath.ChordSquaredFromKm(q.RadiusKm);
        }
        var matches = new List<BrowseItem>();
        foreach (var l in snapshot.Matching(q.Filter, now))
        {
            if (tokens is { Length: > 0 } && !l.MatchesText(tokens)) continue;
            if (q.State is { } st && !InState(l, st, q.IncludeNationwide)) continue;
            if (q.County is { } c && !InCounty(l, c, countyState, q.IncludeNationwide)) continue;
            double? key = null; int? loc = null;
            if (q.Near is not null)
            {
                var (best, bestLoc) = l.NearestTo(qx, qy, qz, q.Exact);
                if (bestLoc < 0 || best > radius2) continue;
                key = best; loc = bestLoc;
            }
            var pos = new BrowsePosition(key, key is null ? l.SortName : null, l.Id);
            matches.Add(new BrowseItem(l, key is { } k ? GeoMath.KmFromChordSquared(k) : null, loc, pos));
        }
        matches.Sort((a, b) => Compare(a.Position, b.Position));
        var start = 0;
        if (q.After is { } after)
        {
            // First item strictly after the cursor position (binary search: the order is total).
            int lo = 0, hi = matches.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (Compare(matches[mid].Position, after) <= 0) lo = mid + 1; else hi = mid;
            }
            start = lo;
        }
        var page = matches.Skip(start).Take(q.Limit).ToArray();
        var next = start + page.Length < matches.Count && page.Length > 0 ? page[^1].Position : null;
        return new BrowsePage(page, matches.Count, next);
    }

    private static int Compare(BrowsePosition a, BrowsePosition b)
    {
        int c;
        if (a.DistanceKey is { } da && b.DistanceKey is { } db) c = da.CompareTo(db);
        else
        {
            c = string.Compare(a.SortName, b.SortName, StringComparison.OrdinalIgnoreCase);
            if (c == 0) c = string.CompareOrdinal(a.SortName, b.SortName);
        }
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }

    private static bool InState(IndexedListing l, string state, bool includeNationwide)
    {
        if (l.LocationStates.Contains(state, StringComparer.Ordinal)) return true;
        foreach (var a in l.Listing.ServiceAreas)
        {
            if (a.Type == ServiceAreaTypes.State && string.Equals(a.Code, state, StringComparison.OrdinalIgnoreCase)) return true;
            if (a.Type == ServiceAreaTypes.County && a.Code is { } c && string.Equals(UsStates.StateOfCounty(c), state, StringComparison.OrdinalIgnoreCase)) return true;
            if (a.Type == ServiceAreaTypes.Nationwide && includeNationwide) return true;
        }
        return false;
    }

    private static bool InCounty(IndexedListing l, string county, string? countyState, bool includeNationwide) =>
        l.LocationCounties.Contains(county, StringComparer.Ordinal)
        || l.AreaScope(countyState is null ? [] : [countyState], [county]) is { } scope && (scope != CoverageScope.Nationwide || includeNationwide);
}
