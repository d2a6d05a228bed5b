using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace ReferralDirectory.Geo;

/// <summary>Reads GeoJSON (RFC 7946) Polygon and MultiPolygon geometries into NetTopologySuite,
/// with the checks a service area needs. (NetTopologySuite.IO.GeoJSON is not available here.)</summary>
public static class GeoJsonGeometry
{
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>Largest accepted polygon, in square degrees (about the size of Alaska's bounding box).</summary>
    public const double MaxAreaSquareDegrees = 2500;
    public const int MaxVertices = 200_000;

    public sealed record ParseResult(Geometry? Geometry, string? Error);

    public static ParseResult Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            return Parse(doc.RootElement);
        }
        catch (JsonException e)
        {
            return new(null, $"GeoJSON is not valid JSON: {e.Message.Split('.')[0]}.");
        }
    }

    public static ParseResult Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return new(null, "GeoJSON must be an object.");
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            return new(null, "GeoJSON needs a \"type\".");
        if (!root.TryGetProperty("coordinates", out var coords) || coords.ValueKind != JsonValueKind.Array)
            return new(null, "GeoJSON needs \"coordinates\".");
        var vertices = 0;
        Geometry geometry;
        switch (type.GetString())
        {
            case "Polygon":
            {
                var (p, err) = ReadPolygon(coords, ref vertices);
                if (p is null) return new(null, err);
                geometry = p;
                break;
            }
            case "MultiPolygon":
            {
                var polys = new List<Polygon>();
                foreach (var pc in coords.EnumerateArray())
                {
                    var (p, err) = ReadPolygon(pc, ref vertices);
                    if (p is null) return new(null, err);
                    polys.Add(p);
                }
                if (polys.Count == 0) return new(null, "A MultiPolygon needs at least one polygon.");
                geometry = Factory.CreateMultiPolygon(polys.ToArray());
                break;
            }
            default:
                return new(null, "Only Polygon and MultiPolygon geometries can be service areas.");
        }
        var validity = new IsValidOp(geometry);
        if (!validity.IsValid)
            return new(null, $"The polygon is not valid: {validity.ValidationError.Message} near ({validity.ValidationError.Coordinate?.Y:0.#####}, {validity.ValidationError.Coordinate?.X:0.#####}).");
        if (geometry.Area > MaxAreaSquareDegrees) return new(null, "The polygon is too large for a service area; use a state or nationwide area instead.");
        if (geometry.Area <= 0) return new(null, "The polygon has no area.");
        return new(geometry, null);
    }

    private static (Polygon?, string?) ReadPolygon(JsonElement rings, ref int vertices)
    {
        if (rings.ValueKind != JsonValueKind.Array || rings.GetArrayLength() == 0)
            return (null, "A polygon needs at least one ring.");
        var linear = new List<LinearRing>();
        foreach (var ring in rings.EnumerateArray())
        {
            if (ring.ValueKind != JsonValueKind.Array) return (null, "A ring must be an array of positions.");
            var pts = new List<Coordinate>();
            foreach (var pos in ring.EnumerateArray())
            {
                if (++vertices > MaxVertices) return (null, $"The polygon has more than {MaxVertices} vertices.");
                if (pos.ValueKind != JsonValueKind.Array || pos.GetArrayLength() < 2)
                    return (null, "A position must be [longitude, latitude].");
                var x = pos[0];
                var y = pos[1];
                if (x.ValueKind != JsonValueKind.Number || y.ValueKind != JsonValueKind.Number)
                    return (null, "Positions must hold numbers.");
                var lon = x.GetDouble();
                var lat = y.GetDouble();
                if (!GeoMath.IsValidLongitude(lon) || !GeoMath.IsValidLatitude(lat))
                    return (null, "Positions must have longitude in [-180, 180] and latitude in [-90, 90].");
                pts.Add(new Coordinate(lon, lat));
            }
            if (pts.Count < 4) return (null, "A ring needs at least four positions.");
            if (!pts[0].Equals2D(pts[^1])) return (null, "A ring must be closed: its last position must equal its first.");
            linear.Add(Factory.CreateLinearRing(pts.ToArray()));
        }
        return (Factory.CreatePolygon(linear[0], linear.Skip(1).ToArray()), null);
    }
}
