using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using NetTopologySuite.Simplify;
using ReferralDirectory.Api.Contracts;
using ReferralDirectory.Api.Partners;
using ReferralDirectory.Places;

namespace ReferralDirectory.Api.Maps;

/// <summary>A state's outline and its counties' outlines, simplified for drawing a small map (the widget's map view,
/// which needs no tile server), as a GeoJSON FeatureCollection.</summary>
public sealed record OutlineCollection(string Type, string State, string StateName, double Tolerance, IReadOnlyList<OutlineFeature> Features);

/// <summary>One outline: the state (<c>properties.kind</c> "state") or one of its counties ("county", with its FIPS code).</summary>
public sealed record OutlineFeature(string Type, string Id, GeoJsonGeometryDto Geometry, OutlineProperties Properties);

public sealed record OutlineProperties(string Kind, string? Fips, string Name);

public static class OutlineEndpoints
{
    /// <summary>Simplification tolerance in degrees (about 1 km): a 600-pixel map of a state cannot show finer detail.</summary>
    public const double Tolerance = 0.01;

    private static readonly ConcurrentDictionary<string, OutlineCollection?> Made = new(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapOutlines(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/states").WithTags("Places").PublicReads()
            .MapMethods("/{state}/outline", PublicReadConventions.GetAndHead, Results<Ok<OutlineCollection>, ProblemHttpResult> (string state, Gazetteer gazetteer) =>
            {
                var known = state.Length == 2 && state.All(char.IsAsciiLetter) ? gazetteer.State(state.ToUpperInvariant()) : null;
                if (known is not null && Made.GetOrAdd(known.Code, code => Make(gazetteer, code)) is { } outline) return TypedResults.Ok(outline);
                var shown = state.Length <= 2 && state.All(char.IsAsciiLetter) ? $"'{state}'" : "That value";
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown state.",
                    detail: $"{shown} is not a U.S. state with outlines. Use a two-letter state code such as MO.");
            })
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("StateOutline")
            .WithSummary("A state's outline and its counties' outlines, simplified for a small map (GeoJSON FeatureCollection)")
            .WithDescription("From the offline gazetteer's Census boundaries (1:10,000,000), simplified with NetTopologySuite's topology-preserving " +
                             "simplifier to about 1 km (0.01 degrees), coordinates rounded to 4 decimals, RFC 7946 winding. The first feature is the state " +
                             "(properties.kind \"state\"), then its counties by FIPS (kind \"county\", fips, name). Carries no listing.");
        return app;
    }

    private static OutlineCollection? Make(Gazetteer gazetteer, string code)
    {
        if (gazetteer.State(code) is not { } info || gazetteer.StateBoundary(code) is not { } stateShape) return null;
        var features = new List<OutlineFeature> { new("Feature", "state-" + info.Code, Geometry(stateShape), new OutlineProperties("state", info.Fips, info.Name)) };
        foreach (var county in gazetteer.CountiesOf(code))
        {
            if (gazetteer.CountyBoundary(county.Fips) is not { } shape) continue;
            features.Add(new("Feature", "county-" + county.Fips, Geometry(shape), new OutlineProperties("county", county.Fips, county.DisplayName)));
        }
        return new OutlineCollection("FeatureCollection", info.Code, info.Name, Tolerance, features);
    }

    private static GeoJsonGeometryDto Geometry(Geometry g) => Rfc7946Geometry.From(TopologyPreservingSimplifier.Simplify(g, Tolerance), decimals: 4);
}
