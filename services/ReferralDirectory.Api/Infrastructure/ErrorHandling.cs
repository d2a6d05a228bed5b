using Microsoft.AspNetCore.Diagnostics;

namespace ReferralDirectory.Api.Infrastructure;

public static class ErrorHandling
{
    /// <summary>Problem details (RFC 9457) for every error; no exception detail leaves the server.</summary>
    public static IServiceCollection AddDirectoryProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions.Remove("exception");
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<StoreUnavailableExceptionHandler>();
        services.AddExceptionHandler<SearchStoppedExceptionHandler>();
        return services;
    }

    /// <summary>Requests the framework could not read (bad JSON, bad route values) are the client's 400, not a 500.</summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems, Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            if (exception is not BadHttpRequestException bad) return false;
            context.Response.StatusCode = bad.StatusCode;
            var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read.", Detail = "Check the request's parameters and body." };
            if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge) problem.Title = "The request body is too large.";
            if (bad.InnerException is System.Text.Json.JsonException error)
            {
                var path = Problems.FieldOf(error.Path);
                // The handler runs with the endpoint cleared; the feature keeps the one that failed.
                var body = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
                var message = UnknownJsonField.IsUnknown(json.Value.SerializerOptions, body, error.Path) ? "Unknown field."
                    // The reader names no other sign of its depth limit than its message (the path stops at the outer member).
                    : error.Message.Contains("depth", StringComparison.OrdinalIgnoreCase) ? "The JSON is nested too deeply."
                    : error.Path is null ? "The body is not valid JSON." : "Wrong type of value, or not valid JSON here.";
                problem.Title = "The request body has invalid fields.";
                problem.Extensions["errors"] = new Dictionary<string, string[]> { [path] = [message] };
            }
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        }
    }

    /// <summary>A search stopped: the client went away (nothing to answer; the work stops there), or it ran past the
    /// server's time budget (Answers:TimeBudgetMilliseconds): 503 with Retry-After, so the backlog cannot grow.</summary>
    private sealed class SearchStoppedExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            if (exception is not OperationCanceledException) return false;
            if (context.RequestAborted.IsCancellationRequested) return true;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "The search took too long.",
                    Detail = "The service is busy. Try again in a moment, or narrow the search (a place, a service, fewer words).",
                },
            });
        }
    }

    /// <summary>A write the store could not take now: 503 with Retry-After (seconds); nothing was acknowledged.</summary>
    private sealed class StoreUnavailableExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            if (exception is not ReferralDirectory.Storage.StoreUnavailableException unavailable) return false;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            var seconds = Math.Max(1, (int)Math.Ceiling(unavailable.RetryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "The directory store is unavailable.",
                    Detail = $"Nothing was saved. Try again in {seconds} s; searches keep working.",
                },
            });
        }
    }
}
