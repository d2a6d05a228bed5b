using Microsoft.AspNetCore.Antiforgery;
using ReferralDirectory.Api.Admin;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.WebPages.Staff;
using ReferralDirectory.Listings;
using ReferralDirectory.Safety;
using ReferralDirectory.Storage;
using static ReferralDirectory.Api.WebPages.Staff.StaffLayout;

namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>The approvals page at <c>/staff/admin/approvals</c> (<see cref="Approvals"/>) over <see cref="ConfidentialApprovals"/>,
/// with the same rules as the API's /v1/admin/approvals (never one's own change; refused when the listing changed since).</summary>
public static class ApprovalPages
{
    public static IEndpointRouteBuilder MapApprovalPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/staff/admin/approvals", async Task<IResult> (HttpContext http, ConfidentialApprovals approvals, DirectoryService directory, ConfidentialLocationPolicy policy) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, "/staff/admin/approvals") is { } refused) return refused;
            string? message = null;
            if (http.Request.Query["proposed"].ToString() is { Length: > 0 } proposed && await approvals.GetAsync(proposed, http.RequestAborted) is { } item)
            {
                var name = ConfidentialApprovals.Read(item).Listing.Name;
                message = L.T($"Your change to {name} waits for a second editor's approval. Nothing the public sees has changed.",
                    $"Su cambio a {name} espera la aprobación de otro editor. Nada de lo que ve el público ha cambiado.");
            }
            return await PageAsync(http, L, approvals, directory, policy, message, null);
        }).ExcludeFromDescription();

        app.MapPost("/staff/admin/approvals/{id}/{decision:regex(^(approve|reject)$)}", async Task<IResult> (HttpContext http, string id, string decision, IAntiforgery af,
            ConfidentialApprovals approvals, DirectoryService directory, ConfidentialLocationPolicy policy) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, "/staff/admin/approvals") is { } refused) return refused;
            if (await RefuseForgeryAsync(http, af) is { } forged) return forged;
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            L = form["lang"] == "es" ? StaffText.Spanish : StaffText.English;
            var name = await approvals.GetAsync(id, http.RequestAborted) is { } item ? ConfidentialApprovals.Read(item).Listing.Name : id;
            ApprovalOutcome outcome;
            if (decision == "approve") outcome = (await approvals.ApproveAsync(id, http.User.ToActor(), http.RequestAborted)).Outcome;
            else
            {
                var note = form["note"].ToString().Trim();
                if (note.Length > AdminApprovalEndpoints.MaxNote) note = note[..AdminApprovalEndpoints.MaxNote];
                outcome = (await approvals.RejectAsync(id, http.User.ToActor(), note.Length == 0 ? null : note, http.RequestAborted)).Outcome;
            }
            return outcome switch
            {
                ApprovalOutcome.Approved => await PageAsync(http, L, approvals, directory, policy,
                    L.T($"The change to {name} is approved and public now.", $"El cambio a {name} está aprobado y ya es público."), null),
                ApprovalOutcome.Rejected => await PageAsync(http, L, approvals, directory, policy,
                    L.T($"The change to {name} is rejected; nothing was written.", $"El cambio a {name} está rechazado; no se escribió nada."), null),
                _ => await PageAsync(http, L, approvals, directory, policy, null, Explain(outcome, L), AdminApprovalEndpoints.Explain(outcome).Status),
            };
        }).ExcludeFromDescription();
        return app;
    }

    private static string Explain(ApprovalOutcome outcome, StaffText L) => outcome switch
    {
        ApprovalOutcome.OwnChange => L.T("You cannot approve your own change: a second editor must approve a change to a confidential location.",
            "No puede aprobar su propio cambio: otro editor debe aprobar un cambio a una ubicación confidencial."),
        ApprovalOutcome.NotFound => L.T("There is no such change waiting for approval.", "No existe ese cambio esperando aprobación."),
        ApprovalOutcome.NotOpen => L.T("This change was already approved or rejected.", "Este cambio ya fue aprobado o rechazado."),
        _ => L.T("The listing changed after this change was proposed, so it was not written. Propose it again on the current version.",
            "El listado cambió después de proponer este cambio, así que no se escribió. Vuelva a proponerlo sobre la versión actual."),
    };

    private static async Task<IResult> PageAsync(HttpContext http, StaffText L, ConfidentialApprovals approvals, DirectoryService directory, ConfidentialLocationPolicy policy,
        string? message, string? error, int status = StatusCodes.Status200OK)
    {
        var views = new List<ApprovalView>();
        foreach (var item in (await approvals.OpenAsync(200, http.RequestAborted)).OrderBy(i => i.CreatedAt))
        {
            var proposal = ConfidentialApprovals.Read(item);
            var current = await directory.Store.GetAsync(proposal.Listing.Id, http.RequestAborted);
            views.Add(new ApprovalView(item.Id, proposal.Listing.Id, proposal.Listing.Name, item.CreatedBy?.ObjectId, item.CreatedBy?.Name ?? "", item.CreatedAt, proposal.Reasons,
                ConfidentialApprovals.Changes(current?.Listing, proposal.Listing),
                [.. proposal.Listing.Locations.Select((_, i) => policy.View(proposal.Listing, i))]));
        }
        return Page<Approvals>(http, new Dictionary<string, object?> { ["L"] = L, ["User"] = http.User, ["Items"] = views, ["Message"] = message, ["Error"] = error }, status);
    }
}

/// <summary>One change waiting for approval as the page shows it.</summary>
public sealed record ApprovalView(string Id, string ListingId, string Name, string? CreatedBy, string CreatedByName, DateTimeOffset CreatedAt,
    IReadOnlyList<string> Reasons, IReadOnlyList<ValueDiff> Changes, IReadOnlyList<PublicLocation> PublicLocations);
