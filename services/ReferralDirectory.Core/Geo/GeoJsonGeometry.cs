using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Valid;

namespace ReferralDirectory.Geo;

/// <summary>Reads GeoJSON (RFC 7946) Polygon and MultiPolygon geometries with NetTopologySuite.IO.GeoJSON4STJ, and checks
/// what a drawn service area needs: the right type, positions on the globe, a valid polygon (closed rings, no
/// self-intersections) of sane size. Problems come back as plain sentences for the admin who drew the area.</summary>
public static class GeoJsonGeometry
{
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>Largest accepted polygon, in square degrees (about the size of Alaska's bounding box).</summary>
    public const double MaxAreaSquareDegrees = 2500;
    public const int MaxVertices = 200_000;

    private static readonly JsonSerializerOptions Options = new()
    {
        MaxDepth = 16,
        Converters = { new GeoJsonConverterFactory(Factory) },
    };

    public sealed record ParseResult(Geometry? Geometry, string? Error);

    public static ParseResult Parse(string json) => Read(() => JsonSerializer.Deserialize<Geometry>(json, Options));

    public static ParseResult Parse(JsonElement root) =>
        root.ValueKind != JsonValueKind.Object ? new(null, "GeoJSON must be an object.") : Read(() => root.Deserialize<Geometry>(Options));

    private static ParseResult Read(Func<Geometry?> deserialize)
    {
        Geometry? geometry;
        try
        {
            geometry = deserialize();
        }
        catch (JsonException e)
        {
            return new(null, $"GeoJSON is not valid: {FirstSentence(e.Message)}.");
        }
        catch (ArgumentException e)
        {
            // NetTopologySuite refuses rings it cannot build (its messages, in plain words).
            return new(null, e.Message.Contains("closed", StringComparison.OrdinalIgnoreCase)
                ? "A ring must be closed: its last position must equal its first."
                : e.Message.Contains("number of points", StringComparison.OrdinalIgnoreCase)
                    ? "A ring needs at least four positions."
                    : $"The polygon is not valid: {FirstSentence(e.Message)}.");
        }
        if (geometry is not (Polygon or MultiPolygon)) return new(null, "Only Polygon and MultiPolygon geometries can be service areas.");
        if (geometry.IsEmpty) return new(null, geometry is MultiPolygon ? "A MultiPolygon needs at least one polygon." : "A polygon needs at least one ring.");
        if (geometry.NumPoints > MaxVertices) return new(null, $"The polygon has more than {MaxVertices} vertices.");
        foreach (var c in geometry.Coordinates)
            if (!GeoMath.IsValidLongitude(c.X) || !GeoMath.IsValidLatitude(c.Y))
                return new(null, "Positions must have longitude in [-180, 180] and latitude in [-90, 90].");
        var validity = new IsValidOp(geometry);
        if (!validity.IsValid)
            return new(null, $"The polygon is not valid: {validity.ValidationError.Message} near ({validity.ValidationError.Coordinate?.Y:0.#####}, {validity.ValidationError.Coordinate?.X:0.#####}).");
        if (geometry.Area > MaxAreaSquareDegrees) return new(null, "The polygon is too large for a service area; use a state or nationwide area instead.");
        if (geometry.Area <= 0) return new(null, "The polygon has no area.");
        return new(geometry, null);
    }

    private static string FirstSentence(string message) => message.Split('.')[0].Trim();
}
