using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ReferralDirectory.Api.WebPages.Staff;

/// <summary>
/// How a staff page is answered: a Razor component rendered on the server (<see cref="RazorComponentResult{TComponent}"/>,
/// static server-side rendering, no Blazor script) in the <see cref="StaffShell"/> layout. Every staff answer is private
/// and uncached, and every form's anti-forgery token (<c>&lt;AntiforgeryToken /&gt;</c>) is checked before the form is read.
/// </summary>
public static class StaffLayout
{
    public const string CacheControl = "no-store, private";

    /// <summary>The search page in a language (English needs no parameter).</summary>
    public static string Home(StaffText L) => Localized("/staff", L);

    /// <summary>A staff page's path in a language (English needs no parameter; a path with a query gets <c>&amp;lang=es</c>).</summary>
    public static string Localized(string path, StaffText L) => !L.IsSpanish ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&lang=es" : "?lang=es");

    public static void NoStore(HttpContext http)
    {
        WebPageSetup.MarkAsPage(http);
        // Set as the answer starts, after the rendering's anti-forgery tokens have set cache headers of their own.
        http.Response.OnStarting(() => { SetNoStore(http.Response); return Task.CompletedTask; });
    }

    private static void SetNoStore(HttpResponse response)
    {
        response.Headers.CacheControl = CacheControl;
        response.Headers.Pragma = "no-cache";
    }

    /// <summary>A staff page: the component rendered with these parameters, private and uncached.</summary>
    public static IResult Page<TComponent>(HttpContext http, IReadOnlyDictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where TComponent : IComponent
    {
        NoStore(http);
        return new RazorComponentResult<TComponent>(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8" };
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
}
