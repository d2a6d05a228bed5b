using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ReferralDirectory.Places;

namespace ReferralDirectory.Api.Geocoding;

/// <summary>Section <c>Geocoding</c>: street-address geocoding for admins. Off by default: the gazetteer answers.</summary>
public sealed class GeocodingOptions : IValidatableObject
{
    public const string Section = "Geocoding";

    /// <summary><c>None</c> (default: ZIP and town centres from the offline gazetteer) or <c>AzureMaps</c>.</summary>
    [RegularExpression("^(None|AzureMaps)$", ErrorMessage = "Geocoding:Provider must be None or AzureMaps.")]
    public string Provider { get; set; } = "None";

    public string AzureMapsEndpoint { get; set; } = "https://atlas.microsoft.com";

    /// <summary>The Azure Maps key: from a secret store or the environment (<c>Geocoding__AzureMapsKey</c>), never committed.</summary>
    public string? AzureMapsKey { get; set; }

    [Range(0.1, 60)] public double TimeoutSeconds { get; set; } = 5;
    [Range(0, 5)] public int MaxRetries { get; set; } = 2;

    public bool AzureMapsEnabled => Provider == "AzureMaps";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AzureMapsEnabled && string.IsNullOrWhiteSpace(AzureMapsKey))
            yield return new ValidationResult("Geocoding:AzureMapsKey is required when Geocoding:Provider is AzureMaps.", [nameof(AzureMapsKey)]);
        if (!Uri.TryCreate(AzureMapsEndpoint, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && !u.IsLoopback))
            yield return new ValidationResult("Geocoding:AzureMapsEndpoint must be an https URL.", [nameof(AzureMapsEndpoint)]);
    }
}

public sealed record GeocodeRequest(string? Street1, string? City, string? State, string? PostalCode);

/// <summary>Where an address is. <c>Source</c>: azure-maps, gazetteer-zip or gazetteer-town; the gazetteer's points are
/// area centres, so <c>Approximate</c> is true for them.</summary>
public sealed record GeocodeResult(double Latitude, double Longitude, string Source, bool Approximate, string? State, string? CountyFips, string? County, string? Note);

/// <summary>
/// Geocodes an admin's street address: Azure Maps Search Address when configured (its HttpClient goes through the
/// standard resilience handler, see <see cref="GeocodeEndpoints.AddGeocoding"/>: timeouts, jittered retries of
/// transient failures honouring Retry-After, a circuit breaker), else, or when Azure Maps fails or finds nothing, the
/// offline gazetteer (ZIP centre, then town centre).
/// </summary>
public sealed partial class AddressGeocoder(HttpClient http, IOptions<GeocodingOptions> options, Gazetteer gazetteer, ILogger<AddressGeocoder> logger)
{
    public const string HttpClientName = "azure-maps";
    private readonly GeocodingOptions _o = options.Value;

    public async Task<GeocodeResult?> GeocodeAsync(GeocodeRequest r, CancellationToken ct)
    {
        string? note = null;
        if (_o.AzureMapsEnabled && !string.IsNullOrWhiteSpace(r.Street1))
        {
            try
            {
                var (found, answered) = await AzureMapsAsync(r, ct);
                if (found is not null) return found;
                note = answered
                    ? "Azure Maps did not find the street address; this is the area's centre."
                    : "Azure Maps could not answer right now; this is the area's centre.";
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or JsonException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                LogFailed(logger, e.GetType().Name);
                note = "Azure Maps is not reachable right now; this is the area's centre.";
            }
        }
        else if (!string.IsNullOrWhiteSpace(r.Street1))
        {
            note = "Street-address geocoding is off; this is the area's centre.";
        }
        return Gazetteer(r, note);
    }

    /// <summary>The point Azure Maps found (null if none), and whether it answered at all (a success status).</summary>
    private async Task<(GeocodeResult? Found, bool Answered)> AzureMapsAsync(GeocodeRequest r, CancellationToken ct)
    {
        var query = string.Join(", ", new[] { r.Street1, r.City, r.State, r.PostalCode }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var url = $"{_o.AzureMapsEndpoint.TrimEnd('/')}/search/address/json?api-version=1.0&countrySet=US&limit=1&language=en-US"
                  + $"&query={Uri.EscapeDataString(query)}&subscription-key={Uri.EscapeDataString(_o.AzureMapsKey!)}";
        using var response = await http.GetAsync(url, ct);
        if (!response.IsSuccessStatusCode)
        {
            LogFailed(logger, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            return (null, false);
        }
        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        if (!doc.RootElement.TryGetProperty("results", out var results) || results.GetArrayLength() == 0) return (null, true);
        var first = results[0];
        var lat = first.GetProperty("position").GetProperty("lat").GetDouble();
        var lon = first.GetProperty("position").GetProperty("lon").GetDouble();
        if (!Geo.GeoMath.IsValidLatitude(lat) || !Geo.GeoMath.IsValidLongitude(lon)) return (null, true);
        var at = gazetteer.Locate(lat, lon);
        return (new GeocodeResult(lat, lon, "azure-maps", false, at.State?.Code, at.County?.Fips, at.County?.Name, null), true);
    }

    private GeocodeResult? Gazetteer(GeocodeRequest r, string? note)
    {
        if (!string.IsNullOrWhiteSpace(r.PostalCode) && gazetteer.FindZip(r.PostalCode) is { } zip)
            return Result(zip.Latitude, zip.Longitude, "gazetteer-zip", note);
        if (!string.IsNullOrWhiteSpace(r.City) && gazetteer.FindCity($"{r.City}, {r.State}").Place is { } town)
            return Result(town.Latitude, town.Longitude, "gazetteer-town", note);
        return null;
    }

    private GeocodeResult Result(double lat, double lon, string source, string? note)
    {
        var at = gazetteer.Locate(lat, lon);
        return new GeocodeResult(lat, lon, source, true, at.State?.Code, at.County?.Fips, at.County?.Name, note);
    }

    // Never the address or the key: only what went wrong.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure Maps geocoding failed ({Reason}); using the gazetteer")]
    private static partial void LogFailed(ILogger logger, string reason);
}
