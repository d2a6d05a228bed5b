namespace ReferralDirectory.Api.Contracts;

// GeoJSON (RFC 7946) shapes of search answers, sent for Accept: application/geo+json (written by Search/SearchAnswers
// from the same cards as the JSON answers, so a confidential location can never contribute a point: it is shown as
// its county's outline, or with a null geometry when its county is unknown).

/// <summary>A search answer as a GeoJSON FeatureCollection: one Feature per result. The searched point, the hotlines
/// covering the place, the 911 notice and paging travel as foreign members.</summary>
public sealed record GeoJsonFeatureCollection(
    string Type,
    IReadOnlyList<GeoJsonFeature> Features,
    SearchPointDto? Query,
    int? Total,
    string? NextCursor,
    int? ServingTotal,
    string? ServingNextCursor,
    IReadOnlyList<HotlineDto> Hotlines,
    EmergencyNoticeDto Emergency);

/// <summary>One result. <c>geometry</c> is a Point [lon, lat] for a public location, the county's (Multi)Polygon for
/// a confidential one (<c>properties.approximate</c> or <c>properties.confidential</c> true), or null when the listing
/// has no location to show. <c>properties</c> is the result card, with <c>list</c> saying which list it is in
/// (results, or servingThisPlace).</summary>
public sealed record GeoJsonFeature(string Type, string Id, GeoJsonGeometryDto? Geometry, GeoJsonCardDto Properties);

/// <summary>A GeoJSON geometry: Point, Polygon or MultiPolygon, coordinates as [lon, lat] positions.</summary>
public sealed record GeoJsonGeometryDto(string Type, System.Text.Json.Nodes.JsonArray Coordinates);

/// <summary>A result card (<see cref="ResourceCardDto"/>) as a Feature's properties, with the list it belongs to.</summary>
public sealed record GeoJsonCardDto(
    string Id, string Name, string Kind, string? List, DistanceDto? Distance, bool? Approximate, string? Coverage, bool? OpenNow,
    bool? Confidential, string? Street1, string? Town, string? PostalCode, string? County, string? CountyFips, string? State,
    double? Latitude, double? Longitude, IReadOnlyList<string> Services, string? Phone, string? Text,
    IReadOnlyList<string> Languages, bool? Is24x7, bool? AcceptingReferrals, DateOnly? LastVerified, bool? IsDemo);
