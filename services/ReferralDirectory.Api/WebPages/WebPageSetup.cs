using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;

namespace ReferralDirectory.Api.WebPages;

/// <summary>Section <c>WebPages</c>.</summary>
public sealed class WebPageOptions
{
    public const string Section = "WebPages";
    /// <summary>The neutral site the quick exit leaves for (button and Shift pressed 3 times).</summary>
    public string QuickExitUrl { get; set; } = "https://www.google.com/";
}

/// <summary>
/// The service's web pages: the landing page at <c>/</c>, the API reference at <c>/docs</c> (Swagger UI from the
/// service's own copy, no CDN), and their CSS and scripts from <c>wwwroot</c>. Pages get a strict Content-Security-Policy
/// that lets them load the service's own scripts and styles (no inline script or style, no eval); every other answer
/// keeps the JSON API's <c>default-src 'none'</c>.
/// </summary>
public static class WebPageSetup
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string PageItem = "rd-web-page";

    /// <summary>Where the embeddable <c>&lt;referral-search&gt;</c> widget is served from (wwwroot/widget).</summary>
    public const string WidgetPath = "/widget";

    /// <summary>Marks the answer as an HTML page, so <see cref="Infrastructure.SecurityHeaders"/> sends the page policy.</summary>
    public static void MarkAsPage(HttpContext http) => http.Items[PageItem] = true;

    public static bool IsPage(HttpContext http) => http.Items.ContainsKey(PageItem);

    public static IServiceCollection AddWebPages(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<WebPageOptions>().Bind(config.GetSection(WebPageOptions.Section))
            .Validate(o => Uri.TryCreate(o.QuickExitUrl, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp),
                "WebPages:QuickExitUrl must be an absolute http(s) address, such as https://www.google.com/")
            .ValidateOnStart();
        services.AddSingleton<LandingPages>();
        // Staff pages' forms: the token cookie is scoped to /staff and our own X-Frame-Options: DENY is kept.
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "rd-staff-af";
            o.Cookie.Path = "/staff";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.SuppressXFrameOptionsHeader = true;
        });
        return services;
    }

    /// <summary>Static files (CSS, scripts) and the API reference at /docs.</summary>
    public static WebApplication UseWebPages(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.CacheControl = "public, max-age=3600";
                // The embeddable widget (/widget/v1/...) is loaded by partner pages on any origin: public, no credentials.
                if (c.Context.Request.Path.StartsWithSegments(WidgetPath)) c.Context.Response.Headers.AccessControlAllowOrigin = "*";
            },
        });
        _ = app.Services.GetRequiredService<LandingPages>(); // rendered on start: a missing template stops the start
        var quickExit = app.Services.GetRequiredService<IOptions<WebPageOptions>>().Value.QuickExitUrl;
        var docsIndex = Encoding.UTF8.GetBytes(Read("docs.html").Replace("%QUICK_EXIT_URL%", HtmlEncoder.Default.Encode(quickExit), StringComparison.Ordinal));
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/docs"), docs =>
        {
            docs.Use((http, next) => { MarkAsPage(http); return next(http); });
            docs.UseSwaggerUI(o =>
            {
                o.RoutePrefix = "docs";
                o.DocumentTitle = "Referral Directory API reference";
                o.SwaggerEndpoint(Infrastructure.OpenApiSetup.DocumentPath, "v1");
                // Our own index (service header, hotlines, quick exit) with the configuration in /js/docs.js: no inline script.
                o.IndexStream = () => new MemoryStream(docsIndex, writable: false);
            });
        });
        return app;
    }

    /// <summary>A page template embedded in this assembly (WebPages/Pages).</summary>
    internal static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ReferralDirectory.Api.WebPages.Pages." + name)
            ?? throw new InvalidOperationException($"The page {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
