using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralDirectory.Api.Admin;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Api.Geocoding;
using ReferralDirectory.Api.Guidance;
using ReferralDirectory.Api.Hsds;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Api.Maps;
using ReferralDirectory.Api.Partners;
using ReferralDirectory.Api.Search;
using ReferralDirectory.Api.Suggestions;
using ReferralDirectory.Api.Towns;
using ReferralDirectory.Api.WebPages;
using ReferralDirectory.Api.WebPages.Admin;
using ReferralDirectory.Api.WebPages.Staff;

if (args.FirstOrDefault() == "dev-token")
{
    var devConfig = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json"), optional: true).AddEnvironmentVariables().AddCommandLine(args.Skip(1).Where(a => a.Contains('=')).ToArray()).Build();
    return DevTokens.Run(args, devConfig, ContentRoot.Effective(args), TimeProvider.System);
}

if (args is ["copy-store", ..])
{
    return await StoreCopyCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Default(args) });
if (builder.Environment.IsDevelopment() && builder.Configuration["AzureAd:SigningKeysFile"] is { } devKeys)
{
    DevTokens.EnsureKeys(Path.GetDirectoryName(ReferralDirectory.Storage.LocalPaths.FromConfiguration(devKeys, builder.Environment.ContentRootPath))!).Dispose();
}
builder.AddDirectoryTelemetry();
// Searchers' privacy: request lines carry search coordinates, ZIP codes and towns; never log them at information level,
// whatever the configuration says (post-configured rules come last and win).
builder.Services.PostConfigure<LoggerFilterOptions>(o =>
{
    foreach (var category in (ReadOnlySpan<string>)["Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.HttpLogging"])
        o.Rules.Add(new LoggerFilterRule(null, category, LogLevel.Warning, null));
});
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.AnswerProtocolRejectionsWithProblems();
    k.Limits.MaxRequestBodySize = 1024 * 1024;
    k.Limits.MaxRequestLineSize = RequestSizeRules.KestrelRequestLineLimit;
    k.Limits.MaxRequestHeadersTotalSize = RequestSizeRules.KestrelHeadersLimit;
});

builder.Services.AddReferralDirectory(builder.Configuration);
builder.Services.AddDirectoryAuth(builder.Configuration);
builder.Services.AddPublicAccess(builder.Configuration);
builder.Services.AddSuggestions(builder.Configuration);
builder.Services.AddGeocoding(builder.Configuration);
builder.Services.AddDirectoryForwardedHeaders(builder.Configuration);
builder.Services.AddOptions<VerificationOptions>().Bind(builder.Configuration.GetSection(VerificationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddDirectoryProblemDetails();
builder.Services.AddDirectoryOpenApi();
builder.Services.AddGuidance();
builder.Services.AddWebPages(builder.Configuration);
builder.Services.AddRazorComponents(); // the staff pages (WebPages/Staff/*.razor): static server-side rendering only
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    o.SerializerOptions.MaxDepth = 32;
});
builder.Services.AddHealthChecks()
    .AddCheck<ReadinessCheck>("directory", tags: ["ready"])
    .AddCheck<StoreHealthCheck>(RotationRule.Store, tags: ["ready"])
    .AddCheck<SyncHealthCheck>(RotationRule.Sync, tags: ["ready"]);
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

var app = builder.Build();

app.UseDirectoryForwardedHeaders();

app.UseSecurityHeaders();
app.UseRequestSizeRules();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDirectoryOpenApi();
app.UseWebPages();
app.UseCors(PublicAccess.Policy);
app.UseAuthentication();
app.UseAuthorization();
app.UsePartnerKeys();
app.UseRateLimiter();
app.RefuseInvalidPartnerKeys();
app.UseStrictJsonBodies();

app.MapSearch();
app.MapTaxonomy();
app.MapAdminListings();
app.MapAdminReview();
app.MapAdminApprovals();
app.MapApiKeys();
app.MapAdminImports();
app.MapGeocode();
app.MapHsds();
app.MapGuidance();
app.MapOutlines();
app.MapTownSuggestions();
app.MapSuggestions();
app.MapLandingPage();
app.MapStaffSignIn();
app.MapStaffPages();
app.MapAdminEditPages();
app.MapListingEditorPages();
app.MapApprovalPages();
app.MapAdminOpsPages();
app.MapAdminImportPages();
app.MapSuggestionPages();
app.MapDirectoryHealth();

app.Run();
return 0;

/// <summary>Ready once the store is open and the search index is loaded.</summary>
internal sealed class ReadinessCheck(StartupState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(state.Ready ? HealthCheckResult.Healthy("Search index loaded.") : HealthCheckResult.Unhealthy("Starting."));
}

public partial class Program;
