using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReferralDirectory.Tests.Support;

/// <summary>
/// A tiny second web server on another loopback origin (its own port, so its own origin), serving pages a test
/// registers: a partner site that embeds the widget, for instance. It serves only what it was given.
/// </summary>
public sealed class OtherOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Body, string ContentType)> _files = new(StringComparer.Ordinal);

    /// <summary>Its origin, e.g. <c>http://127.0.0.1:43210</c> (another port than the service's: another origin).</summary>
    public string Origin { get; }

    private OtherOrigin(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
    }

    public static async Task<OtherOrigin> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        OtherOrigin? self = null;
        app.MapGet("/{**path}", (HttpContext http) =>
        {
            var path = http.Request.Path.Value ?? "/";
            return self!._files.TryGetValue(path, out var f) ? Results.Text(f.Body, f.ContentType) : Results.NotFound();
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        self = new OtherOrigin(app, $"http://127.0.0.1:{port}");
        return self;
    }

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/> (e.g. <c>/partner.html</c>).</summary>
    public string Serve(string path, string body, string contentType = "text/html; charset=utf-8")
    {
        _files[path] = (body, contentType);
        return Origin + path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
