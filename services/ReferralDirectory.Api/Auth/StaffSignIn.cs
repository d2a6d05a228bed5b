using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using ReferralDirectory.Api.WebPages.Staff;

namespace ReferralDirectory.Api.Auth;

/// <summary>
/// Sign-in for the staff pages under <c>/staff</c>: Entra ID through Microsoft.Identity.Web (OpenID Connect, then the
/// <see cref="AuthSchemes.StaffCookie"/> cookie) when a real tenant is configured; in Development without one, a local
/// page (<c>/staff/dev-sign-in</c>) that lets you pick the roles, like <c>dev-token</c>. Outside Development that page
/// answers 404. The API's routes never accept the cookie (see <see cref="Policies"/>).
/// </summary>
public static partial class StaffSignIn
{
    /// <summary>A real tenant: AzureAd:TenantId and ClientId set and no local key set (which only development and tests use).</summary>
    public static bool UsesEntra(IConfiguration config)
    {
        var ad = new AzureAdOptions();
        config.GetSection(AzureAdOptions.Section).Bind(ad);
        return ad.IsConfigured && string.IsNullOrWhiteSpace(ad.SigningKeysFile);
    }

    public static void ConfigureCookie(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = "rd-staff";
        o.Cookie.Path = "/staff";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = TimeSpan.FromHours(8);
        o.SlidingExpiration = false;
        o.LoginPath = "/staff/sign-in";
        o.AccessDeniedPath = "/staff/sign-in";
    }

    /// <summary>The roles a staff page may be used with.</summary>
    public static readonly IReadOnlyList<(string Role, string Label)> DevRoles =
        [(Roles.Caseworker, "Caseworker"), (Roles.Editor, "Editor"), (Roles.Admin, "Admin")];

    /// <summary>The signed-in staff member (cookie), or null when signed out or without a staff role.</summary>
    public static async Task<ClaimsPrincipal?> StaffUserAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(AuthSchemes.StaffCookie);
        return result.Succeeded && result.Principal.MaySeeConfidential() ? result.Principal : null;
    }

    private static bool DevSignInAllowed(HttpContext http) =>
        http.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment()
        && !UsesEntra(http.RequestServices.GetRequiredService<IConfiguration>());

    public static IEndpointRouteBuilder MapStaffSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/staff/sign-in", (HttpContext http) =>
        {
            var returnUrl = SafeReturn(http.Request.Query["ReturnUrl"].ToString());
            if (UsesEntra(http.RequestServices.GetRequiredService<IConfiguration>()))
                return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [AuthSchemes.StaffOpenIdConnect]);
            var L = StaffText.For(http);
            if (DevSignInAllowed(http)) return Results.Redirect($"/staff/dev-sign-in?{(L.IsSpanish ? "lang=es&" : "")}ReturnUrl={Uri.EscapeDataString(returnUrl)}");
            return StaffLayout.Page<SignInPages>(http, new Dictionary<string, object?> { ["L"] = L, ["ReturnUrl"] = returnUrl }, StatusCodes.Status503ServiceUnavailable);
        }).ExcludeFromDescription();

        app.MapGet("/staff/dev-sign-in", (HttpContext http) =>
        {
            if (!DevSignInAllowed(http)) return Results.NotFound();
            return StaffLayout.Page<SignInPages>(http, new Dictionary<string, object?>
            {
                ["L"] = StaffText.For(http), ["Development"] = true, ["Roles"] = DevRoles,
                ["ReturnUrl"] = SafeReturn(http.Request.Query["ReturnUrl"].ToString()),
            });
        }).ExcludeFromDescription();

        app.MapPost("/staff/dev-sign-in", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!DevSignInAllowed(http)) return Results.NotFound();
            if (await StaffLayout.RefuseForgeryAsync(http, antiforgery) is { } refused) return refused;
            var form = await http.Request.ReadFormAsync();
            var roles = form["role"].Where(r => DevRoles.Any(d => d.Role == r)).Distinct().ToArray();
            if (roles.Length == 0)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["Pick at least one role."] });
            var name = form["name"].ToString().Trim() is { Length: > 0 and <= 100 } n ? n : "Local Developer";
            var claims = new List<Claim> { new("oid", "dev-" + Guid.NewGuid().ToString("N")), new("name", name) };
            claims.AddRange(roles.Select(r => new Claim("roles", r!)));
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "dev-sign-in", "name", "roles"));
            await http.SignInAsync(AuthSchemes.StaffCookie, principal);
            var back = SafeReturn(form["returnUrl"].ToString());
            // The language chosen on the sign-in page carries on to the search page.
            return Results.Redirect(back == "/staff" ? StaffLayout.Home(StaffText.For(http, form)) : back);
        }).ExcludeFromDescription();

        app.MapPost("/staff/sign-out", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (await StaffLayout.RefuseForgeryAsync(http, antiforgery) is { } refused) return refused;
            await http.SignOutAsync(AuthSchemes.StaffCookie);
            return Results.Redirect("/staff/sign-in");
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The Entra ID sign-in came back refused or invalid (an error from the provider, a bad or replayed state, an ID
    /// token that does not validate): a staff page saying so (401) with a way to try again, never a 500. The reason is
    /// logged without any token.
    /// </summary>
    public static async Task SignInFailedAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        LogSignInFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StaffSignIn)),
            context.Failure?.GetType().Name ?? "unknown");
        await StaffLayout.Page<SignInPages>(http, new Dictionary<string, object?> { ["L"] = StaffText.For(http), ["Failed"] = true },
            StatusCodes.Status401Unauthorized).ExecuteAsync(http);
    }

    /// <summary>Only a local staff page is a place to return to (no open redirect).</summary>
    internal static string SafeReturn(string? url) =>
        url is { Length: > 0 and < 200 } u && u.StartsWith("/staff", StringComparison.Ordinal) && !u.StartsWith("//", StringComparison.Ordinal) && !u.Contains('\\') ? u : "/staff";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Staff sign-in failed: {Reason}")]
    private static partial void LogSignInFailed(ILogger logger, string reason);
}
