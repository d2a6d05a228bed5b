using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Guidance;
using ReferralDirectory.Guidance;

namespace ReferralDirectory.Api.WebPages;

/// <summary>
/// The public pages made from templates (WebPages/Pages): the landing page (<c>index</c>) and the browsing-safety page
/// (<c>safety</c>), each in every language, rendered once on start with the configured quick-exit address.
/// </summary>
public sealed class LandingPages
{
    public static readonly string[] Templates = ["index", "safety"];

    private readonly Dictionary<(string Template, string Language), (byte[] Body, string ETag)> _pages;

    public LandingPages(IOptions<WebPageOptions> options)
    {
        var exit = HtmlEncoder.Default.Encode(options.Value.QuickExitUrl);
        _pages = Templates.SelectMany(t => GuidanceLanguages.All.Select(l => (t, l))).ToDictionary(k => k, k =>
        {
            var body = Encoding.UTF8.GetBytes(WebPageSetup.Read($"{k.t}.{k.l}.html").Replace("%QUICK_EXIT_URL%", exit, StringComparison.Ordinal));
            return (body, "\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16)) + "\"");
        });
    }

    public (byte[] Body, string ETag) In(string language, string template = "index") => _pages[(template, language)];
}

public static class LandingPageEndpoints
{
    /// <summary>
    /// <c>GET /</c>: the landing page; <c>GET /safety</c>: how to browse more safely (clearing history, private windows),
    /// which the widget's safety note links to. In English or Spanish (<c>?lang=es</c>, else Accept-Language; default English).
    /// </summary>
    public static IEndpointRouteBuilder MapLandingPage(this IEndpointRouteBuilder app)
    {
        Map(app, "/", "index");
        Map(app, "/safety", "safety");
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string path, string template) =>
        app.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], (HttpContext http, LandingPages pages) =>
            {
                WebPageSetup.MarkAsPage(http);
                var lang = http.Request.Query["lang"].ToString().Trim().ToLowerInvariant();
                // A page never refuses: an unknown lang value shows the page in the negotiated language.
                var language = ContentLanguage.Negotiate(http.Request, GuidanceLanguages.IsSupported(lang) ? lang : null);
                var (body, etag) = pages.In(language, template);
                ContentLanguage.Declare(http.Response, language);
                http.Response.Headers.ETag = etag;
                http.Response.Headers.CacheControl = "public, max-age=300";
                if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)))
                    return Results.StatusCode(StatusCodes.Status304NotModified);
                return Results.Bytes(body, "text/html; charset=utf-8");
            })
            .RequireRateLimiting(Partners.PublicAccess.Policy)
            .ExcludeFromDescription();
}
