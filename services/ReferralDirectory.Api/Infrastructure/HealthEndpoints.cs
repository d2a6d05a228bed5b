using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (the checks tagged <c>ready</c>: index loaded,
/// store reachable, sync lag), both as JSON: the overall status, <c>inRotation</c>, and each check's status,
/// description and data. Ready's HTTP status is <see cref="RotationRule"/>'s: 200 in rotation, 503 out.
/// Never cached. Exception details stay in the logs, not in these public answers.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapDirectoryHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = (ctx, r) => WriteAsync(ctx, r, inRotation: null) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = (ctx, report) =>
            {
                var inRotation = RotationRule.InRotation(report);
                ctx.Response.StatusCode = inRotation ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                return WriteAsync(ctx, report, inRotation);
            },
        });
        return app;
    }

    private static async Task WriteAsync(HttpContext ctx, HealthReport report, bool? inRotation)
    {
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await using var w = new Utf8JsonWriter(ctx.Response.Body);
        w.WriteStartObject();
        w.WriteString("status", report.Status.ToString());
        if (inRotation is { } r) w.WriteBoolean("inRotation", r);
        w.WriteNumber("totalDurationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        w.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            w.WriteStartObject(name);
            w.WriteString("status", entry.Status.ToString());
            if (entry.Description is { } d) w.WriteString("description", d);
            w.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            w.WriteStartObject("data");
            foreach (var (key, value) in entry.Data)
            {
                switch (value)
                {
                    case bool b: w.WriteBoolean(key, b); break;
                    case int i: w.WriteNumber(key, i); break;
                    case long l: w.WriteNumber(key, l); break;
                    case double x: w.WriteNumber(key, x); break;
                    default: w.WriteString(key, value?.ToString()); break;
                }
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        await w.FlushAsync(ctx.RequestAborted);
    }
}
