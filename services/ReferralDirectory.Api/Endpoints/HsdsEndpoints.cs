using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Endpoints;

/// <summary>
/// Open Referral HSDS 3.0 read API under <c>/hsds</c>, following HSDS's API description (schema/openapi.json):
/// organizations, services, service_at_locations, taxonomies, taxonomy_terms, paged with HSDS's page shape.
/// The public view: confidential locations have no street, postal code or coordinates (see HsdsMapper).
/// </summary>
public static class HsdsEndpoints
{
    public const string Prefix = "/hsds";

    public static IEndpointRouteBuilder MapHsds(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).WithTags("Open Referral HSDS 3.0").AddEndpointFilter<QueryValidationFilter>()
            .AddEndpointFilter<Partners.PublicCacheFilter>().RequireRateLimiting(Partners.PublicAccess.Policy).RequireCors(Partners.PublicAccess.Policy);

        g.MapGet("/", (HttpRequest r) => TypedResults.Json(new HsdsApiInfo("3.0", "https://docs.openreferral.org/en/latest/hsds/",
                $"{r.Scheme}://{r.Host}{Infrastructure.OpenApiSetup.DocumentPath}"), HsdsJson.Options))
            .WithName("HsdsApiInfo").WithSummary("HSDS API meta information (HSDS version and the OpenAPI document)");

        g.MapGet("/organizations", (HsdsPaging paging, HsdsOrganizationQuery q, DirectoryIndex index) =>
            {
                var view = HsdsView.Of(index.Current);
                var items = Search(view.Listings, paging.Search);
                return TypedResults.Json(Page(items, paging, l => HsdsMapper.Organization(l.Listing, q.FullService || q.Full)), HsdsJson.Options);
            })
            .WithName("HsdsOrganizations").WithSummary("Organizations (listings), paged").Produces<HsdsPage<HsdsOrganization>>();

        g.MapGet("/organizations/{id}", Results<JsonHttpResult<HsdsOrganization>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>> (string id, HsdsOrganizationQuery q, DirectoryIndex index) =>
                HsdsView.Of(index.Current).Organization(id) is { } l
                    ? TypedResults.Json(HsdsMapper.Organization(l.Listing, withServices: true), HsdsJson.Options)
                    : NotFound("organization"))
            .WithName("HsdsOrganization").WithSummary("One organization with its services, locations and phones").Produces<HsdsOrganization>();

        g.MapGet("/services", (HsdsPaging paging, HsdsServiceQuery q, DirectoryIndex index) =>
            {
                var view = HsdsView.Of(index.Current);
                var items = view.Services.Where(s => q.Matches(s.Listing.Listing, s.Service) && MatchesText(s.Listing, paging.Search)).ToList();
                return TypedResults.Json(Page(items, paging, s => HsdsMapper.Service(s.Listing.Listing, s.Service, nested: q.Full)), HsdsJson.Options);
            })
            .WithName("HsdsServices").WithSummary("Services, paged").Produces<HsdsPage<HsdsService>>();

        g.MapGet("/services/{id}", Results<JsonHttpResult<HsdsService>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>> (string id, DirectoryIndex index) =>
                HsdsView.Of(index.Current).Service(id) is { } s
                    ? TypedResults.Json(HsdsMapper.Service(s.Listing.Listing, s.Service, nested: true), HsdsJson.Options)
                    : NotFound("service"))
            .WithName("HsdsService").WithSummary("One fully nested service").Produces<HsdsService>();

        g.MapGet("/service_at_locations", ServiceAtLocations)
            .WithName("HsdsServiceAtLocations")
            .WithSummary("Services at locations, paged; by postcode (service area) and proximity (metres from the postcode's centre)")
            .Produces<HsdsPage<HsdsServiceAtLocation>>();

        g.MapGet("/service_at_locations/{id}", Results<JsonHttpResult<HsdsServiceAtLocation>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>> (string id, DirectoryIndex index) =>
                HsdsView.Of(index.Current).ServiceAtLocation(id) is { } x
                    ? TypedResults.Json(HsdsMapper.ServiceAtLocation(x.Listing.Listing, x.Service, x.Location), HsdsJson.Options)
                    : NotFound("service at location"))
            .WithName("HsdsServiceAtLocation").WithSummary("One service at a location, with the location and the service").Produces<HsdsServiceAtLocation>();

        g.MapGet("/taxonomies/{id}", Results<JsonHttpResult<HsdsTaxonomy>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>> (string id) =>
                HsdsTaxonomies.All.Select(HsdsTaxonomies.Taxonomy).FirstOrDefault(t => t.Id == id.ToLowerInvariant()) is { } t
                    ? TypedResults.Json(t, HsdsJson.Options) : NotFound("taxonomy"))
            .WithName("HsdsTaxonomy").WithSummary("One taxonomy").Produces<HsdsTaxonomy>();

        g.MapGet("/taxonomy_terms/{id}", Results<JsonHttpResult<HsdsTaxonomyTerm>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>> (string id) =>
                HsdsTaxonomies.AllTerms().FirstOrDefault(t => t.Id == id.ToLowerInvariant()) is { } t
                    ? TypedResults.Json(t, HsdsJson.Options) : NotFound("taxonomy term"))
            .WithName("HsdsTaxonomyTerm").WithSummary("One taxonomy term").Produces<HsdsTaxonomyTerm>();

        g.MapGet("/taxonomies", (HsdsPaging paging) =>
            {
                var items = HsdsTaxonomies.All.Select(HsdsTaxonomies.Taxonomy)
                    .Where(t => paging.Search is null || Contains(t.Name, paging.Search) || Contains(t.Description, paging.Search)).ToList();
                return TypedResults.Json(Page(items, paging, t => t), HsdsJson.Options);
            })
            .WithName("HsdsTaxonomies").WithSummary("The directory's vocabularies as HSDS taxonomies").Produces<HsdsPage<HsdsTaxonomy>>();

        g.MapGet("/taxonomy_terms", (HsdsPaging paging, HsdsTermQuery q) =>
            {
                var items = HsdsTaxonomies.AllTerms()
                    .Where(t => (q.TaxonomyId is null || t.TaxonomyId == q.TaxonomyId) && (q.ParentId is null || t.ParentId == q.ParentId))
                    .Where(t => paging.Search is null || Contains(t.Name, paging.Search) || Contains(t.Code ?? "", paging.Search) || Contains(t.Description, paging.Search)).ToList();
                return TypedResults.Json(Page(items, paging, t => t), HsdsJson.Options);
            })
            .WithName("HsdsTaxonomyTerms").WithSummary("Taxonomy terms: service codes, listing kinds, populations, trafficking types").Produces<HsdsPage<HsdsTaxonomyTerm>>();

        return app;
    }

    private static bool Contains(string s, string q) => s.Contains(q, StringComparison.OrdinalIgnoreCase);

    private static NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails> NotFound(string what) => TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails
    {
        Status = 404, Title = $"No such {what}.", Detail = $"There is no {what} with that id. Ids are the HSDS UUIDs of this API's answers.",
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    });

    private static List<IndexedListing> Search(IReadOnlyList<IndexedListing> listings, string? text) =>
        text is null ? [.. listings] : [.. listings.Where(l => MatchesText(l, text))];

    private static bool MatchesText(IndexedListing l, string? text) =>
        text is null || IndexedListing.Tokenize(text) is not { Length: > 0 } tokens || l.MatchesText(tokens);

    internal static HsdsPage<TOut> Page<TIn, TOut>(IReadOnlyList<TIn> items, HsdsPaging paging, Func<TIn, TOut> map)
    {
        var total = items.Count;
        var pages = total == 0 ? 0 : (total + paging.PerPage - 1) / paging.PerPage;
        var contents = items.Skip((paging.Page - 1) * paging.PerPage).Take(paging.PerPage).Select(map).ToList();
        return new HsdsPage<TOut>(total, pages, paging.Page, contents.Count, paging.Page == 1, paging.Page >= pages, contents.Count == 0, contents);
    }

    private static JsonHttpResult<HsdsPage<HsdsServiceAtLocation>> ServiceAtLocations(HsdsPaging paging, HsdsServiceAtLocationQuery q, DirectoryIndex index, TimeProvider time)
    {
        var snap = index.Current;
        var view = HsdsView.Of(snap);
        HashSet<string>? covering = null;
        if (q.Postcode is { } zip && q.ProximityMetres is null)
            covering = [.. snap.Covering(zip.Latitude, zip.Longitude, SearchFilter.None, time.GetUtcNow()).Select(c => c.Listing.Id)];
        var rows = new List<(IndexedListing Listing, Service Service, Location Location, double? Km)>();
        foreach (var (l, s) in view.Services)
        {
            if (!q.Matches(l.Listing, s) || !MatchesText(l, paging.Search)) continue;
            for (var li = 0; li < l.Listing.Locations.Count; li++)
            {
                var loc = l.Listing.Locations[li];
                double? km = null;
                if (q.Postcode is { } p)
                {
                    if (q.ProximityMetres is { } metres)
                    {
                        // Distances to a confidential location are measured to its stand-in and rounded up to a band,
                        // exactly as in the public search, so proximity filtering cannot locate it.
                        var (lat, lon) = l.PublicPoint(li);
                        var d = GeoMath.DistanceKm(p.Latitude, p.Longitude, lat, lon);
                        if (loc.Confidential) d = ConfidentialPoints.Band(d);
                        if (d * 1000 > metres) continue;
                        km = d;
                    }
                    else if (l.Listing.ServiceAreas.Count > 0 ? !covering!.Contains(l.Id)
                             : loc.Confidential || loc.Address?.PostalCode is not { } pc || pc.Length < 5 || pc[..5] != p.Zip)
                    {
                        continue; // by service area when the listing has one, else by the (public) location's ZIP code
                    }
                }
                rows.Add((l, s, loc, km));
            }
        }
        if (q.ProximityMetres is not null) rows = [.. rows.OrderBy(r => r.Km).ThenBy(r => HsdsIds.ServiceAtLocation(r.Listing.Listing, r.Service, r.Location), StringComparer.Ordinal)];
        return TypedResults.Json(Page(rows, paging, r => HsdsMapper.ServiceAtLocation(r.Listing.Listing, r.Service, r.Location)), HsdsJson.Options);
    }
}

/// <summary>Per-snapshot HSDS lookups: listings in a stable order and the UUID maps (built once per snapshot).</summary>
internal sealed class HsdsView
{
    private static readonly ConditionalWeakTable<DirectorySnapshot, HsdsView> Views = new();

    public IReadOnlyList<IndexedListing> Listings { get; }
    public IReadOnlyList<(IndexedListing Listing, Service Service)> Services { get; }
    private readonly Dictionary<string, IndexedListing> _orgs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IndexedListing, Service)> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IndexedListing, Service, Location)> _serviceAtLocations = new(StringComparer.Ordinal);

    private HsdsView(DirectorySnapshot snap)
    {
        Listings = [.. snap.Matching(SearchFilter.None, DateTimeOffset.UnixEpoch).OrderBy(l => l.SortName, StringComparer.OrdinalIgnoreCase).ThenBy(l => l.Id, StringComparer.Ordinal)];
        var services = new List<(IndexedListing, Service)>();
        foreach (var l in Listings)
        {
            _orgs[HsdsIds.Organization(l.Listing)] = l;
            foreach (var s in l.Listing.Services)
            {
                services.Add((l, s));
                _services[HsdsIds.Service(l.Listing, s)] = (l, s);
                foreach (var loc in l.Listing.Locations) _serviceAtLocations[HsdsIds.ServiceAtLocation(l.Listing, s, loc)] = (l, s, loc);
            }
        }
        Services = services;
    }

    public static HsdsView Of(DirectorySnapshot snap) => Views.GetValue(snap, s => new HsdsView(s));

    public IndexedListing? Organization(string id) => id.Length <= 64 && _orgs.TryGetValue(id.ToLowerInvariant(), out var l) ? l : null;

    public (IndexedListing Listing, Service Service, Location Location)? ServiceAtLocation(string id) =>
        id.Length <= 64 && _serviceAtLocations.TryGetValue(id.ToLowerInvariant(), out var x) ? x : null;

    public (IndexedListing Listing, Service Service)? Service(string id) =>
        id.Length <= 64 && _services.TryGetValue(id.ToLowerInvariant(), out var s) ? s : null;
}
