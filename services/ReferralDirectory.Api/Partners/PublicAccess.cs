using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Infrastructure;

namespace ReferralDirectory.Api.Partners;

/// <summary>Section <c>Cors</c>.</summary>
public sealed class CorsOptions
{
    public const string Section = "Cors";
    /// <summary>Origins of partner sites allowed to call the public API from a browser.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>Rate limits, CORS and HTTP caching for the public API.</summary>
public static class PublicAccess
{
    public const string Policy = "public";

    public static IServiceCollection AddPublicAccess(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RateLimitOptions>().Bind(config.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CorsOptions>().Bind(config.GetSection(CorsOptions.Section)).Validate(o => o.AllowedOrigins.All(a => Uri.TryCreate(a, UriKind.Absolute, out var u) && u.AbsolutePath == "/"),
            "Cors:AllowedOrigins must be origins such as https://partner.example.org").ValidateOnStart();
        services.AddSingleton<ApiKeyRegistry>();
        services.AddHostedService<ApiKeyRefresher>();
        services.AddCors(o => o.AddPolicy(Policy, _ => { }));
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<CorsOptions>>((cors, ours) =>
            cors.AddPolicy(Policy, p => p.WithOrigins(ours.Value.AllowedOrigins).WithMethods("GET").WithHeaders(ApiKeyRegistry.Header, "Accept", "If-None-Match").WithExposedHeaders("ETag", "Retry-After")));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                var retry = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var ra) ? ra : TimeSpan.FromSeconds(60);
                var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
                ctx.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problems = ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many requests.", Detail = $"Please wait {seconds} seconds and try again. Partners can ask for an API key with a higher limit." },
                });
            };
            o.AddPolicy(Policy, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                if (http.Items[KeyItem] is Storage.ApiKeyRecord key)
                    return RateLimitPartition.GetFixedWindowLimiter("key:" + key.Id, _ => Window(key.RequestsPerMinute));
                // Signed-in caseworkers and admins are limited per person, not per shared office address. A valid token
                // without a directory role, and a guessed key (answered 401 after this limit), count as anonymous.
                if (http.User.Identity?.IsAuthenticated == true && HasDirectoryRole(http.User))
                    return RateLimitPartition.GetFixedWindowLimiter("user:" + http.User.ToActor().ObjectId, _ => Window(limits.DefaultPartnerPerMinute));
                var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter("ip:" + ip, _ => Window(limits.AnonymousPerMinute));
            });
        });
        return services;
    }

    private static bool HasDirectoryRole(System.Security.Claims.ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Editor) || user.IsInRole(Roles.Caseworker);

    private static FixedWindowRateLimiterOptions Window(int perMinute) => new()
    {
        PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
    };

    internal const string KeyItem = "partner-key";
    private const string InvalidKeyItem = "partner-key-invalid";

    /// <summary>Reads <c>X-Api-Key</c>: a valid key selects the partner's quota. An unknown or revoked one is answered 401
    /// by <see cref="RefuseInvalidPartnerKeys"/>, after the rate limiter has counted it against the caller's address
    /// (so guessing keys costs the anonymous quota).</summary>
    public static IApplicationBuilder UsePartnerKeys(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Headers.TryGetValue(ApiKeyRegistry.Header, out var presented))
        {
            var registry = http.RequestServices.GetRequiredService<ApiKeyRegistry>();
            if (registry.Find(presented.ToString()) is { } key) http.Items[KeyItem] = key;
            else http.Items[InvalidKeyItem] = true;
        }
        await next(http);
    });

    /// <summary>The 401 for an unknown or revoked partner key (never silently anonymous).</summary>
    public static IApplicationBuilder RefuseInvalidPartnerKeys(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Items.ContainsKey(InvalidKeyItem))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = 401, Title = "The API key is not valid.", Detail = "Check the X-Api-Key header, or leave it out to search anonymously with the public limit." },
            });
            return;
        }
        await next(http);
    });
}

/// <summary>Conventions of every public read route group: unknown or invalid query parameters are a 400 problem,
/// the public rate limit and CORS policy apply, and answers follow <see cref="PublicAnswer"/>'s HTTP conventions.</summary>
public static class PublicReadConventions
{
    /// <summary>Public reads answer GET and HEAD.</summary>
    public static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static RouteGroupBuilder PublicReads(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<Endpoints.QueryValidationFilter>().AddEndpointFilter<PublicCacheFilter>()
            .RequireRateLimiting(PublicAccess.Policy).RequireCors(PublicAccess.Policy);
        return group;
    }
}

/// <summary>
/// Public reads that answer an object (taxonomy, HSDS documents, guidance) are serialized once and sent as a
/// <see cref="PublicAnswer"/>: ETag, Cache-Control, Vary, 304, compression, HEAD. Answers that depend on who asks (a
/// caseworker's exact details) are private and not stored.
/// </summary>
public sealed class PublicCacheFilter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IEndpointFilter
{
    // JsonHttpResult<T> exposes its options on a property of the closed generic type: look it up once per type.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.PropertyInfo?> OptionsProperty = new();

    private static JsonSerializerOptions? OptionsOf(object result) =>
        OptionsProperty.GetOrAdd(result.GetType(), t => t.GetProperty("JsonSerializerOptions"))?.GetValue(result) as JsonSerializerOptions;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is PublicAnswer) return result;
        var value = inner switch
        {
            IValueHttpResult v when inner is IStatusCodeHttpResult { StatusCode: 200 } => v.Value,
            IResult => null,
            _ => result,
        };
        if (value is null) return result;
        // A result that names its own serializer options (HSDS is snake_case) keeps them, and its content type.
        var options = (inner is null ? null : OptionsOf(inner)) ?? json.Value.SerializerOptions;
        var contentType = (inner as IContentTypeHttpResult)?.ContentType ?? "application/json";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), options);
        return PublicAnswer.Bytes(bytes, contentType, context.HttpContext.User.MaySeeConfidential(), vary: "Accept, Authorization");
    }
}

/// <summary>Reloads partner keys at start and periodically (keys created on other instances).</summary>
public sealed partial class ApiKeyRefresher(ApiKeyRegistry registry, Infrastructure.StartupState state, IOptions<RateLimitOptions> options, TimeProvider time, ILogger<ApiKeyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!state.Ready && !stoppingToken.IsCancellationRequested) await Task.Delay(50, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.KeyRefreshSeconds), time);
        do
        {
            try { await registry.RefreshAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { LogFailed(logger, e); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading partner keys failed; keeping the current set")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
