using Microsoft.AspNetCore.Http.HttpResults;
using ReferralDirectory.Api.Contracts;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Endpoints;

/// <summary>Public resource search: nearest, who serves here, by service, and one listing by id.</summary>
public static class SearchEndpoints
{
    private static readonly SearchFilter HotlinesOnly = new() { Kinds = [ListingKinds.Hotline] };

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/resources").WithTags("Resources").AddEndpointFilter<QueryValidationFilter>()
            .AddEndpointFilter<Partners.PublicCacheFilter>().RequireRateLimiting(Partners.PublicAccess.Policy).RequireCors(Partners.PublicAccess.Policy);

        group.MapGet("/nearest", Nearest)
            .WithName("NearestResources")
            .AddEndpointFilter<GeoJsonNegotiation>().WithMetadata(new GeoJsonOutputMetadata())
            .WithSummary("The nearest listings to a point")
            .WithDescription("The k nearest listings to lat/lon by great-circle distance, in exact distance order (ties by id), with optional filters and radius. " +
                             "Also lists the listings whose service area covers the point (a statewide tipline, a county task force) and, always, the hotlines covering the point and the 911 notice. " +
                             "Distances to confidential locations are approximate (rounded up to 5 km bands, from a stand-in point) and their addresses are not shown.");

        group.MapGet("/serving", Serving)
            .WithName("ResourcesServingPlace")
            .AddEndpointFilter<GeoJsonNegotiation>().WithMetadata(new GeoJsonOutputMetadata())
            .WithSummary("Listings whose service area covers a point")
            .WithDescription("Who serves this place: listings whose service area (a county, a drawn area, a state, or the whole nation) covers lat/lon, most local first, even when their office is far away.");

        group.MapGet("/", Browse)
            .WithName("BrowseResources")
            .AddEndpointFilter<GeoJsonNegotiation>().WithMetadata(new GeoJsonOutputMetadata())
            .WithSummary("Listings offering services in a state, a county or near a point")
            .WithDescription("All listings matching the filters in a state or county (by name) or near a point (nearest first), with optional text search, in a stable order with cursor paging.");

        group.MapGet("/{id}", GetById)
            .WithName("GetResource")
            .WithSummary("One listing by id");

        return app;
    }

    /// <summary>What a search at a point starts from: one snapshot, the clock, the point's place, the listings serving it.</summary>
    private sealed record PointSearch(DirectorySnapshot Snap, DateTimeOffset Now, SearchPlace At, IReadOnlyList<CoverageHit> Covering,
        IReadOnlyDictionary<string, CoverageScope> ScopeById, bool Exact)
    {
        public static PointSearch Start(PointQuery point, FilterQuery filter, DirectoryIndex index, TimeProvider time, System.Security.Claims.ClaimsPrincipal user)
        {
            var snap = index.Current;
            var now = time.GetUtcNow();
            var at = snap.Place(point.Latitude, point.Longitude);
            var covering = snap.Covering(at, filter.Filter, now);
            return new(snap, now, at, covering, covering.ToDictionary(c => c.Listing.Id, c => c.Scope, StringComparer.Ordinal), Auth.AuthSetup.MaySeeConfidential(user));
        }

        public SearchResultDto[] Serving() => [.. Covering.Select(c => Result(c.Listing, null, null, ScopeById, Exact))];
    }

    private static NearestResponse Nearest(PointQuery point, NearestQuery nearest, FilterQuery filter, DirectoryIndex index, Gazetteer gazetteer, TimeProvider time, System.Security.Claims.ClaimsPrincipal user)
    {
        var s = PointSearch.Start(point, filter, index, time, user);
        var hits = s.Snap.Nearest(point.Latitude, point.Longitude, nearest.Limit, filter.Filter, s.Now, nearest.RadiusKm, s.Exact);
        var results = hits.Select(h => Result(h.Listing, h.DistanceKm, h.LocationIndex, s.ScopeById, s.Exact)).ToArray();
        return new NearestResponse(ResourceMapper.Point(point.Place, s.At, gazetteer), results, s.Serving(),
            Hotlines(s.Snap, s.At, s.Now), ResourceMapper.Emergency);
    }

    private static ServingResponse Serving(PointQuery point, FilterQuery filter, DirectoryIndex index, Gazetteer gazetteer, TimeProvider time, System.Security.Claims.ClaimsPrincipal user)
    {
        var s = PointSearch.Start(point, filter, index, time, user);
        return new ServingResponse(ResourceMapper.Point(point.Place, s.At, gazetteer), s.Serving(), Hotlines(s.Snap, s.At, s.Now), ResourceMapper.Emergency);
    }

    private static Results<Ok<ResourcePage>, ValidationProblem> Browse(BrowseQueryModel q, FilterQuery filter, HttpRequest request, DirectoryIndex index, Gazetteer gazetteer, TimeProvider time, System.Security.Claims.ClaimsPrincipal user)
    {
        var exact = Auth.AuthSetup.MaySeeConfidential(user);
        var fingerprint = BrowseCursor.Fingerprint(request);
        BrowsePosition? after = null;
        if (q.Cursor is { } c)
        {
            after = BrowseCursor.Decode(c, fingerprint, out var error);
            if (error is not null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = [error] });
        }
        var snap = index.Current;
        var now = time.GetUtcNow();
        var page = snap.Browse(new BrowseQuery
        {
            Filter = filter.Filter, State = q.State, County = q.County, Near = q.Near, RadiusKm = q.RadiusKm,
            Text = q.Text, IncludeNationwide = q.IncludeNationwide, Limit = q.Limit, After = after, Exact = exact,
        }, now);
        var noScopes = new Dictionary<string, CoverageScope>(StringComparer.Ordinal);
        var results = page.Items.Select(i => Result(i.Listing, i.DistanceKm, i.LocationIndex, noScopes, exact)).ToArray();
        IReadOnlyList<HotlineDto> hotlines;
        SearchPointDto? point = null;
        if (q.Near is { } near)
        {
            var at = snap.Place(near.Latitude, near.Longitude);
            point = ResourceMapper.Point(q.Place!, at, gazetteer);
            hotlines = Hotlines(snap, at, now);
        }
        else
        {
            hotlines = HotlinesForArea(snap, q.State ?? (q.County is { } county ? Geo.UsStates.StateOfCounty(county) : null), q.County, now);
        }
        var next = page.Next is { } n ? BrowseCursor.Encode(n, fingerprint) : null;
        return TypedResults.Ok(new ResourcePage(results, page.Total, next, point, hotlines, ResourceMapper.Emergency));
    }

    private static Results<Ok<ResourceDto>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>> GetById(string id, DirectoryIndex index, System.Security.Claims.ClaimsPrincipal user)
    {
        if (id.Length > 128 || index.Current.Get(id) is not { } l)
        {
            return TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 404, Title = "No such listing.",
                Detail = "There is no listing with that id. It may have been retired; search again to find current listings.",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            });
        }
        // Caseworkers (and editors, admins) see confidential locations exactly; the answer is then private.
        return TypedResults.Ok(l.Listing.ToDto(exact: Auth.AuthSetup.MaySeeConfidential(user)));
    }

    internal static SearchResultDto Result(IndexedListing l, double? km, int? locationIndex, IReadOnlyDictionary<string, CoverageScope> scopes, bool exact = false)
    {
        var confidential = !exact && locationIndex is { } li && l.Listing.Locations[li].Confidential;
        var serves = scopes.TryGetValue(l.Id, out var scope);
        return new SearchResultDto(
            l.Listing.ToDto(exact),
            km is { } d ? ResourceMapper.Distance(d, confidential) : null,
            locationIndex is { } i ? l.Listing.Locations[i].Id : null,
            serves,
            serves ? ResourceMapper.ScopeCode(scope) : null);
    }

    /// <summary>Hotlines covering a point: always part of a search answer.</summary>
    internal static IReadOnlyList<HotlineDto> Hotlines(DirectorySnapshot snap, SearchPlace at, DateTimeOffset now) =>
        HotlineList(snap.Covering(at, HotlinesOnly, now));

    /// <summary>Hotlines covering a state or county (or the nation when neither is given).</summary>
    internal static IReadOnlyList<HotlineDto> HotlinesForArea(DirectorySnapshot snap, string? state, string? county, DateTimeOffset now) =>
        HotlineList(snap.CoveringArea(state, county, HotlinesOnly, now));

    /// <summary>The national lines first, then the most local; within a scope by name (the order coverage gives).</summary>
    private static HotlineDto[] HotlineList(IReadOnlyList<CoverageHit> hits) =>
        [.. hits.OrderBy(h => h.Scope == CoverageScope.Nationwide ? 0 : 1 + (int)h.Scope).Select(ResourceMapper.ToHotline)];
}
