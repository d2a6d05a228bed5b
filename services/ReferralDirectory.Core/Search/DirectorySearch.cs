using ReferralDirectory.Safety;

namespace ReferralDirectory.Search;

/// <summary>One result: the listing, the location shown (the one the distance was measured to), the distance as the
/// caller may see it, and how the listing's service area covers the searched place (null when it does not).</summary>
public sealed record ResultItem(IndexedListing Listing, int? LocationIndex, double? DistanceKm, bool Approximate, CoverageScope? Coverage);

/// <summary>The listings serving the searched place: a page of them, how many in all, and where the next page starts.</summary>
public sealed record ServingPart(IReadOnlyList<ResultItem> Results, int Total, PagePosition? Next);

public sealed record NearestRequest(double Latitude, double Longitude, int Limit, SearchFilter Filter, double? RadiusKm, bool Exact, int ServingLimit);

public sealed record NearestAnswer(SearchPlace Place, IReadOnlyList<ResultItem> Results, ServingPart Serving, IReadOnlyList<CoverageHit> Hotlines, DateTimeOffset Now);

public sealed record ServingRequest(double Latitude, double Longitude, SearchFilter Filter, int Limit, PagePosition? After, bool Exact);

public sealed record ServingAnswer(SearchPlace Place, ServingPart Serving, IReadOnlyList<CoverageHit> Hotlines, DateTimeOffset Now);

public sealed record BrowseAnswer(SearchPlace? Place, IReadOnlyList<ResultItem> Results, int Total, PagePosition? Next, IReadOnlyList<CoverageHit> Hotlines, DateTimeOffset Now);

public sealed record HotlineAnswer(SearchPlace Place, IReadOnlyList<CoverageHit> Hotlines);

/// <summary>
/// The directory's searches, one method each: the place (which states and counties cover the point), then who
/// serves it, the nearest or the page asked for, then the hotlines for the place, all from one snapshot and one
/// clock reading. Distances follow <see cref="ConfidentialLocationPolicy"/>: for the public, a confidential location is
/// measured to its county's point, rounded up to a band, and marked approximate. Endpoints only bind and map.
/// </summary>
public sealed class DirectorySearch(DirectoryIndex index, TimeProvider time)
{
    public DirectoryIndex Index => index;

    public NearestAnswer Nearest(NearestRequest r, CancellationToken ct = default)
    {
        var snap = index.Current;
        var now = time.GetUtcNow();
        var place = snap.Place(r.Latitude, r.Longitude);
        ct.ThrowIfCancellationRequested();
        var hits = snap.Nearest(r.Latitude, r.Longitude, r.Limit, r.Filter, now, r.RadiusKm, r.Exact);
        var results = new ResultItem[hits.Count];
        for (var i = 0; i < hits.Count; i++) results[i] = Item(hits[i].Listing, hits[i].LocationIndex, hits[i].DistanceKm, r.Exact, place);
        var serving = Serving(snap.Covering(place, r.Filter, now, r.ServingLimit, null, ct));
        return new NearestAnswer(place, results, serving, snap.Hotlines(place), now);
    }

    public ServingAnswer Serving(ServingRequest r, CancellationToken ct = default)
    {
        var snap = index.Current;
        var now = time.GetUtcNow();
        var place = snap.Place(r.Latitude, r.Longitude);
        var serving = Serving(snap.Covering(place, r.Filter, now, r.Limit, r.After, ct));
        return new ServingAnswer(place, serving, snap.Hotlines(place), now);
    }

    public BrowseAnswer Browse(BrowseQuery q, CancellationToken ct = default)
    {
        var snap = index.Current;
        var now = time.GetUtcNow();
        var place = q.Near is { } near ? snap.Place(near.Latitude, near.Longitude) : null;
        var page = snap.Browse(q, now, ct);
        var results = page.Items.Select(i => i.DistanceKm is { } km && i.LocationIndex is { } loc
            ? Item(i.Listing, loc, km, q.Exact, place)
            : new ResultItem(i.Listing, null, null, false, null)).ToArray();
        var hotlines = place is not null ? snap.Hotlines(place)
            : snap.HotlinesForArea(q.State ?? (q.County is { } c ? Geo.UsStates.StateOfCounty(c) : null), q.County);
        return new BrowseAnswer(place, results, page.Total, page.Next, hotlines, now);
    }

    public HotlineAnswer Hotlines(double latitude, double longitude)
    {
        var snap = index.Current;
        var place = snap.Place(latitude, longitude);
        return new HotlineAnswer(place, snap.Hotlines(place));
    }

    private static ServingPart Serving(CoveragePage page) =>
        new([.. page.Items.Select(h => new ResultItem(h.Listing, null, null, false, h.Scope))], page.Total, page.Next);

    private static ResultItem Item(IndexedListing l, int location, double km, bool exact, SearchPlace? place)
    {
        var confidential = !exact && l.IsConfidentialLocation(location);
        return new ResultItem(l, location, confidential ? ConfidentialLocationPolicy.PublicDistanceKm(km) : km, confidential,
            place is null ? null : DirectorySnapshot.ScopeAt(l, place));
    }
}
