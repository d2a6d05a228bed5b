using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using ReferralDirectory.Api.Admin;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Infrastructure;

namespace ReferralDirectory.Api.Geocoding;

public static class GeocodeEndpoints
{
    public static IServiceCollection AddGeocoding(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<GeocodingOptions>().Bind(config.GetSection(GeocodingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // No request logging on this client: its URLs carry the key and an admin's address.
        services.AddHttpClient<AddressGeocoder>(AddressGeocoder.HttpClientName).RemoveAllLoggers()
            .AddStandardResilienceHandler().Configure((o, sp) => ConfigureResilience(o, sp.GetRequiredService<IOptions<GeocodingOptions>>().Value));
        return services;
    }

    /// <summary>
    /// The Azure Maps client's resilience (Microsoft.Extensions.Http.Resilience's standard handler, one pipeline per
    /// process so the circuit breaker remembers across requests): each attempt times out after
    /// <c>Geocoding:TimeoutSeconds</c>; transient failures (HttpRequestException, timeouts, 408, 429, 5xx) are retried up to
    /// <c>Geocoding:MaxRetries</c> times with jittered exponential backoff from 200 ms, waiting as long as a Retry-After header
    /// asks; the circuit opens for 30 s when half the calls in 30 s (at least 5) fail; the whole call, retries included,
    /// is bounded too. Whatever fails, the geocoder answers from the gazetteer.
    /// </summary>
    internal static void ConfigureResilience(HttpStandardResilienceOptions o, GeocodingOptions g)
    {
        var attempt = TimeSpan.FromSeconds(g.TimeoutSeconds);
        o.AttemptTimeout.Timeout = attempt;
        o.Retry.MaxRetryAttempts = Math.Max(1, g.MaxRetries);
        o.Retry.BackoffType = DelayBackoffType.Exponential;
        o.Retry.UseJitter = true;
        o.Retry.Delay = TimeSpan.FromMilliseconds(200);
        o.Retry.ShouldRetryAfterHeader = true;
        var retryTransient = o.Retry.ShouldHandle;
        o.Retry.ShouldHandle = args => g.MaxRetries > 0 ? retryTransient(args) : ValueTask.FromResult(false);
        o.TotalRequestTimeout.Timeout = attempt * (g.MaxRetries + 1) + TimeSpan.FromSeconds(2);
        o.CircuitBreaker.FailureRatio = 0.5;
        o.CircuitBreaker.MinimumThroughput = 5;
        o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * g.TimeoutSeconds));
        o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
    }

    public static IEndpointRouteBuilder MapGeocode(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/admin/geocode", async (GeocodeRequest request, AddressGeocoder geocoder, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            void Check(string name, string? value, int max) { if (value is { } v && (v.Length > max || v.Any(char.IsControl))) errors[name] = [$"At most {max} characters, no control characters."]; }
            Check("street1", request.Street1, 200); Check("city", request.City, 100); Check("state", request.State, 2); Check("postalCode", request.PostalCode, 10);
            if (string.IsNullOrWhiteSpace(request.PostalCode) && string.IsNullOrWhiteSpace(request.City)) errors["city"] = ["Give a city and state, or a ZIP code."];
            if (errors.Count > 0) return Results.ValidationProblem(errors);
            return await geocoder.GeocodeAsync(request, ct) is { } found
                ? Results.Ok(found)
                : Problems.Of(StatusCodes.Status404NotFound, "The address was not found.", "Check the ZIP code, or the city and state.");
        })
        .WithTags("Admin: listings").RequireAuthorization(Policies.Edit).AddEndpointFilter<NoStoreFilter>()
        .WithName("AdminGeocode").Produces<GeocodeResult>().ProducesValidationProblem()
        .WithSummary("Where an address is: Azure Maps when configured, else (or when it fails) the ZIP or town centre from the offline gazetteer");
        return app;
    }
}
