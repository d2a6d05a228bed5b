using Microsoft.Net.Http.Headers;
using ReferralDirectory.Api.Contracts;
using ReferralDirectory.Places;

namespace ReferralDirectory.Api.Endpoints;

/// <summary>Marks an endpoint whose answer is also available as GeoJSON (documented in OpenAPI).</summary>
public sealed class GeoJsonOutputMetadata;

/// <summary>
/// Content negotiation for search answers: when the client prefers <c>application/geo+json</c> (RFC 7946) the
/// answer is sent as a FeatureCollection instead of the JSON document. Errors stay problem+json.
/// </summary>
public sealed class GeoJsonNegotiation(Gazetteer gazetteer) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        context.HttpContext.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
        if (!WantsGeoJson(context.HttpContext.Request)) return result;
        var value = result is INestedHttpResult nested ? nested.Result : result;
        if (value is IValueHttpResult { Value: { } inner }) value = inner;
        GeoJsonFeatureCollection? fc = value switch
        {
            NearestResponse r => GeoJsonMapper.From(r, gazetteer),
            ServingResponse r => GeoJsonMapper.From(r, gazetteer),
            ResourcePage r => GeoJsonMapper.From(r, gazetteer),
            _ => null,
        };
        return fc is null ? result : TypedResults.Json(fc, contentType: GeoJsonMapper.MediaType);
    }

    /// <summary>True when Accept lists application/geo+json with a quality at least that of application/json and */*.</summary>
    public static bool WantsGeoJson(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var types)) return false;
        double geo = 0, json = 0;
        foreach (var t in types)
        {
            var q = t.Quality ?? 1;
            if (t.MediaType.Equals(GeoJsonMapper.MediaType, StringComparison.OrdinalIgnoreCase)) geo = Math.Max(geo, q);
            else if (t.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)) json = Math.Max(json, q);
        }
        return geo > 0 && geo >= json;
    }
}
