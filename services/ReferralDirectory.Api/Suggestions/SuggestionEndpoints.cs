using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Admin;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Partners;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Suggestions;

/// <summary>Section <c>Suggestions</c>.</summary>
public sealed class SuggestionOptions
{
    public const string Section = "Suggestions";
    /// <summary>Suggestions a client address may send per minute (the public's corrections form is small and rare).</summary>
    [Range(1, 10_000)] public int PerMinute { get; set; } = 5;
}

/// <summary>A correction suggested by the public. No personal data is required; <c>contact</c> is optional.</summary>
public sealed record SuggestionRequest(string? ListingId, string? Field, string? Message, string? Contact);

public sealed record SuggestionAccepted(string Id);

public sealed record SuggestionResponse(string Id, string ListingId, string? ListingName, string Field, string Message, string? Contact, DateTimeOffset CreatedAt);

public sealed record SuggestionListResponse(IReadOnlyList<SuggestionResponse> Items);

public sealed record SuggestionResolveRequest(string? Note);

/// <summary>
/// <c>POST /v1/suggestions</c> (public: the widget's "Report a correction" form) and the editors' API under
/// <c>/v1/admin/suggestions</c> (the open suggestions, apply, dismiss). The public route has its own small rate limit per
/// client address (<see cref="SuggestionOptions"/>, the public API's 429 problem) and a CORS policy for the same partner
/// origins as the public reads, allowing POST; answers are never cached.
/// </summary>
public static class SuggestionEndpoints
{
    public const string Policy = "suggestions";

    public static IServiceCollection AddSuggestions(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SuggestionOptions>().Bind(config.GetSection(SuggestionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PublicSuggestions>();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<CorsOptions>>((cors, ours) =>
            cors.AddPolicy(Policy, p => p.WithOrigins(ours.Value.AllowedOrigins).WithMethods("POST")
                .WithHeaders(ApiKeyRegistry.Header, "Accept", "Content-Type").WithExposedHeaders("Retry-After")));
        services.AddRateLimiter(o => o.AddPolicy(Policy, http =>
        {
            var perMinute = http.RequestServices.GetRequiredService<IOptions<SuggestionOptions>>().Value.PerMinute;
            var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetFixedWindowLimiter("suggest:" + ip, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
            });
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapSuggestions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/suggestions", Create).WithTags("Suggestions").WithName("CreateSuggestion")
            .WithSummary("Suggest a correction to a listing (public, no personal data required, rate-limited per client)")
            .WithDescription($"field is one of {string.Join(", ", SuggestionRules.Fields)}; message {SuggestionRules.MessageMin} to {SuggestionRules.MessageMax} characters; " +
                $"contact optional (at most {SuggestionRules.ContactMax} characters). The suggestion waits in the editors' inbox. Problems name the field, never echo what was sent.")
            .Accepts<SuggestionRequest>("application/json").Produces<SuggestionAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(Policy).RequireCors(Policy).AddEndpointFilter<NoStoreFilter>();

        var admin = app.MapGroup("/v1/admin/suggestions").WithTags("Admin: suggestions").RequireAuthorization(Policies.Edit).AddEndpointFilter<NoStoreFilter>();
        admin.MapGet("/", List).WithName("AdminListSuggestions").WithSummary("Open suggestions from the public, newest first")
            .Produces<SuggestionListResponse>();
        admin.MapPost("/{id}/apply", (HttpContext http, string id, SuggestionResolveRequest? request, PublicSuggestions suggestions, CancellationToken ct) =>
                ResolveAsync(http, id, applied: true, request, suggestions, ct))
            .WithName("AdminApplySuggestion").WithSummary("Mark a suggestion applied (the listing is edited through the listing API), with an optional note")
            .Accepts<SuggestionResolveRequest>("application/json").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/{id}/dismiss", (HttpContext http, string id, SuggestionResolveRequest? request, PublicSuggestions suggestions, CancellationToken ct) =>
                ResolveAsync(http, id, applied: false, request, suggestions, ct))
            .WithName("AdminDismissSuggestion").WithSummary("Dismiss a suggestion, with an optional note")
            .Accepts<SuggestionResolveRequest>("application/json").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> Create(SuggestionRequest request, DirectoryIndex index, PublicSuggestions suggestions, CancellationToken ct)
    {
        var errors = SuggestionRules.Problems(request);
        var listingId = request.ListingId?.Trim();
        if (!errors.ContainsKey("listingId") && index.Current.Get(listingId!) is null) errors["listingId"] = [SuggestionRules.UnknownListingMessage];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The suggestion has invalid fields.");
        var item = await suggestions.CreateAsync(listingId!, request.Field!, SuggestionRules.Trimmed(request.Message)!, SuggestionRules.Trimmed(request.Contact), ct);
        return TypedResults.Accepted((string?)null, new SuggestionAccepted(item.Id));
    }

    private static async Task<IResult> List(PublicSuggestions suggestions, IDirectoryStore store, CancellationToken ct)
    {
        var items = new List<SuggestionResponse>();
        foreach (var item in await suggestions.OpenAsync(ct))
        {
            var p = PublicSuggestions.Read(item);
            var listing = item.ListingId is null ? null : await store.GetAsync(item.ListingId, ct);
            items.Add(new SuggestionResponse(item.Id, item.ListingId ?? "", listing?.Listing.Name, p.Field, p.Message, p.Contact, item.CreatedAt));
        }
        return TypedResults.Ok(new SuggestionListResponse(items));
    }

    private static async Task<IResult> ResolveAsync(HttpContext http, string id, bool applied, SuggestionResolveRequest? request, PublicSuggestions suggestions, CancellationToken ct)
    {
        if (!PublicSuggestions.NoteIsValid(request?.Note))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [$"Optional: at most {PublicSuggestions.NoteMax} characters."] });
        var (outcome, _) = await suggestions.ResolveAsync(id, applied, http.User.ToActor(), request?.Note, ct);
        return outcome switch
        {
            SuggestionOutcome.NotFound => Infrastructure.Problems.Of(StatusCodes.Status404NotFound, "No such suggestion.", "There is no suggestion with this id."),
            SuggestionOutcome.NotOpen => Infrastructure.Problems.Of(StatusCodes.Status409Conflict, "The suggestion is no longer open.", "Someone applied or dismissed it first."),
            _ => TypedResults.NoContent(),
        };
    }
}
