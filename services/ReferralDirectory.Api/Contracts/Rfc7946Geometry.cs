using System.Text.Json;
using System.Text.Json.Nodes;
using NetTopologySuite.Geometries;

namespace ReferralDirectory.Api.Contracts;

/// <summary>A Polygon or MultiPolygon as a GeoJSON geometry with RFC 7946's right-hand rule (exterior rings
/// counterclockwise, holes clockwise) and positions rounded to a given number of decimals. Used for the county
/// outlines of confidential results and for the state and county outlines of the widget's map.</summary>
public static class Rfc7946Geometry
{
    public static GeoJsonGeometryDto From(Geometry g, int decimals) => g switch
    {
        Polygon p => new GeoJsonGeometryDto("Polygon", Rings(p, decimals)),
        MultiPolygon mp => new GeoJsonGeometryDto("MultiPolygon", new JsonArray([.. mp.Geometries.OfType<Polygon>().Select(p => (JsonNode)Rings(p, decimals))])),
        _ => new GeoJsonGeometryDto("MultiPolygon", []),
    };

    /// <summary>Writes the geometry object (<c>type</c>, <c>coordinates</c>).</summary>
    public static void Write(Utf8JsonWriter w, GeoJsonGeometryDto geometry)
    {
        w.WriteStartObject();
        w.WriteString("type", geometry.Type);
        w.WritePropertyName("coordinates");
        geometry.Coordinates.WriteTo(w);
        w.WriteEndObject();
    }

    private static JsonArray Rings(Polygon p, int decimals) =>
        new([Ring(p.ExteriorRing, ccw: true, decimals), .. p.InteriorRings.Select(h => (JsonNode)Ring(h, ccw: false, decimals))]);

    private static JsonArray Ring(LineString ring, bool ccw, int decimals)
    {
        var coords = ring.Coordinates;
        var reverse = NetTopologySuite.Algorithm.Orientation.IsCCW(ring.CoordinateSequence) != ccw;
        var array = new JsonArray();
        for (var i = 0; i < coords.Length; i++)
        {
            var c = coords[reverse ? coords.Length - 1 - i : i];
            array.Add(new JsonArray(Math.Round(c.X, decimals), Math.Round(c.Y, decimals)));
        }
        return array;
    }
}
