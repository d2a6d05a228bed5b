using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Api.Partners;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Geo;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Safety;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Hsds;

/// <summary>
/// Open Referral HSDS 3.0 read API under <c>/hsds</c>, following HSDS's API description (schema/openapi.json):
/// organizations, services, service_at_locations, taxonomies, taxonomy_terms, paged with HSDS's page shape. Pages are
/// cut from the index's name order (with the running count of services, so page N of services is found by a binary
/// search) and filled with the page's listings from the store; answers are kept for repeats per snapshot. The public
/// view: locations as <see cref="ConfidentialLocationPolicy"/> decides (see HsdsMapper).
/// </summary>
public static class HsdsEndpoints
{
    public const string Prefix = "/hsds";

    public static IEndpointRouteBuilder MapHsds(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).WithTags("Open Referral HSDS 3.0").PublicReads();
        var get = PublicReadConventions.GetAndHead;
        var modified = new HsdsModificationTimes(app.ServiceProvider.GetRequiredService<IDirectoryStore>(), app.ServiceProvider.GetRequiredService<TimeProvider>());

        g.MapMethods("/", get, (HttpRequest r) => TypedResults.Json(new HsdsApiInfo("3.0", "https://docs.openreferral.org/en/latest/hsds/",
                $"{r.Scheme}://{r.Host}{OpenApiSetup.DocumentPath}"), HsdsJson.Options))
            .WithName("HsdsApiInfo").WithSummary("HSDS API meta information (HSDS version and the OpenAPI document)").Produces<HsdsApiInfo>();

        g.MapMethods("/organizations", get, async Task<IResult> (HttpContext http, HsdsPaging paging, HsdsOrganizationQuery q, DirectoryIndex index, ListingReader reader) =>
            {
                var snap = index.Current;
                var listings = Filter(snap.HsdsListings().Listings, paging.Search, http.RequestAborted);
                if (paging.Ndjson)
                    return Stream(listings, async (batch, ct) => (await reader.GetManyAsync(batch, ct)).Select(x => (object)HsdsMapper.Organization(x.Listing, q.FullService || q.Full)));
                if (Cached(http, snap) is { } hit) return hit;
                var slice = Slice(listings, paging);
                var full = await reader.GetManyAsync(slice, http.RequestAborted);
                var page = Page(listings.Count, paging, [.. full.Select(x => HsdsMapper.Organization(x.Listing, q.FullService || q.Full))]);
                return Answer(http, page, snap);
            })
            .WithName("HsdsOrganizations").WithSummary("Organizations (listings), paged").Produces<HsdsPage<HsdsOrganization>>()
            .WithMetadata(new HsdsNdjsonOutput(typeof(HsdsOrganization)));

        g.MapMethods("/organizations/{id}", get, async Task<Results<PublicAnswer, ProblemHttpResult>> (HttpContext http, string id, HsdsOrganizationQuery q, DirectoryIndex index, ListingReader reader) =>
                index.Current.HsdsOrganization(id) is { } l && await reader.GetAsync(l, http.RequestAborted) is { } listing
                    ? Answer(http, HsdsMapper.Organization(listing, withServices: true), index.Current)
                    : NotFound("organization"))
            .WithName("HsdsOrganization").WithSummary("One organization with its services, locations and phones").Produces<HsdsOrganization>();

        g.MapMethods("/services", get, async Task<IResult> (HttpContext http, HsdsPaging paging, HsdsServiceQuery q, DirectoryIndex index, ListingReader reader) =>
            {
                var snap = index.Current;
                if (!paging.Ndjson && Cached(http, snap) is { } hit) return hit;
                var order = snap.HsdsListings();
                var times = q.ModifiedAfter is not null || q.Minimal ? await modified.CurrentAsync(http.RequestAborted) : null;
                IReadOnlyList<(IndexedListing Listing, int Service)> rows;
                int total;
                if (paging.Search is null && q.TaxonomyTermId is null && q.TaxonomyId is null && q.OrganizationId is null && q.ModifiedAfter is null)
                {
                    // No filter: the page is found from the running service count, without touching other listings.
                    total = order.ServiceTotal;
                    rows = paging.Ndjson ? [.. order.Services(0, total)] : [.. order.Services((paging.Page - 1) * paging.PerPage, paging.PerPage)];
                }
                else
                {
                    var all = new List<(IndexedListing, int)>();
                    foreach (var l in Filter(order.Listings, paging.Search, http.RequestAborted))
                    {
                        if (q.ModifiedAfter is { } after && !(times!.Of(l.Id) >= after)) continue;
                        for (var s = 0; s < l.ServiceCount; s++) if (q.Matches(l, s)) all.Add((l, s));
                    }
                    total = all.Count;
                    rows = paging.Ndjson ? all : Slice(all, paging);
                }
                async Task<IEnumerable<object>> Documents(IReadOnlyList<(IndexedListing Listing, int Service)> batch, CancellationToken ct)
                {
                    var full = await Full(reader, batch.Select(r => r.Listing), ct);
                    return batch.Where(r => full.ContainsKey(r.Listing.Id)).Select(r =>
                    {
                        var l = full[r.Listing.Id];
                        return (object)(q.Minimal ? HsdsMapper.MinimalService(l, l.Services[r.Service], times!.Of(l.Id)) : HsdsMapper.Service(l, l.Services[r.Service], nested: q.Full));
                    }).ToList();
                }
                if (paging.Ndjson) return Stream(rows, Documents);
                var items = (await Documents(rows, http.RequestAborted)).Cast<HsdsService>().ToList();
                return Answer(http, Page(total, paging, items), snap);
            })
            .WithName("HsdsServices").WithSummary("Services, paged").Produces<HsdsPage<HsdsService>>()
            .WithMetadata(new HsdsNdjsonOutput(typeof(HsdsService)));

        g.MapMethods("/services/{id}", get, async Task<Results<PublicAnswer, ProblemHttpResult>> (HttpContext http, string id, DirectoryIndex index, ListingReader reader) =>
                index.Current.HsdsService(id) is { } t && await reader.GetAsync(t.Listing, http.RequestAborted) is { } listing && t.Service < listing.Services.Count
                    ? Answer(http, HsdsMapper.Service(listing, listing.Services[t.Service], nested: true), index.Current)
                    : NotFound("service"))
            .WithName("HsdsService").WithSummary("One fully nested service").Produces<HsdsService>();

        g.MapMethods("/service_at_locations", get, (HttpContext http, HsdsPaging paging, HsdsServiceAtLocationQuery q, DirectoryIndex index, ListingReader reader, TimeProvider time) =>
                ServiceAtLocations(http, paging, q, index, reader, time, modified))
            .WithName("HsdsServiceAtLocations")
            .WithSummary("Services at locations, paged; by postcode (service area) and proximity (metres from the postcode's centre)")
            .Produces<HsdsPage<HsdsServiceAtLocation>>().WithMetadata(new HsdsNdjsonOutput(typeof(HsdsServiceAtLocation)));

        g.MapMethods("/service_at_locations/{id}", get, async Task<Results<PublicAnswer, ProblemHttpResult>> (HttpContext http, string id, DirectoryIndex index, ListingReader reader) =>
                index.Current.HsdsServiceAtLocation(id) is { } t && await reader.GetAsync(t.Listing, http.RequestAborted) is { } listing
                && t.Service < listing.Services.Count && t.Location < listing.Locations.Count
                    ? Answer(http, HsdsMapper.ServiceAtLocation(listing, listing.Services[t.Service], t.Location), index.Current)
                    : NotFound("service at location"))
            .WithName("HsdsServiceAtLocation").WithSummary("One service at a location, with the location and the service").Produces<HsdsServiceAtLocation>();

        g.MapMethods("/taxonomies/{id}", get, Results<JsonHttpResult<HsdsTaxonomy>, ProblemHttpResult> (string id) =>
                HsdsTaxonomies.All.Select(HsdsTaxonomies.Taxonomy).FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase)) is { } t
                    ? TypedResults.Json(t, HsdsJson.Options) : NotFound("taxonomy"))
            .WithName("HsdsTaxonomy").WithSummary("One taxonomy").Produces<HsdsTaxonomy>();

        g.MapMethods("/taxonomy_terms/{id}", get, Results<JsonHttpResult<HsdsTaxonomyTerm>, ProblemHttpResult> (string id) =>
                HsdsTaxonomies.AllTerms().FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase)) is { } t
                    ? TypedResults.Json(t, HsdsJson.Options) : NotFound("taxonomy term"))
            .WithName("HsdsTaxonomyTerm").WithSummary("One taxonomy term").Produces<HsdsTaxonomyTerm>();

        g.MapMethods("/taxonomies", get, IResult (HsdsPaging paging) =>
            {
                var items = HsdsTaxonomies.All.Select(HsdsTaxonomies.Taxonomy)
                    .Where(t => paging.Search is null || Contains(t.Name, paging.Search) || Contains(t.Description, paging.Search)).ToList();
                return paging.Ndjson ? Stream(items) : TypedResults.Json(Page(items.Count, paging, Slice(items, paging)), HsdsJson.Options);
            })
            .WithName("HsdsTaxonomies").WithSummary("The directory's vocabularies as HSDS taxonomies").Produces<HsdsPage<HsdsTaxonomy>>()
            .WithMetadata(new HsdsNdjsonOutput(typeof(HsdsTaxonomy)));

        g.MapMethods("/taxonomy_terms", get, IResult (HsdsPaging paging, HsdsTermQuery q) =>
            {
                var items = HsdsTaxonomies.AllTerms()
                    .Where(t => (q.TaxonomyId is null || t.TaxonomyId == q.TaxonomyId) && (q.ParentId is null || t.ParentId == q.ParentId))
                    .Where(t => paging.Search is null || Contains(t.Name, paging.Search) || Contains(t.Code ?? "", paging.Search) || Contains(t.Description, paging.Search)).ToList();
                return paging.Ndjson ? Stream(items) : TypedResults.Json(Page(items.Count, paging, Slice(items, paging)), HsdsJson.Options);
            })
            .WithName("HsdsTaxonomyTerms").WithSummary("Taxonomy terms: service codes, listing kinds, populations, trafficking types").Produces<HsdsPage<HsdsTaxonomyTerm>>()
            .WithMetadata(new HsdsNdjsonOutput(typeof(HsdsTaxonomyTerm)));

        return app;
    }

    /// <summary>format=ndjson: every row, one document a line.</summary>
    private static HsdsNdjson<T> Stream<T>(IReadOnlyList<T> rows, Func<IReadOnlyList<T>, CancellationToken, Task<IEnumerable<object>>> documents) => new(rows, documents);

    private static HsdsNdjson<T> Stream<T>(IReadOnlyList<T> items) where T : notnull =>
        new(items, (batch, _) => Task.FromResult<IEnumerable<object>>([.. batch.Cast<object>()]));

    private static bool Contains(string s, string q) => s.Contains(q, StringComparison.OrdinalIgnoreCase);

    private static ProblemHttpResult NotFound(string what) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}.",
        detail: $"There is no {what} with that id. Ids are the HSDS UUIDs of this API's answers.");

    private static IReadOnlyList<IndexedListing> Filter(IReadOnlyList<IndexedListing> listings, string? text, CancellationToken ct)
    {
        if (TextQuery.Parse(text) is not { } tokens) return listings;
        var result = new List<IndexedListing>();
        for (var i = 0; i < listings.Count; i++)
        {
            if ((i & 4095) == 0) ct.ThrowIfCancellationRequested();
            if (listings[i].MatchesText(tokens)) result.Add(listings[i]);
        }
        return result;
    }

    private static List<T> Slice<T>(IReadOnlyList<T> items, HsdsPaging paging)
    {
        var start = (long)(paging.Page - 1) * paging.PerPage;
        var list = new List<T>(Math.Min(paging.PerPage, Math.Max(0, items.Count - (int)Math.Min(start, items.Count))));
        for (var i = start; i < items.Count && list.Count < paging.PerPage; i++) list.Add(items[(int)i]);
        return list;
    }

    internal static HsdsPage<T> Page<T>(int total, HsdsPaging paging, List<T> contents)
    {
        var pages = total == 0 ? 0 : (total + paging.PerPage - 1) / paging.PerPage;
        return new HsdsPage<T>(total, pages, paging.Page, contents.Count, paging.Page == 1, paging.Page >= pages, contents.Count == 0, contents);
    }

    private static async Task<Dictionary<string, Listing>> Full(ListingReader reader, IEnumerable<IndexedListing> listings, CancellationToken ct)
    {
        var map = new Dictionary<string, Listing>(StringComparer.Ordinal);
        foreach (var (indexed, listing) in await reader.GetManyAsync(listings.DistinctBy(l => l.Id), ct)) map[indexed.Id] = listing;
        return map;
    }

    /// <summary>An HSDS answer (snake_case), kept for repeats of the same request on the same snapshot.</summary>
    private static PublicAnswer Answer<T>(HttpContext http, T value, DirectorySnapshot snap) =>
        PublicAnswer.Json(w => System.Text.Json.JsonSerializer.Serialize(w, value, HsdsJson.Options), cacheKey: Key(http, snap), vary: "Accept");

    private static string Key(HttpContext http, DirectorySnapshot snap) => PublicAnswer.CacheKey(http, "application/json", snap.Version, perMinute: false);

    /// <summary>The kept answer for this request on this snapshot, before any work.</summary>
    private static PublicAnswer? Cached(HttpContext http, DirectorySnapshot snap) => PublicAnswer.Cached(http, Key(http, snap), "Accept");

    private static async Task<IResult> ServiceAtLocations(HttpContext http, HsdsPaging paging, HsdsServiceAtLocationQuery q, DirectoryIndex index, ListingReader reader,
        TimeProvider time, HsdsModificationTimes modified)
    {
        var snap = index.Current;
        if (!paging.Ndjson && Cached(http, snap) is { } hit) return hit;
        var ct = http.RequestAborted;
        var times = q.ModifiedAfter is not null ? await modified.CurrentAsync(ct) : null;
        SearchPlace? zipPlace = null;
        HashSet<string>? covering = null;
        if (q.Postcode is { } zip && q.ProximityMetres is null)
        {
            var place = zipPlace = snap.Place(zip.Latitude, zip.Longitude);
            covering = [.. snap.Covering(place, SearchFilter.None, time.GetUtcNow(), int.MaxValue, null, ct).Items.Select(c => c.Listing.Id)];
        }
        var rows = new List<(IndexedListing Listing, int Service, int Location, double? Km)>();
        var (qx, qy, qz) = q.Postcode is { } pz ? GeoMath.ToUnitVector(pz.Latitude, pz.Longitude) : (0, 0, 0);
        var candidates = Filter(snap.HsdsListings().Listings, paging.Search, ct);
        // Postcode without proximity: by service area when the listing has one, else by its public locations' ZIP codes
        // (a confidential location has none). The ZIP codes come from the store, for the listings without a service area.
        Dictionary<string, Listing>? zipOwners = null;
        if (covering is not null)
            zipOwners = await Full(reader, candidates.Where(l => !l.HasServiceArea && l.LocationCount > 0), ct);
        foreach (var l in candidates)
        {
            if (q.ModifiedAfter is { } after && !(times!.Of(l.Id) >= after)) continue;
            for (var s = 0; s < l.ServiceCount; s++)
            {
                if (!q.Matches(l, s)) continue;
                for (var li = 0; li < l.LocationCount; li++)
                {
                    double? km = null;
                    if (q.Postcode is { } p)
                    {
                        if (q.ProximityMetres is { } metres)
                        {
                            // Distances to a confidential location are measured to its county's point and rounded up to a band.
                            var (key, loc) = l.DistanceTo(qx, qy, qz, li);
                            if (loc < 0) continue;
                            var d = GeoMath.KmFromChordSquared(key);
                            if (l.IsConfidentialLocation(li)) d = ConfidentialLocationPolicy.PublicDistanceKm(d);
                            if (d * 1000 > metres) continue;
                            km = d;
                        }
                        else if (l.HasServiceArea ? !covering!.Contains(l.Id) : !HasPostcode(zipOwners!.GetValueOrDefault(l.Id), li, p.Zip, zipPlace!))
                        {
                            continue;
                        }
                    }
                    rows.Add((l, s, li, km));
                }
            }
        }
        if (q.ProximityMetres is not null)
            rows = [.. rows.OrderBy(r => r.Km).ThenBy(r => HsdsIds.ServiceAtLocation(r.Listing.Id, r.Listing.ServiceIds[r.Service], r.Location), StringComparer.Ordinal)];
        async Task<IEnumerable<object>> Documents(IReadOnlyList<(IndexedListing Listing, int Service, int Location, double? Km)> batch, CancellationToken c)
        {
            var full = await Full(reader, batch.Select(r => r.Listing), c);
            return batch.Where(r => full.ContainsKey(r.Listing.Id))
                .Select(r => (object)HsdsMapper.ServiceAtLocation(full[r.Listing.Id], full[r.Listing.Id].Services[r.Service], r.Location, q.Full)).ToList();
        }
        if (paging.Ndjson) return Stream(rows, Documents);
        var items = (await Documents(Slice(rows, paging), ct)).Cast<HsdsServiceAtLocation>().ToList();
        return Answer(http, Page(rows.Count, paging, items), snap);
    }

    /// <summary>Postcode without proximity, for a listing without a service area: a public location by its ZIP code; a
    /// confidential one by its public county only (the ZIP area's centre lies in it), never by its true ZIP code.</summary>
    private static bool HasPostcode(Listing? listing, int location, string zip, SearchPlace zipPlace)
    {
        if (listing is null || location >= listing.Locations.Count) return false;
        var view = ConfidentialLocationPolicy.Default.View(listing, location);
        if (view.Confidential) return view.CountyFips is { } fips && zipPlace.Counties.Contains(fips);
        return listing.Locations[location].Address?.PostalCode is { Length: >= 5 } pc && pc[..5] == zip;
    }
}
