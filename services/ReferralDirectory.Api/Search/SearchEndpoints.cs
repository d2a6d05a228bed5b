using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Contracts;
using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Api.Partners;
using ReferralDirectory.Listings;
using ReferralDirectory.Safety;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Search;

/// <summary>Public resource search: nearest, who serves here, by service, one listing by id, and hotlines. Endpoints
/// bind, call the one Core method for the search (<see cref="DirectorySearch"/>), and write the answer.</summary>
public static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/resources").WithTags("Resources").PublicReads();

        group.MapMethods("/nearest", PublicReadConventions.GetAndHead, Nearest)
            .WithName("NearestResources")
            .WithMetadata(new GeoJsonOutputMetadata()).Produces<NearestResponse>()
            .WithSummary("The nearest listings to a point")
            .WithDescription("The k nearest listings to a point by great-circle distance, in exact distance order (ties by id), as compact result cards, " +
                             "with optional filters and radius. Also the first few listings whose service area covers the point (most local first; page the rest on " +
                             "/v1/resources/serving) and, always, the hotlines covering the point and the 911 notice. A confidential location shows only its county " +
                             "and state; its distance is to the county, rounded up to 5 km, and marked approximate.");

        group.MapMethods("/serving", PublicReadConventions.GetAndHead, Serving)
            .WithName("ResourcesServingPlace")
            .WithMetadata(new GeoJsonOutputMetadata()).Produces<ServingResponse>()
            .WithSummary("Listings whose service area covers a point, paged")
            .WithDescription("Who serves this place: listings whose service area (a county, a drawn area, a state, or the whole nation) covers the point, most local first, " +
                             "then by name, even when their office is far away. Paged with cursors.");

        group.MapMethods("/", PublicReadConventions.GetAndHead, Browse)
            .WithName("BrowseResources")
            .WithMetadata(new GeoJsonOutputMetadata()).Produces<ResourcePage>()
            .WithSummary("Listings offering services in a state, a county or near a point, paged")
            .WithDescription("All listings matching the filters in a state or county (by name) or near a point (nearest first), with optional text search, in a stable order with cursor paging.");

        group.MapMethods("/{id}", PublicReadConventions.GetAndHead, GetById)
            .WithName("GetResource").Produces<ResourceDto>()
            .WithSummary("One listing by id, with every public detail");

        app.MapGroup("/v1/hotlines").WithTags("Hotlines").PublicReads()
            .MapMethods("/", PublicReadConventions.GetAndHead, Hotlines)
            .WithName("Hotlines").Produces<HotlinesResponse>()
            .WithSummary("Hotlines and tiplines covering a point")
            .WithDescription("The national 24/7 hotline first, then state and local hotlines and tiplines covering the point (at most two of each), and the 911 notice.");
        return app;
    }

    private static async Task<Results<PublicAnswer, ValidationProblem>> Nearest(HttpContext http, PointQuery point, NearestQuery nearest, FilterQuery filter,
        DirectorySearch search, SearchAnswers answers, ListingReader reader, PageCursors cursors, IOptions<AnswerOptions> options)
    {
        var exact = http.User.MaySeeConfidential();
        var geo = GeoJsonNegotiation.WantsGeoJson(http.Request);
        var key = Key(http, geo, exact, point.Place, search);
        if (PublicAnswer.Cached(http, key, Vary) is { } hit) return hit;
        using var budget = Budget.Start(http, options.Value);
        var answer = search.Nearest(new NearestRequest(point.Latitude, point.Longitude, nearest.Limit, filter.Filter, nearest.RadiusKm, exact, nearest.ServingLimit), budget.Token);
        var cursor = answer.Serving.Next is { } n ? cursors.Protect(n, ServingFingerprint(point.Place, filter), exact) : null;
        var next = cursor is null ? null : "/v1/resources/serving?" + CanonicalQuery(point.Place, filter.Filter) + "cursor=" + Uri.EscapeDataString(cursor);
        var full = nearest.Full ? await FullListings(reader, [.. answer.Results, .. answer.Serving.Results], exact, search.Index.Policy, budget.Token) : null;
        return geo ? Answer(w => answers.GeoNearest(w, answer, point.Place, exact, cursor), geo, exact, key)
            : Answer(w => answers.Nearest(w, answer, point.Place, exact, next, full), geo, exact, key);
    }

    private static async Task<Results<PublicAnswer, ValidationProblem>> Serving(HttpContext http, PointQuery point, ServingQuery serving, FilterQuery filter,
        DirectorySearch search, SearchAnswers answers, ListingReader reader, PageCursors cursors, IOptions<AnswerOptions> options)
    {
        var exact = http.User.MaySeeConfidential();
        var fingerprint = ServingFingerprint(point.Place, filter);
        PagePosition? after = null;
        if (serving.Cursor is { } c && Unprotect(cursors, c, fingerprint, exact, out after) is { } refused) return refused;
        var geo = GeoJsonNegotiation.WantsGeoJson(http.Request);
        var key = Key(http, geo, exact, point.Place, search);
        if (PublicAnswer.Cached(http, key, Vary) is { } hit) return hit;
        using var budget = Budget.Start(http, options.Value);
        var answer = search.Serving(new ServingRequest(point.Latitude, point.Longitude, filter.Filter, serving.Limit, after, exact), budget.Token);
        var cursor = answer.Serving.Next is { } n ? cursors.Protect(n, fingerprint, exact) : null;
        var full = serving.Full ? await FullListings(reader, answer.Serving.Results, exact, search.Index.Policy, budget.Token) : null;
        return geo ? Answer(w => answers.GeoServing(w, answer, point.Place, exact, cursor), geo, exact, key)
            : Answer(w => answers.Serving(w, answer, point.Place, exact, cursor, full), geo, exact, key);
    }

    private static async Task<Results<PublicAnswer, ValidationProblem>> Browse(HttpContext http, BrowseQueryModel q, FilterQuery filter,
        DirectorySearch search, SearchAnswers answers, ListingReader reader, PageCursors cursors, IOptions<AnswerOptions> options)
    {
        var exact = http.User.MaySeeConfidential();
        var fingerprint = PageCursors.Fingerprint(string.Join('|', "browse", q.State, q.County, q.Near is { } p ? $"{p.Latitude:R},{p.Longitude:R},{q.RadiusKm:R}" : "",
            q.Text, q.IncludeNationwide ? "n" : "", filter.Filter.Key));
        PagePosition? after = null;
        if (q.Cursor is { } c && Unprotect(cursors, c, fingerprint, exact, out after) is { } refused) return refused;
        var geo = GeoJsonNegotiation.WantsGeoJson(http.Request);
        var key = Key(http, geo, exact, q.Place, search);
        if (PublicAnswer.Cached(http, key, Vary) is { } hit) return hit;
        using var budget = Budget.Start(http, options.Value);
        var answer = search.Browse(new BrowseQuery
        {
            Filter = filter.Filter, State = q.State, County = q.County, Near = q.Near, RadiusKm = q.RadiusKm,
            Text = q.Text, IncludeNationwide = q.IncludeNationwide, Limit = q.Limit, After = after, Exact = exact,
        }, budget.Token);
        var cursor = answer.Next is { } n ? cursors.Protect(n, fingerprint, exact) : null;
        var full = q.Full ? await FullListings(reader, answer.Results, exact, search.Index.Policy, budget.Token) : null;
        return geo ? Answer(w => answers.GeoBrowse(w, answer, q.Place, exact, cursor), geo, exact, key)
            : Answer(w => answers.Browse(w, answer, q.Place, exact, cursor, full), geo, exact, key);
    }

    private static PublicAnswer Hotlines(HttpContext http, PointQuery point, DirectorySearch search, SearchAnswers answers)
    {
        var key = Key(http, geo: false, isPrivate: false, point.Place, search);
        if (PublicAnswer.Cached(http, key, Vary) is { } hit) return hit;
        var answer = search.Hotlines(point.Latitude, point.Longitude);
        return Answer(w => answers.HotlineList(w, answer, point.Place), geo: false, isPrivate: false, key);
    }

    private static async Task<Results<PublicAnswer, ProblemHttpResult>> GetById(HttpContext http, string id, DirectorySearch search, ListingReader reader,
        Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var indexed = id.Length <= 128 ? search.Index.Current.Get(id) : null;
        // Caseworkers (and editors, admins) see confidential locations exactly; the answer is then private.
        var exact = http.User.MaySeeConfidential();
        var key = indexed is null ? null : "resource|" + indexed.Id + "|" + indexed.Stamp.ToString(CultureInfo.InvariantCulture);
        if (!exact && PublicAnswer.Cached(http, key, "Authorization") is { } hit) return hit;
        if (indexed is null || await reader.GetAsync(indexed, http.RequestAborted) is not { } listing)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such listing.",
                detail: "There is no listing with that id. It may have been retired; search again to find current listings.");
        }
        var dto = listing.ToDto(search.Index.Policy, exact);
        if (exact) return PublicAnswer.Json(w => System.Text.Json.JsonSerializer.Serialize(w, dto, json.Value.SerializerOptions), isPrivate: true, vary: "Authorization");
        return PublicAnswer.Json(w => System.Text.Json.JsonSerializer.Serialize(w, dto, json.Value.SerializerOptions),
            cacheKey: key, vary: "Authorization");
    }

    /// <summary>The cache key of a search answer, when the request can repeat: not for a raw point (coordinates are rarely
    /// asked twice), never for a private answer. It holds the snapshot and the minute (open now changes with it).</summary>
    private static string? Key(HttpContext http, bool geo, bool isPrivate, ResolvedPlace? place, DirectorySearch search) =>
        isPrivate || place?.Source == PlaceSources.Coordinates ? null
            : PublicAnswer.CacheKey(http, geo ? GeoJsonNegotiation.MediaType : "application/json", search.Index.Current.Version, perMinute: true);

    private const string Vary = "Accept, Authorization";

    private static PublicAnswer Answer(Action<System.Text.Json.Utf8JsonWriter> write, bool geo, bool isPrivate, string? key) =>
        PublicAnswer.Json(write, geo ? GeoJsonNegotiation.MediaType : "application/json", isPrivate, key, vary: Vary);

    private static string ServingFingerprint(ResolvedPlace place, FilterQuery filter) =>
        PageCursors.Fingerprint(string.Join('|', "serving", place.Latitude.ToString("R", CultureInfo.InvariantCulture),
            place.Longitude.ToString("R", CultureInfo.InvariantCulture), filter.Filter.Key));

    private static ValidationProblem? Unprotect(PageCursors cursors, string cursor, string fingerprint, bool exact, out PagePosition? after)
    {
        after = cursors.Unprotect(cursor, fingerprint, exact, out var error);
        if (after is not null) return null;
        var message = error switch
        {
            CursorError.OtherSearch => "The cursor belongs to a different search; start again without it.",
            CursorError.OtherVisibility => "The cursor was given to a caller with a different view of the directory (signed in or not); start again without it.",
            _ => "The cursor is not valid; start again without it.",
        };
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = [message] }, title: "The search has invalid parameters.");
    }

    /// <summary>The place and filters of a search as a query string (ending with '&amp;'), from the resolved values, so
    /// the link is the same however the request spelled them (a ZIP+4, a town's spelling, repeated codes).</summary>
    private static string CanonicalQuery(ResolvedPlace place, SearchFilter f)
    {
        var sb = new StringBuilder();
        void Add(string name, string value) => sb.Append(name).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        switch (place.Source)
        {
            case PlaceSources.Zip: Add("zip", place.Zip!); break;
            case PlaceSources.Town: Add("near", place.Town!); break;
            default:
                Add("lat", place.Latitude.ToString("R", CultureInfo.InvariantCulture));
                Add("lon", place.Longitude.ToString("R", CultureInfo.InvariantCulture));
                break;
        }
        if (f.Services.Count > 0) Add("service", string.Join(',', f.Services));
        if (f.Kinds.Count > 0) Add("kind", string.Join(',', f.Kinds));
        if (f.Populations.Count > 0) Add("population", string.Join(',', f.Populations));
        if (f.TraffickingTypes.Count > 0) Add("traffickingType", string.Join(',', f.TraffickingTypes));
        if (f.Languages.Count > 0) Add("language", string.Join(',', f.Languages));
        if (f.OpenNow) Add("openNow", "true");
        if (f.Only24x7) Add("is24x7", "true");
        if (f.FreeOfCharge) Add("freeOfCharge", "true");
        if (f.AcceptingReferrals) Add("acceptingReferrals", "true");
        return sb.ToString();
    }

    private static async Task<SearchAnswers.FullListing> FullListings(ListingReader reader, IEnumerable<ResultItem> items, bool exact, ConfidentialLocationPolicy policy, CancellationToken ct)
    {
        var map = new Dictionary<string, ResourceDto>(StringComparer.Ordinal);
        foreach (var (indexed, listing) in await reader.GetManyAsync(items.Select(i => i.Listing).DistinctBy(l => l.Id), ct))
            map[indexed.Id] = listing.ToDto(policy, exact);
        return id => map.GetValueOrDefault(id);
    }
}

/// <summary>The server-side time budget of one search, linked to the client going away.</summary>
internal sealed class Budget : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private Budget(CancellationTokenSource cts) => _cts = cts;
    public CancellationToken Token => _cts.Token;

    public static Budget Start(HttpContext http, AnswerOptions options)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        cts.CancelAfter(options.TimeBudgetMilliseconds);
        return new Budget(cts);
    }

    public void Dispose() => _cts.Dispose();
}
