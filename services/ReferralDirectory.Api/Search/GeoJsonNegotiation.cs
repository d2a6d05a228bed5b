using Microsoft.Net.Http.Headers;

namespace ReferralDirectory.Api.Search;

/// <summary>Marks an endpoint whose answer is also available as GeoJSON (documented in OpenAPI).</summary>
public sealed class GeoJsonOutputMetadata;

/// <summary>Content negotiation for search answers: JSON by default, a GeoJSON FeatureCollection (RFC 7946) when the
/// client prefers <c>application/geo+json</c>. Errors stay problem+json.</summary>
public static class GeoJsonNegotiation
{
    public const string MediaType = "application/geo+json";

    /// <summary>True when Accept lists application/geo+json with a quality at least that of application/json.</summary>
    public static bool WantsGeoJson(HttpRequest request)
    {
        if (request.Headers.Accept.Count == 0) return false;
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var types)) return false;
        double geo = 0, json = 0;
        foreach (var t in types)
        {
            var q = t.Quality ?? 1;
            if (t.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase)) geo = Math.Max(geo, q);
            else if (t.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)) json = Math.Max(json, q);
        }
        return geo > 0 && geo >= json;
    }
}
