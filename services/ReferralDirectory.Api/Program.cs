using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Api.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

// Searchers' privacy: the request line (with lat/lon, zip or near in the query string) is logged by ASP.NET Core's
// hosting diagnostics at Information level. Keep that category at Warning whatever the configuration says.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

builder.Services.AddReferralDirectory(builder.Configuration);
builder.Services.AddDirectoryProblemDetails();
builder.Services.AddDirectoryOpenApi();
builder.Services.AddHealthChecks()
    .AddCheck<ReadinessCheck>("directory", tags: ["ready"]);
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDirectoryOpenApi();

app.MapSearch();
app.MapHotlines();
app.MapTaxonomy();
app.MapHsds();
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });

app.Run();

/// <summary>Ready once the store is open and the search index is loaded.</summary>
internal sealed class ReadinessCheck(StartupState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(state.Ready ? HealthCheckResult.Healthy("Search index loaded.") : HealthCheckResult.Unhealthy("Starting."));
}

public partial class Program;
