using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Api.Partners;
using ReferralDirectory.Geo;
using ReferralDirectory.Guidance;

namespace ReferralDirectory.Api.Guidance;

/// <summary>Guidance from the public Missouri pages (what to look for, what to do, questions to ask, youth safety)
/// and state profiles, in English and Spanish, as public cacheable reads.</summary>
public static class GuidanceEndpoints
{
    public static IServiceCollection AddGuidance(this IServiceCollection services) =>
        services.AddSingleton(new GuidanceMapper(GuidanceLibrary.Default)); // read and checked on start: bad data stops the service starting

    public static IEndpointRouteBuilder MapGuidance(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Guidance")
            .AddEndpointFilter<QueryValidationFilter>().AddEndpointFilter<ContentLanguageFilter>().AddEndpointFilter<PublicCacheFilter>()
            .RequireRateLimiting(PublicAccess.Policy).RequireCors(PublicAccess.Policy);

        group.MapGet("/guidance", (LanguageQuery language, GuidanceMapper guidance) => TypedResults.Ok(guidance.GuidanceIn(language.Language)))
            .WithName("Guidance")
            .WithSummary("How to recognize human trafficking, what to do, questions to ask, safety tips for youth")
            .WithDescription("Guidance quoted from public Missouri pages, in English or Spanish (lang=en|es, else Accept-Language; Content-Language says which). " +
                             "Every item names its source page and the date its text was copied. Carries the hotlines and the 911 notice.");

        group.MapGet("/states/{state}/profile", Results<Ok<StateProfileResponse>, ProblemHttpResult> (string state, LanguageQuery language, GuidanceMapper guidance) =>
            {
                var known = state.Length == 2 ? UsStates.ByCode(state) : null;
                if (known is not null && guidance.ProfileIn(known.Code, language.Language) is { } profile) return TypedResults.Ok(profile);
                return NotFound(known, state, language.Language, guidance);
            })
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("StateProfile")
            .WithSummary("A state's human trafficking profile: hotline statistics, top venues, laws, collaborations, resources, funding, hotlines")
            .WithDescription("Missouri (MO) has a profile. An unknown state code, or a state without a profile, is a 404 problem that still gives the National Human Trafficking Hotline. " +
                             "Language as for /v1/guidance.");
        return app;
    }

    private static ProblemHttpResult NotFound(UsState? state, string asked, string l, GuidanceMapper guidance)
    {
        var national = guidance.NationalHotlineIn(l);
        var call = national.Phones.First(p => p.Type == PhoneLinks.Voice).Number;
        var text = national.Phones.FirstOrDefault(p => p.Type == PhoneLinks.Text)?.Number;
        var es = l == GuidanceLanguages.Spanish;
        var help = es
            ? $"La {national.Name} (Línea Nacional contra la Trata de Personas) atiende las 24 horas, los 7 días, en todo Estados Unidos: llame al {call}" + (text is null ? "." : $" o envíe un mensaje de texto al {text}.")
            : $"The {national.Name} answers 24/7 across the United States: call {call}" + (text is null ? "." : $" or text {text}.");
        var shown = asked.Length <= 2 && asked.All(char.IsAsciiLetter) ? $"'{asked}'" : (es ? "Ese valor" : "That value");
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = state is null
                ? (es ? "No conocemos ese estado." : "Unknown state.")
                : (es ? "Todavía no hay un perfil para este estado." : "There is no profile for this state yet."),
            Detail = state is null
                ? (es ? $"{shown} no es un código de estado de EE. UU. Use un código de dos letras, como MO. {help}" : $"{shown} is not a U.S. state code. Use a two-letter code such as MO. {help}")
                : (es ? $"Todavía no tenemos un perfil para {state.Name}. {help}" : $"We do not have a profile for {state.Name} yet. {help}"),
        };
        problem.Extensions["hotlines"] = new[] { national };
        problem.Extensions["emergency"] = guidance.EmergencyIn(l);
        problem.Extensions["statesWithProfiles"] = guidance.StatesWithProfiles;
        return TypedResults.Problem(problem);
    }
}
