using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace ReferralDirectory.Api.WebPages.Staff;

/// <summary>
/// The staff pages' layout, rendered on the server: the quick exit (button and Shift×3, <c>/js/quick-exit.js</c>), the
/// hotlines and the 911 notice, the navigation and sign-out (hidden in print), under the pages' strict CSP (no inline
/// script or style). Every staff answer is private and uncached.
/// </summary>
public static class StaffLayout
{
    public static string E(string? s) => HtmlEncoder.Default.Encode(s ?? "");

    public static void NoStore(HttpContext http)
    {
        WebPageSetup.MarkAsPage(http);
        http.Response.Headers.CacheControl = "no-store, private";
        http.Response.Headers.Pragma = "no-cache";
    }

    public static string Antiforgery(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    /// <summary>400 when the form's anti-forgery token is missing or wrong; null when it is valid.</summary>
    public static async Task<IResult?> RefuseForgeryAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form has expired.",
                detail: "Reload the page and send the form again.", extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["__RequestVerificationToken"] = ["Missing or invalid anti-forgery token."] } });
        }
    }

    public static IResult Page(HttpContext http, string title, ClaimsPrincipal? user, string main, int status = StatusCodes.Status200OK, string? bodyClass = null)
    {
        NoStore(http);
        var exit = E(http.RequestServices.GetRequiredService<IOptions<WebPageOptions>>().Value.QuickExitUrl);
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        var nav = user is null ? "" : $"""
            <nav class="staff-nav no-print" aria-label="Staff">
              <ul>
                <li><a href="/staff">Search</a></li>
              </ul>
              <form method="post" action="/staff/sign-out" class="sign-out">
                {Antiforgery(http, antiforgery)}
                <span class="signed-in-as">Signed in as {E(user.FindFirstValue("name"))}</span>
                <button type="submit">Sign out</button>
              </form>
            </nav>
            """;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <meta name="referrer" content="no-referrer">
              <title>{E(title)} · Referral Directory staff</title>
              <link rel="icon" href="data:,">
              <link rel="stylesheet" href="/css/site.css">
              <link rel="stylesheet" href="/css/staff.css">
              <script src="/js/quick-exit.js" defer></script>
              <script src="/js/staff.js" defer></script>
            </head>
            <body{(bodyClass is null ? "" : $" class=\"{E(bodyClass)}\"")}>
              <header class="site-header no-print">
                <div class="site-header__inner">
                  <div class="quick-exit-group">
                    <a class="quick-exit" href="{exit}" role="button" rel="noreferrer" data-quick-exit
                       data-quick-exit-pressed-2="Shift, press 2 more times to exit."
                       data-quick-exit-pressed-1="Shift, press 1 more time to exit."
                       data-quick-exit-expired="Exit this page expired.">Exit this page</a>
                    <p class="quick-exit-hint">Or press Shift 3 times</p>
                    <p class="visually-hidden" data-quick-exit-status aria-live="polite"></p>
                  </div>
                  <a class="skip-link" href="#main">Skip to main content</a>
                  <p class="site-name"><a href="/staff">Referral Directory · Staff</a></p>
                </div>
              </header>
              {nav}
              <aside class="help-now staff-help no-print" aria-label="Help now">
                <p class="emergency">If someone is in immediate danger, call <a class="number" href="tel:911">911</a>.</p>
                <p>National Human Trafficking Hotline: call <a class="number" href="tel:+18883737888">1-888-373-7888</a> or text <a class="number" href="sms:233733">233733</a> (BEFREE), 24/7.</p>
              </aside>
              <main id="main" class="page staff-page" tabindex="-1">
              {main}
              </main>
            </body>
            </html>
            """;
        NoStore(http); // last: generating anti-forgery tokens sets cache headers of its own
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
