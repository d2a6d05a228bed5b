using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Hsds;

/// <summary>HSDS paging and search: <c>page</c>, <c>per_page</c>, <c>search</c>, <c>format</c> (json, or ndjson: every
/// result, one per line, streamed without a page).</summary>
public sealed class HsdsPaging : IQueryModel
{
    public const int MaxPerPage = 100;
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public int Page { get; private init; } = 1;
    public int PerPage { get; private init; } = 50;
    public string? Search { get; private init; }
    /// <summary><c>format=ndjson</c>: every result, one JSON document a line (application/x-ndjson), no page wrapper.</summary>
    public bool Ndjson { get; private init; }

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) => Docs;

    private static readonly QueryParameterDoc[] Docs =
    [
        new("search", "string", "Full text search: every word must match the start of a word in the name or description.", Example: "legal"),
        new("page", "integer", "Page number of paginated result (from 1).", Default: "1", Format: "int32"),
        new("per_page", "integer", $"Number of results requested in a single page (1 to {MaxPerPage}).", Default: "50", Format: "int32"),
        new("format", "string", "Return results in the specified format: json (a page), or ndjson: every result (page and per_page are not used), one JSON document a line, streamed as application/x-ndjson.", Default: "json"),
    ];

    public static ValueTask<HsdsPaging> BindAsync(HttpContext context)
    {
        var r = new QueryReader(context.Request.Query);
        var search = r.Text("search", 200);
        var page = r.Int("page", 1, 1_000_000) ?? 1;
        var perPage = r.Int("per_page", 1, MaxPerPage) ?? 50;
        var format = r.Text("format", 20);
        if (format is not null and not "json" and not "ndjson") r.Error("format", "'format' must be json or ndjson.");
        return ValueTask.FromResult(new HsdsPaging { Errors = r.Errors, Page = page, PerPage = perPage, Search = search, Ndjson = format == "ndjson" });
    }
}

/// <summary>Filters on services: taxonomy_term_id, taxonomy_id, organization_id, modified_after; full, minimal.</summary>
public class HsdsServiceQuery : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; protected init; } = new Dictionary<string, string[]>();
    public string? TaxonomyTermId { get; protected init; }
    public string? TaxonomyId { get; protected init; }
    public string? OrganizationId { get; protected init; }
    /// <summary>Only results whose listing's public HSDS view changed at or after this time.</summary>
    public DateTimeOffset? ModifiedAfter { get; protected init; }
    public bool Full { get; protected init; }
    /// <summary>Each service's own fields and last_modified only (no nested arrays).</summary>
    public bool Minimal { get; protected init; }

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) => Docs;

    private static readonly QueryParameterDoc[] Docs =
    [
        .. CommonParameters,
        new("minimal", "boolean", "Each service's own fields only, with last_modified (HSDS: just the service's id and modified date), no nested arrays or objects. Cannot be combined with full.", Default: "false"),
    ];

    protected static QueryParameterDoc[] CommonParameters =>
    [
        new("taxonomy_term_id", "string", "Only services with this taxonomy term (see /hsds/taxonomy_terms).", Format: "uuid"),
        new("taxonomy_id", "string", "Only services with any term of this taxonomy.", Format: "uuid"),
        new("organization_id", "string", "Only services of this organization.", Format: "uuid"),
        new("modified_after", "string", "Only results modified on or after this ISO 8601 date-time (e.g. 2026-11-01T00:00:00Z; without an offset: UTC; a date alone: its start, UTC): when the organization's public HSDS document last changed.", Example: "2026-11-01T00:00:00Z", Format: "date-time"),
        new("full", "boolean", "Return fully nested results (services with their organization and locations).", Default: "false"),
    ];

    private static readonly System.Text.RegularExpressions.Regex IsoDateTime = new(
        @"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|z|[+-]\d{2}:?\d{2})?)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    internal static DateTimeOffset? DateTime(QueryReader r, string name)
    {
        var s = r.Text(name, 40);
        if (s is null) return null;
        if (!IsoDateTime.IsMatch(s) || !DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var at))
        {
            r.Error(name, $"'{name}' must be an ISO 8601 date-time such as 2026-11-01T00:00:00Z.");
            return null;
        }
        return at;
    }

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
        var (full, minimal) = (r.Bool("full"), r.Bool("minimal"));
        if (full && minimal) r.Error("minimal", "Give either 'minimal' or 'full', not both.");
        return ValueTask.FromResult(new HsdsServiceQuery
        {
            TaxonomyTermId = Uuid(r, "taxonomy_term_id"), TaxonomyId = Uuid(r, "taxonomy_id"), OrganizationId = Uuid(r, "organization_id"),
            ModifiedAfter = DateTime(r, "modified_after"), Full = full, Minimal = minimal, Errors = r.Errors,
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

    public static new IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) => Docs;

    private static readonly QueryParameterDoc[] Docs =
    [
        .. CommonParameters,
        new("postcode", "string", "US ZIP code of a point used to check service coverage: results whose service area covers it (listings without a service area: whose location has this ZIP code; a confidential location: whose county the ZIP area's centre is in). With proximity, results within proximity of the ZIP area's centre.", Example: "65201"),
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
            if (zip is null) r.Error("postcode", FieldRules.IsSearchedZip(pc)
                ? $"We don't know the ZIP code {pc[..5]}."
                : FieldRules.ZipHint);
        }
        var proximity = r.Double("proximity", 0, 1_000_000);
        if (proximity is not null && zip is null && !r.Errors.ContainsKey("postcode")) r.Error("proximity", "'proximity' is measured from the postcode's centre: give 'postcode' too.");
        return ValueTask.FromResult(new HsdsServiceAtLocationQuery
        {
            TaxonomyTermId = Uuid(r, "taxonomy_term_id"), TaxonomyId = Uuid(r, "taxonomy_id"), OrganizationId = Uuid(r, "organization_id"),
            ModifiedAfter = DateTime(r, "modified_after"), Full = r.Bool("full"), Postcode = zip, ProximityMetres = proximity, Errors = r.Errors,
        });
    }
}

/// <summary>Organization options: <c>full_service</c>, <c>full</c>.</summary>
public sealed class HsdsOrganizationQuery : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public bool FullService { get; private init; }
    public bool Full { get; private init; }

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) => Docs;

    private static readonly QueryParameterDoc[] Docs =
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

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) => Docs;

    private static readonly QueryParameterDoc[] Docs =
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
