using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Endpoints;

/// <summary>
/// A query-string model that parses itself and collects field errors instead of throwing; the
/// <see cref="QueryValidationFilter"/> turns errors into a 400 validation problem naming each field.
/// </summary>
public interface IQueryModel
{
    IDictionary<string, string[]> Errors { get; }
    /// <summary>The query parameters this model reads (others are rejected as unknown), with the limits and defaults
    /// of the running service's options, so the OpenAPI document states the configured values. Names and types must
    /// not depend on the options.</summary>
    static abstract IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search);
}

/// <summary>Documentation of one query parameter, used for validation and for the OpenAPI document.</summary>
public sealed record QueryParameterDoc(string Name, string Type, string Description, bool Required = false, bool Array = false, string? Example = null, string? Default = null, string? Format = null);

internal sealed class QueryReader(IQueryCollection query)
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public void Error(string field, string message)
    {
        Errors[field] = Errors.TryGetValue(field, out var e) ? [.. e, message] : [message];
    }

    public string? Single(string name)
    {
        if (!query.TryGetValue(name, out var v) || v.Count == 0) return null;
        if (v.Count > 1) { Error(name, $"Give '{name}' once."); return null; }
        var s = v[0]?.Trim();
        return string.IsNullOrEmpty(s) ? null : s;
    }

    public double? Double(string name, double min, double max)
    {
        var s = Single(name);
        if (s is null) return null;
        if (s.Length > 40 || !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
        {
            Error(name, $"'{name}' must be a number.");
            return null;
        }
        if (d < min || d > max)
        {
            Error(name, $"'{name}' must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }
        return d;
    }

    public int? Int(string name, int min, int max)
    {
        var s = Single(name);
        if (s is null) return null;
        if (s.Length > 12 || !int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            Error(name, $"'{name}' must be a whole number.");
            return null;
        }
        if (i < min || i > max) { Error(name, $"'{name}' must be between {min} and {max}."); return null; }
        return i;
    }

    public bool Bool(string name)
    {
        var s = Single(name);
        if (s is null) return false;
        switch (s.ToLowerInvariant())
        {
            case "true" or "1" or "yes": return true;
            case "false" or "0" or "no": return false;
            default: Error(name, $"'{name}' must be true or false."); return false;
        }
    }

    /// <summary>Repeated and/or comma-separated codes, each checked against the known ones.</summary>
    public string[] Codes(string name, Func<string, bool> known, IEnumerable<string> valid, string what, int max = 40)
    {
        if (!query.TryGetValue(name, out var values)) return [];
        var codes = new List<string>();
        foreach (var v in values)
        {
            if (v is null) continue;
            foreach (var part in v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                codes.Add(part.ToLowerInvariant());
            }
        }
        if (codes.Count > max) { Error(name, $"Give at most {max} values for '{name}'."); return []; }
        var unknown = codes.Where(c => !known(c)).Distinct().ToArray();
        if (unknown.Length > 0)
        {
            var shown = string.Join(", ", unknown.Select(EchoedValue.Shown).Select(u => $"'{u}'"));
            Error(name, $"Unknown {what} {shown}. Valid {what}s: {string.Join(", ", valid)}.");
            return [];
        }
        return [.. codes.Distinct()];
    }

    public string? Text(string name, int maxLength)
    {
        var s = Single(name);
        if (s is null) return null;
        if (s.Length > maxLength) { Error(name, $"'{name}' must be at most {maxLength} characters."); return null; }
        if (s.Any(char.IsControl)) { Error(name, $"'{name}' must not contain control characters."); return null; }
        return s;
    }
}

/// <summary>The filters every search takes.</summary>
public sealed class FilterQuery : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public SearchFilter Filter { get; private init; } = SearchFilter.None;

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) => Docs;

    private static readonly QueryParameterDoc[] Docs =
    [
        new("service", "string", "Service taxonomy codes (see GET /v1/taxonomy); a listing matches if it offers ANY of them. Repeat the parameter or separate with commas.", Array: true, Example: "emergency-shelter"),
        new("kind", "string", "Listing kinds; ANY of them: victim-service-agency, coalition, funding-source, hotline, training-resource, government.", Array: true),
        new("population", "string", "Populations the listing must serve, ALL of them: adults, minors, female, male, transgender-gender-diverse, us-citizen-or-resident, foreign-national, lgbtq, people-with-disabilities.", Array: true),
        new("traffickingType", "string", "Trafficking types the listing must serve, ALL of them: sex, labor.", Array: true),
        new("language", "string", "Languages (ISO 639 codes such as es, vi) the listing must offer, ALL of them; listings offering interpretation into any language match.", Array: true),
        new("openNow", "boolean", "Only listings whose office or a phone line is open right now.", Default: "false"),
        new("is24x7", "boolean", "Only listings open or answering 24 hours a day, 7 days a week.", Default: "false"),
        new("freeOfCharge", "boolean", "Only services that are free of charge.", Default: "false"),
        new("acceptingReferrals", "boolean", "Only listings accepting referrals now.", Default: "false"),
    ];

    public static ValueTask<FilterQuery> BindAsync(HttpContext context)
    {
        var r = new QueryReader(context.Request.Query);
        var filter = new SearchFilter
        {
            Services = r.Codes("service", Taxonomy.IsKnown, Taxonomy.All.Select(t => t.Code), "service code"),
            Kinds = r.Codes("kind", ListingKinds.IsKnown, ListingKinds.All.Select(t => t.Code), "kind"),
            Populations = r.Codes("population", Populations.IsKnown, Populations.All.Select(t => t.Code), "population"),
            TraffickingTypes = r.Codes("traffickingType", TraffickingTypes.IsKnown, TraffickingTypes.All.Select(t => t.Code), "trafficking type"),
            Languages = r.Codes("language", FieldRules.IsLanguageCode, ["ISO 639 codes such as en, es, vi, zh"], "language", max: 10),
            OpenNow = r.Bool("openNow"),
            Only24x7 = r.Bool("is24x7"),
            FreeOfCharge = r.Bool("freeOfCharge"),
            AcceptingReferrals = r.Bool("acceptingReferrals"),
        };
        return ValueTask.FromResult(new FilterQuery { Errors = r.Errors, Filter = filter });
    }
}

/// <summary>The searched place: <c>lat</c> and <c>lon</c> in decimal degrees (WGS84), or a <c>zip</c>, or a town (<c>near</c>).</summary>
public sealed class PointQuery : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public double Latitude => Place.Latitude;
    public double Longitude => Place.Longitude;
    public ResolvedPlace Place { get; private init; } = new(0, 0, PlaceSources.Coordinates);

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) => Docs;

    private static readonly QueryParameterDoc[] Docs =
    [
        new("lat", "number", "Latitude of the searched place in decimal degrees, -90 to 90. Give lat and lon, or zip, or near.", Example: "38.627", Format: "double"),
        new("lon", "number", "Longitude of the searched place in decimal degrees, -180 to 180.", Example: "-90.1994", Format: "double"),
        PlaceParameters.Zip(alternative: false),
        PlaceParameters.Near(alternative: false),
    ];

    public static ValueTask<PointQuery> BindAsync(HttpContext context)
    {
        var r = new QueryReader(context.Request.Query);
        var place = PlaceParameters.Read(r, context.Request.Query, context.RequestServices.GetRequiredService<Places.Gazetteer>(), required: true);
        return ValueTask.FromResult(new PointQuery { Errors = r.Errors, Place = place ?? new(0, 0, PlaceSources.Coordinates) });
    }
}

/// <summary>How many nearest results, how far to look, how many of the listings serving the place to show.</summary>
public sealed class NearestQuery : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public int Limit { get; private init; }
    public double? RadiusKm { get; private init; }
    public int ServingLimit { get; private init; }
    public bool Full { get; private init; }

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) =>
    [
        new("limit", "integer", $"How many nearest listings to return (1 to {search.MaxResults}).", Default: Invariant(search.DefaultResults), Format: "int32"),
        new("radiusKm", "number", $"Only listings within this many kilometres (up to {Invariant(search.MaxRadiusKm)}).", Example: "80", Format: "double"),
        new("servingLimit", "integer", $"How many of the listings serving the place (servingThisPlace) to include, most local first (0 to {MaxServingInNearest}); page the rest on /v1/resources/serving.", Default: Invariant(search.DefaultServingInNearest), Format: "int32"),
        DetailParameter,
    ];

    /// <summary>The most listings serving the place a nearest answer carries (the rest are paged on /serving).</summary>
    public const int MaxServingInNearest = 20;

    internal static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    internal static QueryParameterDoc DetailParameter => new("detail", "string",
        "card (default): compact result cards; full: each card also carries the full listing in 'resource'.", Default: "card");

    internal static bool ReadDetail(QueryReader r)
    {
        var d = r.Text("detail", 10);
        if (d is null or "card") return false;
        if (d == "full") return true;
        r.Error("detail", "'detail' must be card or full.");
        return false;
    }

    public static ValueTask<NearestQuery> BindAsync(HttpContext context)
    {
        var o = context.RequestServices.GetRequiredService<IOptions<SearchOptions>>().Value;
        var r = new QueryReader(context.Request.Query);
        var limit = r.Int("limit", 1, o.MaxResults) ?? o.DefaultResults;
        var radius = r.Double("radiusKm", 0, o.MaxRadiusKm);
        var serving = r.Int("servingLimit", 0, MaxServingInNearest) ?? o.DefaultServingInNearest;
        var full = ReadDetail(r);
        return ValueTask.FromResult(new NearestQuery { Errors = r.Errors, Limit = limit, RadiusKm = radius, ServingLimit = serving, Full = full });
    }
}

/// <summary>A page of the listings serving a place.</summary>
public sealed class ServingQuery : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public int Limit { get; private init; }
    public string? Cursor { get; private init; }
    public bool Full { get; private init; }

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) =>
    [
        new("limit", "integer", $"Page size (1 to {search.MaxPageSize}).", Default: NearestQuery.Invariant(search.DefaultPageSize), Format: "int32"),
        new("cursor", "string", "The nextCursor of the previous page (or servingThisPlace.nextCursor of a nearest answer)."),
        NearestQuery.DetailParameter,
    ];

    public static ValueTask<ServingQuery> BindAsync(HttpContext context)
    {
        var o = context.RequestServices.GetRequiredService<IOptions<SearchOptions>>().Value;
        var r = new QueryReader(context.Request.Query);
        var limit = r.Int("limit", 1, o.MaxPageSize) ?? o.DefaultPageSize;
        var cursor = r.Text("cursor", 1024);
        var full = NearestQuery.ReadDetail(r);
        return ValueTask.FromResult(new ServingQuery { Errors = r.Errors, Limit = limit, Cursor = cursor, Full = full });
    }
}

/// <summary>Where and how to list listings offering services: a state, a county, or near a point; text; paging.</summary>
public sealed class BrowseQueryModel : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public string? State { get; private init; }
    public string? County { get; private init; }
    public (double Latitude, double Longitude)? Near => Place is { } p ? (p.Latitude, p.Longitude) : null;
    /// <summary>The point to list near (from lat/lon, zip or near), if any.</summary>
    public ResolvedPlace? Place { get; private init; }
    public double RadiusKm { get; private init; }
    public string? Text { get; private init; }
    public bool IncludeNationwide { get; private init; }
    public int Limit { get; private init; }
    public string? Cursor { get; private init; }
    public bool Full { get; private init; }

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) =>
    [
        new("state", "string", "Two-letter state code: listings located in the state or serving it.", Example: "MO"),
        new("county", "string", "5-digit county FIPS code: listings located in the county or serving it (the county or its whole state).", Example: "29019"),
        new("lat", "number", "Latitude: list listings near this point, nearest first (with lon).", Format: "double"),
        new("lon", "number", "Longitude: list listings near this point, nearest first (with lat).", Format: "double"),
        PlaceParameters.Zip(alternative: false),
        PlaceParameters.Near(alternative: false),
        new("radiusKm", "number", $"With a place: how far to look, in km (up to {NearestQuery.Invariant(search.MaxRadiusKm)}).", Default: NearestQuery.Invariant(search.DefaultBrowseRadiusKm), Format: "double"),
        new("q", "string", $"Words to find in names and descriptions; every word must match the start of a word. At most {search.MaxTextLength} characters.", Example: "legal"),
        new("includeNationwide", "boolean", "Also list nationwide services when listing a state or county.", Default: "false"),
        new("limit", "integer", $"Page size (1 to {search.MaxPageSize}).", Default: NearestQuery.Invariant(search.DefaultPageSize), Format: "int32"),
        new("cursor", "string", "The nextCursor of the previous page."),
        NearestQuery.DetailParameter,
    ];

    public static ValueTask<BrowseQueryModel> BindAsync(HttpContext context)
    {
        var o = context.RequestServices.GetRequiredService<IOptions<SearchOptions>>().Value;
        var r = new QueryReader(context.Request.Query);
        var state = r.Text("state", 2)?.ToUpperInvariant();
        if (state is not null && !FieldRules.IsStateCode(state)) { r.Error("state", FieldRules.StateHint); state = null; }
        var county = r.Text("county", 5);
        if (county is not null && FieldRules.CountyProblem(context.RequestServices.GetRequiredService<Places.Gazetteer>(), county) is { } countyProblem)
        {
            r.Error("county", countyProblem);
            county = null;
        }
        var place = PlaceParameters.Read(r, context.Request.Query, context.RequestServices.GetRequiredService<Places.Gazetteer>(), required: false);
        var radius = r.Double("radiusKm", 0, o.MaxRadiusKm) ?? o.DefaultBrowseRadiusKm;
        var text = r.Text("q", o.MaxTextLength);
        var includeNationwide = r.Bool("includeNationwide");
        var limit = r.Int("limit", 1, o.MaxPageSize) ?? o.DefaultPageSize;
        var cursor = r.Text("cursor", 1024);
        var full = NearestQuery.ReadDetail(r);
        return ValueTask.FromResult(new BrowseQueryModel
        {
            Errors = r.Errors, State = state, County = county,
            Place = place,
            RadiusKm = radius, Text = text, IncludeNationwide = includeNationwide, Limit = limit, Cursor = cursor, Full = full,
        });
    }
}

/// <summary>
/// Group-level validation: any <see cref="IQueryModel"/> argument with errors, or a query parameter no
/// argument reads, answers 400 with a validation problem naming the fields.
/// </summary>
public sealed class QueryValidationFilter : IEndpointFilter
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string[]> Names = new();

    /// <summary>The parameters a query model documents, with the limits and defaults of <paramref name="search"/>.</summary>
    public static IReadOnlyList<QueryParameterDoc> DocsOf(Type t, SearchOptions search) =>
        (IReadOnlyList<QueryParameterDoc>)t.GetMethod(nameof(IQueryModel.Parameters), BindingFlags.Public | BindingFlags.Static, [typeof(SearchOptions)])!.Invoke(null, [search])!;

    private static string[] NamesOf(Type t) => Names.GetOrAdd(t, static type => [.. DocsOf(type, new SearchOptions()).Select(d => d.Name)]);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var known = new HashSet<string>(StringComparer.Ordinal);
        var sawModel = false;
        foreach (var arg in context.Arguments)
        {
            if (arg is not IQueryModel m) continue;
            sawModel = true;
            foreach (var (k, v) in m.Errors) errors[k] = v;
            foreach (var name in NamesOf(arg.GetType())) known.Add(name);
        }
        if (sawModel)
        {
            foreach (var key in context.HttpContext.Request.Query.Keys)
            {
                if (!known.Contains(key))
                {
                    var shown = EchoedValue.Shown(key);
                    errors[shown] = [$"Unknown query parameter '{shown}'. This endpoint takes: {string.Join(", ", known.Order(StringComparer.Ordinal))}."];
                }
            }
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The search has invalid parameters.");
        return await next(context);
    }
}
