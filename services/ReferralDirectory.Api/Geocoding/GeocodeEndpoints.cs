using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Api.Admin;
using ReferralDirectory.Api.Auth;

namespace ReferralDirectory.Api.Geocoding;

public static class GeocodeEndpoints
{
    public static IServiceCollection AddGeocoding(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<GeocodingOptions>().Bind(config.GetSection(GeocodingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // No request logging on this client: its URLs carry the key and an admin's address.
        services.AddSingleton<AzureMapsPipeline>();
        services.AddHttpClient<AddressGeocoder>(AddressGeocoder.HttpClientName).RemoveAllLoggers();
        return services;
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
        .WithName("AdminGeocode")
        .WithSummary("Where an address is: Azure Maps when configured, else (or when it fails) the ZIP or town centre from the offline gazetteer");
        return app;
    }
}
