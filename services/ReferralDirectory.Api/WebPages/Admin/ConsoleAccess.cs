using System.Security.Claims;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.WebPages.Staff;
using static ReferralDirectory.Api.WebPages.Staff.StaffLayout;

namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>
/// Who may use the admin console's pages: editors and admins (<see cref="EditorAsync"/>), and for partner keys and purge
/// admins only (<see cref="AdminAsync"/>). Signed out, a page sends to sign-in and back to itself; other staff get the
/// 403 page (<see cref="AdminForbidden"/>). The navigation shows a page's link by the same rule.
/// </summary>
public static class ConsoleAccess
{
    public static bool IsEditor(ClaimsPrincipal user) => user.IsInRole(Roles.Editor) || user.IsInRole(Roles.Admin);

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>Null for an editor or admin; else the sign-in redirect (back to <paramref name="path"/>), or the 403 page.</summary>
    public static Task<IResult?> EditorAsync(HttpContext http, StaffText L, string path) => AllowAsync(http, L, path, IsEditor);

    /// <summary>Null for an admin; else as <see cref="EditorAsync"/>.</summary>
    public static Task<IResult?> AdminAsync(HttpContext http, StaffText L, string path) => AllowAsync(http, L, path, IsAdmin);

    private static async Task<IResult?> AllowAsync(HttpContext http, StaffText L, string path, Func<ClaimsPrincipal, bool> allowed)
    {
        if (await StaffSignIn.StaffUserAsync(http) is not { } user)
            return Results.Redirect($"/staff/sign-in?{(L.IsSpanish ? "lang=es&" : "")}ReturnUrl={Uri.EscapeDataString(Localized(path, L))}");
        http.User = user;
        return allowed(user) ? null : Page<AdminForbidden>(http, new Dictionary<string, object?> { ["L"] = L, ["User"] = user }, StatusCodes.Status403Forbidden);
    }
}
