using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Search;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Safety;

/// <summary>
/// OpenTelemetry: what the service records (ASP.NET Core and store spans, the directory's metrics, logs), that none of
/// it holds a searched place (coordinates, ZIP code, town) anywhere, and where it goes: to an OTLP collector when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set (a loopback collector receives it here), to Azure Monitor when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set, and nowhere otherwise.
/// </summary>
public sealed class TelemetryTests
{
    // Searched places, each given once, in every form a search takes: coordinates, ZIP code, town.
    private const string Lat = "38.71234", Lon = "-90.45678", Zip = "63119", Town = "Kirksville";
    private static readonly string[] Secrets = [Lat, Lon, "90.45678", Zip, Town, "40.16629", "92.59121"];

    private static readonly string[] Searches =
    [
        $"/v1/resources/nearest?lat={Lat}&lon={Lon}&service=emergency-shelter",
        $"/v1/resources/serving?lat={Lat}&lon={Lon}",
        $"/v1/hotlines?lat={Lat}&lon={Lon}",
        $"/v1/resources?lat={Lat}&lon={Lon}&radiusKm=20",
        $"/v1/resources/nearest?zip={Zip}",
        "/v1/resources/serving?near=Kirksville%2C%20MO",
        $"/hsds/service_at_locations?postcode={Zip}&proximity=20000",
    ];

    private static Dictionary<string, string?> Verbose() => new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
    };

    private static async Task SearchAsync(HttpClient client)
    {
        foreach (var url in Searches)
        {
            using var response = await client.GetAsync(url);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), url);
        }
    }

    /// <summary>Server spans end just after the answer is sent: wait (bounded) until the expected ones are exported.</summary>
    private static async Task WaitForAsync(Func<bool> done)
    {
        for (var i = 0; i < 100 && !done(); i++) await Task.Delay(50);
    }

    [Test]
    public async Task Spans_metrics_and_logs_hold_no_searched_place()
    {
        var spans = new ConcurrentQueue<Activity>();
        var metrics = new ConcurrentQueue<MetricSnapshot>();
        var logs = new ConcurrentQueue<LogRecord>();
        using var app = new DirectoryApp(settings: Verbose(), services: s =>
        {
            s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(new QueueCollection<Activity>(spans)));
            s.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(new QueueCollection<MetricSnapshot>(metrics)));
            s.ConfigureOpenTelemetryLoggerProvider(l => l.AddInMemoryExporter(new QueueCollection<LogRecord>(logs)));
        });
        using var client = app.Client();
        await SearchAsync(client);
        var csv = "external_id,kind,name\r\ntelemetry-1,hotline,Telemetry Line\r\ntelemetry-2,hotline,Other Line\r\n";
        var import = await client.SendAsync(HttpMethod.Post, "/v1/admin/import/csv?dryRun=true", TestTokens.For(Roles.Editor), rawBody: csv, contentType: "text/csv");
        Assert.That(import.Status, Is.EqualTo(System.Net.HttpStatusCode.OK));
        await WaitForAsync(() => spans.Count(a => a.Kind == ActivityKind.Server) >= Searches.Length + 1);
        app.Service<TracerProvider>().ForceFlush();
        app.Service<MeterProvider>().ForceFlush();
        app.Service<LoggerProvider>().ForceFlush();

        // What is recorded: a server span per search with its route template, spans around store calls, the figures.
        var server = spans.Where(a => a.Kind == ActivityKind.Server).ToList();
        Assert.That(server.Select(a => a.GetTagItem("http.route") as string), Is.SupersetOf(new[]
        {
            "/v1/resources/nearest", "/v1/resources/serving", "/v1/hotlines/", "/v1/resources/", "/hsds/service_at_locations",
        }));
        Assert.That(server.Select(a => a.GetTagItem("url.path") as string), Does.Contain("/v1/resources/nearest"));
        var store = spans.Where(a => a.Source.Name == Telemetry.Name).ToList();
        Assert.That(store.Select(a => a.DisplayName), Is.SupersetOf(new[] { "store initialize", "store get_or_create_secret", "store count", "store create_many" }));
        Assert.That(store.All(a => (string?)a.GetTagItem("db.system.name") == "sqlite"), Is.True);

        var searchRoutes = metrics.Where(m => m.Name == DirectoryMetrics.SearchDuration)
            .SelectMany(m => m.MetricPoints).Select(p => Tags(p).Single()).Distinct().ToList();
        Assert.That(searchRoutes, Is.EquivalentTo(new[]
        {
            "http.route=/v1/resources/nearest", "http.route=/v1/resources/serving", "http.route=/v1/hotlines/", "http.route=/v1/resources/",
            "http.route=/hsds/service_at_locations",
        }), "the search histogram's only tag is the route template");
        var listings = metrics.Where(m => m.Name == DirectoryMetrics.IndexListings).SelectMany(m => m.MetricPoints).Select(p => p.GetGaugeLastValueLong()).Last();
        Assert.That(listings, Is.EqualTo(app.Service<DirectoryIndex>().Current.Count));
        Assert.That(listings, Is.GreaterThan(20), "the demo directory");
        var imported = metrics.Where(m => m.Name == DirectoryMetrics.ImportRows).SelectMany(m => m.MetricPoints)
            .Select(p => (string.Join(',', Tags(p).Order()), p.GetSumLong())).Last();
        Assert.That(imported, Is.EqualTo(("format=csv,outcome=validated", 2L)));
        Assert.That(metrics.Select(m => m.Name), Does.Contain("http.server.request.duration"), "ASP.NET Core's own metrics");
        Assert.That(logs, Is.Not.Empty, "logs are exported (start-up lines at Information)");

        // What is not: the searched place, in any span, metric or log record.
        var recorded = new List<string>();
        foreach (var a in spans)
        {
            recorded.Add(a.DisplayName);
            recorded.Add(a.StatusDescription ?? "");
            recorded.AddRange(a.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            recorded.AddRange(a.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")));
        }
        Assert.That(recorded.Where(r => r.StartsWith("url.query=", StringComparison.Ordinal)), Is.Empty, "the query string is dropped");
        foreach (var m in metrics)
        {
            recorded.Add(m.Name);
            recorded.AddRange(m.MetricPoints.SelectMany(Tags));
        }
        foreach (var l in logs)
        {
            recorded.Add($"{l.CategoryName}: {l.FormattedMessage} {l.Body} {l.Exception?.Message}");
            recorded.AddRange(l.Attributes?.Select(t => $"{t.Key}={t.Value}") ?? []);
        }
        Assert.That(recorded, Has.Count.GreaterThan(200));
        Assert.That(recorded.Where(r => Secrets.Any(s => r.Contains(s, StringComparison.OrdinalIgnoreCase))), Is.Empty);
    }

    private static IEnumerable<string> Tags(MetricPoint p)
    {
        var list = new List<string>();
        foreach (var t in p.Tags) list.Add($"{t.Key}={t.Value}");
        return list;
    }

    /// <summary>A loopback OTLP/HTTP collector: keeps what each signal's endpoint receives.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        public ConcurrentDictionary<string, ConcurrentQueue<byte[]>> Received { get; } = new();
        public string Endpoint { get; }

        private Collector(WebApplication app) { _app = app; Endpoint = app.Urls.First(); }

        public static async Task<Collector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            Collector? self = null;
            app.Run(async ctx =>
            {
                using var body = new MemoryStream();
                await ctx.Request.Body.CopyToAsync(body);
                self!.Received.GetOrAdd(ctx.Request.Path, _ => new()).Enqueue(body.ToArray());
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/x-protobuf";
            });
            await app.StartAsync();
            self = new Collector(app);
            return self;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    [Test]
    public async Task With_an_otlp_endpoint_the_signals_reach_the_collector_without_the_searched_place()
    {
        await using var collector = await Collector.StartAsync();
        var settings = Verbose();
        settings[Telemetry.OtlpEndpointVariable] = collector.Endpoint;
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        using var app = new DirectoryApp(settings: settings);
        using var client = app.Client();
        await SearchAsync(client);
        string Text() => string.Concat(collector.Received.Values.SelectMany(q => q).Select(b => Encoding.UTF8.GetString(b)));
        // The last server span ends just after its answer: flush until it has been sent (bounded).
        await WaitForAsync(() =>
        {
            app.Service<TracerProvider>().ForceFlush();
            return Text().Contains("/hsds/service_at_locations", StringComparison.Ordinal);
        });
        app.Service<MeterProvider>().ForceFlush();
        app.Service<LoggerProvider>().ForceFlush();

        Assert.That(collector.Received.Keys, Is.SupersetOf(new[] { "/v1/traces", "/v1/metrics", "/v1/logs" }));
        var text = Text();
        Assert.That(text, Does.Contain("/v1/resources/nearest").And.Contain(DirectoryMetrics.SearchDuration).And.Contain("store create_many"));
        Assert.That(Secrets.Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    private static List<string> ExporterAssemblies(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDirectoryTelemetry();
        return [.. builder.Services.SelectMany(d => new[] { d.ServiceType, d.ImplementationType })
            .Select(t => t?.Assembly.GetName().Name ?? "")
            .Where(n => n.StartsWith("OpenTelemetry.Exporter", StringComparison.Ordinal) || n.StartsWith("Azure.Monitor", StringComparison.Ordinal))
            .Distinct().Order()];
    }

    [Test]
    public void Exporters_are_chosen_by_the_environment_and_none_without_it()
    {
        Assert.That(ExporterAssemblies([]), Is.Empty, "nowhere by default");
        Assert.That(ExporterAssemblies(new() { [Telemetry.OtlpEndpointVariable] = "http://127.0.0.1:4318" }),
            Is.EqualTo(new[] { "OpenTelemetry.Exporter.OpenTelemetryProtocol" }));
        Assert.That(ExporterAssemblies(new() { [Telemetry.AzureMonitorConnectionStringVariable] = "InstrumentationKey=00000000-0000-0000-0000-000000000000" }),
            Has.Some.StartsWith("Azure.Monitor").And.None.StartsWith("OpenTelemetry.Exporter"));
    }

    /// <summary>Lets the in-memory exporter add to a concurrent queue (server spans end on Kestrel's threads).</summary>
    private sealed class QueueCollection<T>(ConcurrentQueue<T> queue) : ICollection<T>
    {
        public int Count => queue.Count;
        public bool IsReadOnly => false;
        public void Add(T item) => queue.Enqueue(item);
        public void Clear() => queue.Clear();
        public bool Contains(T item) => queue.Contains(item);
        public void CopyTo(T[] array, int arrayIndex) => queue.ToArray().CopyTo(array, arrayIndex);
        public bool Remove(T item) => throw new NotSupportedException();
        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)queue).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
