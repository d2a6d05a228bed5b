using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// OpenTelemetry traces, metrics and logs: ASP.NET Core, HttpClient, the runtime, the store calls (spans from
/// <see cref="Source"/>, see <see cref="TracedDirectoryStore"/>) and the directory's own figures on the Meter
/// <see cref="Name"/> (<see cref="DirectoryMetrics"/>). Exported to Azure Monitor when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (infra/ passes it to the container app), to an OTLP collector
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (both when both are), and nowhere otherwise.
/// <para>Searchers' privacy: no query string leaves the process. Every span's <c>url.query</c> is dropped and the
/// query part of <c>url.full</c> / <c>http.url</c> / <c>http.target</c> is cut off (<see cref="QueryStringScrubber"/>,
/// the first processor, so it runs before any exporter); metric tags are route templates, never values; log
/// records go through the same filters as every other log (request lines held at Warning, see Program.cs).</para>
/// </summary>
public static class Telemetry
{
    /// <summary>The directory's ActivitySource and Meter name.</summary>
    public const string Name = "ReferralDirectory";
    public const string ServiceName = "referral-directory";
    public const string AzureMonitorConnectionStringVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Spans around the directory's own work (store calls).</summary>
    public static readonly ActivitySource Source = new(Name);

    public static WebApplicationBuilder AddDirectoryTelemetry(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.AddSingleton<DirectoryMetrics>();
        builder.Services.AddSingleton<IStartupFilter, SearchTimingStartupFilter>();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(t => t
                .AddProcessor(new QueryStringScrubber())
                .AddSource(Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithMetrics(m => m
                .AddMeter(Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithLogging(_ => { }, o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = false;
            });
        if (!string.IsNullOrWhiteSpace(config[AzureMonitorConnectionStringVariable])) otel.UseAzureMonitor();
        if (!string.IsNullOrWhiteSpace(config[OtlpEndpointVariable])) otel.UseOtlpExporter();
        return builder;
    }

    /// <summary>Drops the query string from every span before any exporter sees it: the searched coordinates, ZIP code
    /// or town travel in it (and, for the geocoding client, an admin's address and the Azure Maps key).</summary>
    internal sealed class QueryStringScrubber : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity activity)
        {
            if (activity.GetTagItem("url.query") is not null) activity.SetTag("url.query", null);
            foreach (var key in (ReadOnlySpan<string>)["url.full", "http.url", "http.target"])
            {
                if (activity.GetTagItem(key) is string s && s.IndexOf('?') is var q and >= 0) activity.SetTag(key, s[..q]);
            }
        }
    }

    /// <summary>Times the search routes (first in the pipeline, so the whole answer is measured).</summary>
    private sealed class SearchTimingStartupFilter(DirectoryMetrics metrics, TimeProvider time) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                var start = time.GetTimestamp();
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route } && HttpMethods.IsGet(context.Request.Method))
                        metrics.RecordSearch(route, time.GetElapsedTime(start));
                }
            });
            next(app);
        };
    }
}

/// <summary>
/// The directory's own figures, on the Meter <see cref="Telemetry.Name"/> (created through <see cref="IMeterFactory"/>:
/// other parts of the service add their instruments to the same Meter by name). No instrument is tagged with anything
/// a searcher typed: the search histogram's only tag is the route template.
/// </summary>
public sealed class DirectoryMetrics
{
    /// <summary>The routes timed as searches (route templates, as the endpoints declare them).</summary>
    public static readonly IReadOnlySet<string> SearchRoutes = new HashSet<string>(StringComparer.Ordinal)
    {
        "/v1/resources/nearest", "/v1/resources/serving", "/v1/resources/", "/v1/hotlines/",
        "/hsds/organizations", "/hsds/services", "/hsds/service_at_locations",
    };

    public const string SearchDuration = "referral_directory.search.duration";
    public const string IndexListings = "referral_directory.index.listings";
    public const string ImportRows = "referral_directory.import.rows";

    private readonly Histogram<double> _searchDuration;
    private readonly Counter<long> _importRows;

    public DirectoryMetrics(IMeterFactory meters, DirectoryIndex index)
    {
        var meter = meters.Create(Telemetry.Name);
        _searchDuration = meter.CreateHistogram(SearchDuration, "s", "Time to answer a search, by route template.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        meter.CreateObservableGauge(IndexListings, () => index.Current.Count, "{listing}", "Listings in the search index (live ones).");
        _importRows = meter.CreateCounter<long>(ImportRows, "{row}",
            "Rows (CSV) or documents (HSDS) in admin imports, by format and outcome (created, updated, unchanged, rejected, validated).");
    }

    internal void RecordSearch(string routeTemplate, TimeSpan elapsed)
    {
        if (SearchRoutes.Contains(routeTemplate)) _searchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("http.route", routeTemplate));
    }

    /// <summary>Counts an import's rows: created/updated/unchanged for a real run, rejected when the file had problems
    /// (nothing written), validated for a dry run.</summary>
    public void RecordImport(string format, ImportReport report)
    {
        void Add(long n, string outcome)
        {
            if (n > 0) _importRows.Add(n, new KeyValuePair<string, object?>("format", format), new KeyValuePair<string, object?>("outcome", outcome));
        }
        if (report.DryRun) Add(report.Rows, "validated");
        else if (!report.Succeeded) Add(report.Rows, "rejected");
        else
        {
            Add(report.Created, "created");
            Add(report.Updated, "updated");
            Add(report.Unchanged, "unchanged");
        }
    }
}
