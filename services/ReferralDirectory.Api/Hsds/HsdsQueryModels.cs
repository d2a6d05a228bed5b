using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Hsds;

/// <summary>HSDS paging and search: <c>page</c>, <c>per_page</c>, <c>search</c>, <c>format</c>.</summary>
public sealed class HsdsPaging : IQueryModel
{
    public const int MaxPerPage = 100;
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public int Page { get; private init; } = 1;
    public int PerPage { get; private init; } = 50;
    public string? Search { get; private init; }

    public static IReadOnlyList<QueryParameterDoc> Parameters { get; } =
    [
        new("search", "string", "Full text search: every word must match the start of a word in the name or description.", Example: "legal"),
        new("page", "integer", "Page number of paginated result (from 1).", Default: "1", Format: "int32"),
        new("per_page", "integer", $"Number of results requested in a single page (1 to {MaxPerPage}).", Default: "50", Format: "int32"),
        new("format", "string", "Return results in the specified format: only json is offered.", Default: "json"),
    ];

    public static ValueTask<HsdsPaging> BindAsync(HttpContext context)
    {
        var r = new QueryReader(context.Request.Query);
        var search = r.Text("search", 200);
        var page = r.Int("page", 1, 1_000_000) ?? 1;
        var perPage = r.Int("per_page", 1, MaxPerPage) ?? 50;
        if (r.Text("format", 20) is { } f && f != "json") r.Error("format", "Only format=json is offered.");
        return ValueTask.FromResult(new HsdsPaging { Errors = r.Errors, Page = page, PerPage = perPage, Search = search });
    }
}

/// <summary>Filters on services: taxonomy_term_id, taxonomy_id, organization_id; full.</summary>
public class HsdsServiceQuery : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; protected init; } = new Dictionary<string, string[]>();
    public string? TaxonomyTermId { get; protected init; }
    public string? TaxonomyId { get; protected init; }
    public string? OrganizationId { get; protected init; }
    public bool Full { get; protected init; }

    public static IReadOnlyList<QueryParameterDoc> Parameters { get; } = CommonParameters;

    protected static QueryParameterDoc[] CommonParameters =>
    [
        new("taxonomy_term_id", "string", "Only services with this taxonomy term (see /hsds/taxonomy_terms).", Format: "uuid"),
        new("taxonomy_id", "string", "Only services with any term of this taxonomy.", Format: "uuid"),
        new("organization_id", "string", "Only services of this organization.", Format: "uuid"),
        new("full", "boolean", "Return fully nested services (with organization and locations).", Default: "false"),
    ];

    internal static string? Uuid(QueryReader r, string name)
    {
        var s = r.Text(name, 64);
        if (s is null) return null;
        if (!Guid.TryParseExact(s, "D", out _)) { r.Error(name, $"'{name}' must be a UUID."); return null; }
        return s.ToLowerInvariant();
    }

    public static ValueTask<HsdsServiceQuery> BindAsync(HttpContext context)
    {
        var r = new QueryReader(context.Request.Query);
        return ValueTask.FromResult(new HsdsServiceQuery
        {
            TaxonomyTermId = Uuid(r, "taxonomy_term_id"), TaxonomyId = Uuid(r, "taxonomy_id"), OrganizationId = Uuid(r, "organization_id"),
            Full = r.Bool("full"), Errors = r.Errors,
        });
    }

    /// <summary>Whether service number <paramref name="service"/> of <paramref name="l"/> passes the filters.</summary>
    public bool Matches(IndexedListing l, int service)
    {
        if (OrganizationId is { } org && HsdsIds.Organization(l.Id) != org) return false;
        if (TaxonomyTermId is null && TaxonomyId is null) return true;
        var terms = Terms(l, service).ToList();
        return (TaxonomyTermId is null || terms.Any(t => t.Id == TaxonomyTermId)) && (TaxonomyId is null || terms.Any(t => t.TaxonomyId == TaxonomyId));
    }

    private static IEnumerable<HsdsTaxonomyTerm> Terms(IndexedListing l, int service)
    {
        foreach (var v in HsdsTaxonomies.All)
        {
            foreach (var c in v.Codes)
            {
                var has = v.LinkEntity == "service" ? l.ServiceHas(service, c.Code)
                    : v.Scheme == "referral-directory-kinds" ? l.Kind == c.Code
                    : l.Serves(c.Code);
                if (has) yield return HsdsTaxonomies.Term(v, c);
            }
        }
    }
}

/// <summary>service_at_locations: the service filters plus <c>postcode</c> and <c>proximity</c> (metres).</summary>
public sealed class HsdsServiceAtLocationQuery : HsdsServiceQuery, IQueryModel
{
    public ZipPlace? Postcode { get; private init; }
    public double? ProximityMetres { get; private init; }

    public static new IReadOnlyList<QueryParameterDoc> Parameters { get; } =
    [
        .. CommonParameters,
        new("postcode", "string", "US ZIP code of a point used to check service coverage: results whose service area covers it (listings without a service area: whose location has this ZIP code). With proximity, results within proximity of the ZIP area's centre.", Example: "65201"),
        new("proximity", "number", "With postcode: only results within this many metres of the postcode's centre (up to 1,000,000), nearest first. Distances to confidential locations are approximate.", Example: "25000", Format: "double"),
    ];

    public static new ValueTask<HsdsServiceAtLocationQuery> BindAsync(HttpContext context)
    {
        var r = new QueryReader(context.Request.Query);
        var gazetteer = context.RequestServices.GetRequiredService<Gazetteer>();
        ZipPlace? zip = null;
        if (r.Text("postcode", 10) is { } pc)
        {
            zip = gazetteer.FindZip(pc);
            if (zip is null) r.Error("postcode", pc.All(ch => char.IsAsciiDigit(ch) || ch == '-') && pc.Length is 5 or 9 or 10
                ? $"We don't know the ZIP code {pc[..5]}."
                : "'postcode' must be a 5-digit US ZIP code such as 63101, or ZIP+4.");
        }
        var proximity = r.Double("proximity", 0, 1_000_000);
        if (proximity is not null && zip is null && !r.Errors.ContainsKey("postcode")) r.Error("proximity", "'proximity' is measured from the postcode's centre: give 'postcode' too.");
        return ValueTask.FromResult(new HsdsServiceAtLocationQuery
        {
            TaxonomyTermId = Uuid(r, "taxonomy_term_id"), TaxonomyId = Uuid(r, "taxonomy_id"), OrganizationId = Uuid(r, "organization_id"),
            Full = r.Bool("full"), Postcode = zip, ProximityMetres = proximity, Errors = r.Errors,
        });
    }
}

/// <summary>Organization options: <c>full_service</c>, <c>full</c>.</summary>
public sealed class HsdsOrganizationQuery : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public bool FullService { get; private init; }
    public bool Full { get; private init; }

    public static IReadOnlyList<QueryParameterDoc> Parameters { get; } =
    [
        new("full_service", "boolean", "Include the organization's services.", Default: "false"),
        new("full", "boolean", "Fully nested organizations (with services).", Default: "false"),
    ];

    public static ValueTask<HsdsOrganizationQuery> BindAsync(HttpContext context)
    {
        var r = new QueryReader(context.Request.Query);
        return ValueTask.FromResult(new HsdsOrganizationQuery { FullService = r.Bool("full_service"), Full = r.Bool("full"), Errors = r.Errors });
    }
}

/// <summary>Taxonomy term filters: <c>taxonomy_id</c>, <c>parent_id</c>, <c>top_only</c>.</summary>
public sealed class HsdsTermQuery : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public string? TaxonomyId { get; private init; }
    public string? ParentId { get; private init; }

    public static IReadOnlyList<QueryParameterDoc> Parameters { get; } =
    [
        new("taxonomy_id", "string", "Only terms of this taxonomy.", Format: "uuid"),
        new("parent_id", "string", "Only terms with this parent (the directory's vocabularies are flat, so none).", Format: "uuid"),
        new("top_only", "boolean", "Only top-level terms (all of this directory's terms are).", Default: "false"),
    ];

    public static ValueTask<HsdsTermQuery> BindAsync(HttpContext context)
    {
        var r = new QueryReader(context.Request.Query);
        var taxonomy = HsdsServiceQuery.Uuid(r, "taxonomy_id");
        var parent = HsdsServiceQuery.Uuid(r, "parent_id");
        r.Bool("top_only");
        return ValueTask.FromResult(new HsdsTermQuery { TaxonomyId = taxonomy, ParentId = parent, Errors = r.Errors });
    }
}
