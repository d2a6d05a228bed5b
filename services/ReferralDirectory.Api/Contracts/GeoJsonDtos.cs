namespace ReferralDirectory.Api.Contracts;

// GeoJSON (RFC 7946) shapes of search answers, sent for Accept: application/geo+json.
// Built from the public DTOs only (never from the stored model), so a confidential location can never
// contribute its point: it is shown as its county's area (or with a null geometry when the county is unknown).

/// <summary>A search answer as a GeoJSON FeatureCollection: one Feature per result. The hotlines covering the
/// searched place, the 911 notice, the searched point and paging travel as foreign members.</summary>
public sealed record GeoJsonFeatureCollection(
    string Type,
    IReadOnlyList<GeoJsonFeature> Features,
    SearchPointDto? Query,
    IReadOnlyList<HotlineDto> Hotlines,
    EmergencyNoticeDto Emergency,
    int? Total,
    string? NextCursor);

/// <summary>One result. <c>geometry</c> is a Point [lon, lat] for a public location, the county's
/// (Multi)Polygon for a confidential one (<c>properties.approximate</c> true), or null when the listing has no
/// location to show.</summary>
public sealed record GeoJsonFeature(string Type, string Id, GeoJsonGeometryDto? Geometry, GeoJsonFeatureProperties Properties);

/// <summary>A GeoJSON geometry: Point, Polygon or MultiPolygon, coordinates as [lon, lat] positions.</summary>
public sealed record GeoJsonGeometryDto(string Type, object Coordinates);

/// <summary>The listing's summary.</summary>
public sealed record GeoJsonFeatureProperties(
    string Id,
    string Name,
    string Kind,
    string List, // results, or servingThisPlace (nearest search: listings whose service area covers the point)
    IReadOnlyList<string> Services,
    string? LocationId,
    string? City,
    string? State,
    bool Approximate,
    double? DistanceKm,
    double? DistanceMiles,
    bool ServesThisPlace,
    string? Coverage,
    bool Is24x7,
    IReadOnlyList<string> Phones,
    string? Website,
    bool IsDemo);
