using Microsoft.AspNetCore.Http.HttpResults;
using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Api.Partners;
using ReferralDirectory.Model;
using ReferralDirectory.Places;

namespace ReferralDirectory.Api.Towns;

/// <summary>Towns starting with the typed text, for the search box's suggestions (<c>near</c> takes each <c>label</c> as it is).</summary>
public sealed record TownSuggestionsResponse(IReadOnlyList<TownSuggestion> Towns);

/// <summary>A town: <c>label</c> is "City, ST", the value to search with.</summary>
public sealed record TownSuggestion(string Label, string City, string State);

/// <summary>The typed text of a town suggestion request, the state whose towns come first, and how many.</summary>
public sealed class TownQuery : IQueryModel
{
    public const int DefaultLimit = 8;

    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public string Typed { get; private init; } = "";
    public string? State { get; private init; }
    public int Limit { get; private init; } = DefaultLimit;

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) => Docs;

    private static readonly QueryParameterDoc[] Docs =
    [
        new("q", "string", "What has been typed so far: the start of a town's name, optionally followed by a comma and the start of a state code or name (\"colu\", \"springfield, mi\"). 1 to 100 characters.", Required: true, Example: "colu"),
        new("state", "string", "Two-letter code of the state whose towns come first (a partner's own state).", Example: "MO"),
        new("limit", "integer", $"How many towns (1 to {Gazetteer.MaxTownSuggestions}).", Default: DefaultLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), Format: "int32"),
    ];

    public static ValueTask<TownQuery> BindAsync(HttpContext context)
    {
        var r = new QueryReader(context.Request.Query);
        var typed = r.Text("q", 100);
        if (typed is null && !r.Errors.ContainsKey("q")) r.Error("q", "'q' is required: the start of a town's name.");
        var state = r.Text("state", 2)?.ToUpperInvariant();
        if (state is not null && !FieldRules.IsStateCode(state))
        {
            r.Error("state", FieldRules.StateHint);
            state = null;
        }
        var limit = r.Int("limit", 1, Gazetteer.MaxTownSuggestions) ?? DefaultLimit;
        return ValueTask.FromResult(new TownQuery { Errors = r.Errors, Typed = typed ?? "", State = state, Limit = limit });
    }
}

public static class TownSuggestionEndpoints
{
    /// <summary><c>GET /v1/places/towns</c>: towns for the search box's suggestions while someone types.</summary>
    public static IEndpointRouteBuilder MapTownSuggestions(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/places").WithTags("Places").PublicReads()
            .MapMethods("/towns", PublicReadConventions.GetAndHead, Ok<TownSuggestionsResponse> (TownQuery query, Gazetteer gazetteer) =>
                TypedResults.Ok(new TownSuggestionsResponse([.. gazetteer.SuggestTowns(query.Typed, query.State, query.Limit)
                    .Select(t => new TownSuggestion(t.Label, t.City, t.State))])))
            .ProducesValidationProblem()
            .WithName("TownSuggestions")
            .WithSummary("Towns starting with the typed text, for suggestions while someone types")
            .WithDescription("From the offline gazetteer (Census places). Case, spacing, punctuation and St./Saint are ignored, as in near=; " +
                             "towns in the given state come first, then larger towns (more ZIP codes). Each label is a value near= finds. Carries no listing.");
        return app;
    }
}
