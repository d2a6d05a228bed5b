using NetTopologySuite.Geometries;
using ReferralDirectory.Places;

namespace ReferralDirectory.Api.Contracts;

/// <summary>Maps search answers (already public DTOs) to GeoJSON FeatureCollections.</summary>
public static class GeoJsonMapper
{
    public const string MediaType = "application/geo+json";

    public static GeoJsonFeatureCollection From(NearestResponse r, Gazetteer g) => new("FeatureCollection",
        [.. r.Results.Select(x => Feature(x, "results", g)), .. r.ServingThisPlace.Select(x => Feature(x, "servingThisPlace", g))],
        r.Query, r.Hotlines, r.Emergency, null, null);

    public static GeoJsonFeatureCollection From(ServingResponse r, Gazetteer g) => new("FeatureCollection",
        [.. r.Results.Select(x => Feature(x, "results", g))], r.Query, r.Hotlines, r.Emergency, null, null);

    public static GeoJsonFeatureCollection From(ResourcePage r, Gazetteer g) => new("FeatureCollection",
        [.. r.Results.Select(x => Feature(x, "results", g))], r.Query, r.Hotlines, r.Emergency, r.Total, r.NextCursor);

    public static GeoJsonFeature Feature(SearchResultDto result, string list, Gazetteer gazetteer)
    {
        var res = result.Resource;
        // The location to draw: the one the distance was measured to, else the first public one, else the first.
        var loc = (result.NearestLocationId is { } id ? res.Locations.FirstOrDefault(l => l.Id == id) : null)
                  ?? res.Locations.FirstOrDefault(l => !l.Confidential)
                  ?? res.Locations.FirstOrDefault();
        GeoJsonGeometryDto? geometry = null;
        var approximate = false;
        if (loc is not null)
        {
            if (!loc.Confidential && loc.Latitude is { } lat && loc.Longitude is { } lon)
            {
                geometry = new GeoJsonGeometryDto("Point", new[] { lon, lat });
            }
            else
            {
                approximate = true;
                if (loc.Address?.CountyFips is { } fips && gazetteer.CountyBoundary(fips) is { } county) geometry = Area(county);
            }
        }
        var props = new GeoJsonFeatureProperties(
            res.Id, res.Name, res.Kind, list, [.. res.Services.SelectMany(s => s.Taxonomy.Select(t => t.Code)).Distinct()],
            loc?.Id, loc?.Address?.City, loc?.Address?.State, approximate || (result.Distance?.Approximate ?? false),
            result.Distance?.Km, result.Distance?.Miles, result.ServesThisPlace, result.Coverage, res.Is24x7,
            [.. res.Phones.Select(p => p.Number)], res.Website, res.IsDemo);
        return new GeoJsonFeature("Feature", res.Id, geometry, props);
    }

    /// <summary>An area (county boundary) as a GeoJSON Polygon or MultiPolygon.</summary>
    public static GeoJsonGeometryDto? Area(Geometry g) => g switch
    {
        Polygon p => new GeoJsonGeometryDto("Polygon", Rings(p)),
        MultiPolygon mp => new GeoJsonGeometryDto("MultiPolygon", mp.Geometries.OfType<Polygon>().Select(Rings).ToArray()),
        _ => null,
    };

    // RFC 7946 right-hand rule: exterior rings counterclockwise, holes clockwise.
    private static double[][][] Rings(Polygon p) =>
        [Ring(p.ExteriorRing, ccw: true), .. p.InteriorRings.Select(r => Ring(r, ccw: false))];

    private static double[][] Ring(LineString ring, bool ccw)
    {
        var coords = ring.Coordinates.Select(c => new[] { Math.Round(c.X, 6), Math.Round(c.Y, 6) }).ToArray();
        if (NetTopologySuite.Algorithm.Orientation.IsCCW(ring.CoordinateSequence) != ccw) Array.Reverse(coords);
        return coords;
    }
}
