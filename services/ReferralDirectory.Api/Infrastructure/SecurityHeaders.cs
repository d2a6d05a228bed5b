namespace ReferralDirectory.Api.Infrastructure;

public static class SecurityHeaders
{
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
    public const string ApiPermissionsPolicy = "geolocation=(), camera=(), microphone=()";

    /// <summary>The headers every answer that is not an HTML page carries (JSON API: nothing may be framed, sniffed or
    /// scripted); also what <see cref="ProtocolRejections"/> puts on Kestrel's own refusals.</summary>
    public static readonly (string Name, string Value)[] ForApi =
    [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Content-Security-Policy", ApiContentSecurityPolicy),
        ("Cross-Origin-Resource-Policy", "cross-origin"),
        ("Permissions-Policy", ApiPermissionsPolicy),
    ];

    /// <summary>Headers every response carries.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            foreach (var (name, value) in ForApi) h[name] = value;
            if (WebPages.WebPageSetup.IsPage(http))
            {
                // HTML pages load the service's own scripts and styles, and may ask for the location for the search
                // widget's "use my location" (after a press).
                h.ContentSecurityPolicy = WebPages.WebPageSetup.ContentSecurityPolicy;
                h["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()";
            }
            if (http.Request.IsHttps) h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            h.Remove("Server");
            return Task.CompletedTask;
        });
        return next(http);
    });
}
