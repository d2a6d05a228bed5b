namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>
/// The editors' pages under <c>/staff/admin</c>: the freshness board (review queue, counts, failed contact checks,
/// owners, mark verified), the listing editor (every field in sections, the API's field messages beside the fields,
/// three-way merge after a conflict) and the approvals of confidential-location changes.
/// </summary>
public static class AdminEditPages
{
    public static IEndpointRouteBuilder MapAdminEditPages(this IEndpointRouteBuilder app) => app;
}
