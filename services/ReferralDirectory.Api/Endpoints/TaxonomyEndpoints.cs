using ReferralDirectory.Api.Contracts;
using ReferralDirectory.Api.Partners;
using ReferralDirectory.Model;

namespace ReferralDirectory.Api.Endpoints;

public static class TaxonomyEndpoints
{
    private static readonly TaxonomyResponse Response = new(
        Taxonomy.Scheme,
        [.. Taxonomy.All.Select(Dto)],
        [.. ListingKinds.All.Select(Dto)],
        [.. Populations.All.Select(Dto)],
        [.. TraffickingTypes.All.Select(Dto)],
        [.. CollaborationTypes.All.Select(Dto)]);

    private static CodeLabelDto Dto(CodeLabel c) => new(c.Code, c.Label, c.Description);

    public static IEndpointRouteBuilder MapTaxonomy(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/taxonomy").PublicReads().MapMethods("/", PublicReadConventions.GetAndHead, () => Response)
            .WithTags("Taxonomy")
            .WithName("Taxonomy")
            .WithSummary("Service codes and the other filter vocabularies, with labels")
            .WithDescription("Codes are stable: new ones are added, existing ones never change meaning.");
        return app;
    }
}
