namespace ReferralDirectory.Api.Infrastructure;

public static class SecurityHeaders
{
    /// <summary>Headers every response carries (JSON API: nothing may be framed, sniffed or scripted).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            // HTML pages load the service's own scripts and styles; everything else (JSON) may load nothing.
            h.ContentSecurityPolicy = WebPages.WebPageSetup.IsPage(http) ? WebPages.WebPageSetup.ContentSecurityPolicy : "default-src 'none'; frame-ancestors 'none'";
            h["Cross-Origin-Resource-Policy"] = "cross-origin";
            // Pages may ask for the location for the search widget's "use my location" (after a press); nothing else may.
            h["Permissions-Policy"] = WebPages.WebPageSetup.IsPage(http) ? "geolocation=(self), camera=(), microphone=()" : "geolocation=(), camera=(), microphone=()";
            if (http.Request.IsHttps) h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            h.Remove("Server");
            return Task.CompletedTask;
        });
        return next(http);
    });
}
