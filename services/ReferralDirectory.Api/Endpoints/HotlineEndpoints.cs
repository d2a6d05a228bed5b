using ReferralDirectory.Api.Contracts;
using ReferralDirectory.Places;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Endpoints;

public static class HotlineEndpoints
{
    public static IEndpointRouteBuilder MapHotlines(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/hotlines").WithTags("Hotlines").AddEndpointFilter<QueryValidationFilter>()
            .AddEndpointFilter<Partners.PublicCacheFilter>().RequireRateLimiting(Partners.PublicAccess.Policy).RequireCors(Partners.PublicAccess.Policy)
            .MapGet("/", (PointQuery point, DirectoryIndex index, Gazetteer gazetteer, TimeProvider time) =>
            {
                var snap = index.Current;
                var at = snap.Place(point.Latitude, point.Longitude);
                return new HotlinesResponse(ResourceMapper.Point(point.Place, at, gazetteer),
                    SearchEndpoints.Hotlines(snap, at, time.GetUtcNow()), ResourceMapper.Emergency);
            })
            .WithName("Hotlines")
            .WithSummary("Hotlines and tiplines covering a point")
            .WithDescription("The national 24/7 hotline first, then state and local hotlines and tiplines covering lat/lon, and the 911 notice.");
        return app;
    }
}
