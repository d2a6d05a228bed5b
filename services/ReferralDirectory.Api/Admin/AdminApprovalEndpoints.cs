using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Contracts;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Listings;
using ReferralDirectory.Safety;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Admin;

/// <summary>A change to a confidential location waiting for a second editor: what changes, why it needs approval, and
/// exactly what the public will see once it is approved (the public view of the proposed listing: the county only).</summary>
public sealed record ApprovalResponse(string Id, string ListingId, string Status, DateTimeOffset CreatedAt, string CreatedByObjectId, string CreatedByName,
    IReadOnlyList<string> Reasons, IReadOnlyList<AuditChangeResponse> Changes, ResourceDto PublicPreview, DateTimeOffset? ResolvedAt, string? ResolvedByName, string? Note);

public sealed record ApprovalListResponse(IReadOnlyList<ApprovalResponse> Items);

public sealed record RejectApprovalRequest(string? Note);

/// <summary>The approval queue for confidential-location changes under /v1/admin/approvals (<see cref="ConfidentialApprovals"/>).</summary>
public static class AdminApprovalEndpoints
{
    public const int MaxNote = 1000;

    public static IEndpointRouteBuilder MapAdminApprovals(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/approvals").WithTags("Admin: approvals").RequireAuthorization(Policies.Edit).AddEndpointFilter<NoStoreFilter>();
        group.MapGet("/", List).WithName("AdminListApprovals").WithSummary("Changes to confidential locations waiting for a second editor, oldest first");
        group.MapGet("/{id}", Get).WithName("AdminGetApproval").WithSummary("One change waiting for approval, with its diff and public preview");
        group.MapPost("/{id}/approve", Approve).WithName("AdminApprove")
            .WithSummary("Approve and write the change (not your own; refused when the listing changed since it was proposed)");
        group.MapPost("/{id}/reject", Reject).WithName("AdminReject").WithSummary("Reject the change (nothing is written)");
        return app;
    }

    private static async Task<Ok<ApprovalListResponse>> List(ConfidentialApprovals approvals, IDirectoryStore store, ConfidentialLocationPolicy policy, CancellationToken ct)
    {
        var items = new List<ApprovalResponse>();
        foreach (var item in (await approvals.OpenAsync(200, ct)).OrderBy(i => i.CreatedAt))
            items.Add(await ToResponseAsync(item, store, policy, ct));
        return TypedResults.Ok(new ApprovalListResponse(items));
    }

    private static async Task<Results<Ok<ApprovalResponse>, ProblemHttpResult>> Get(string id, ConfidentialApprovals approvals, IDirectoryStore store, ConfidentialLocationPolicy policy, CancellationToken ct) =>
        await approvals.GetAsync(id, ct) is { } item ? TypedResults.Ok(await ToResponseAsync(item, store, policy, ct)) : NotFound();

    private static async Task<Results<Ok<AdminListingResponse>, ProblemHttpResult>> Approve(HttpContext http, string id, ConfidentialApprovals approvals, DirectoryService directory,
        IOptions<VerificationOptions> vo, CancellationToken ct)
    {
        var (outcome, written) = await approvals.ApproveAsync(id, http.User.ToActor(), ct);
        if (outcome != ApprovalOutcome.Approved) return Refused(outcome);
        http.Response.Headers.ETag = written!.ETag;
        return TypedResults.Ok(written.ToAdminResponse(DateOnly.FromDateTime(directory.Time.GetUtcNow().UtcDateTime).AddMonths(-vo.Value.StaleAfterMonths)));
    }

    private static async Task<Results<Ok<ApprovalResponse>, ValidationProblem, ProblemHttpResult>> Reject(HttpContext http, string id, RejectApprovalRequest? request,
        ConfidentialApprovals approvals, IDirectoryStore store, ConfidentialLocationPolicy policy, CancellationToken ct)
    {
        var note = request?.Note?.Trim();
        if (note is { Length: > MaxNote }) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [$"At most {MaxNote} characters."] });
        var (outcome, rejected) = await approvals.RejectAsync(id, http.User.ToActor(), string.IsNullOrEmpty(note) ? null : note, ct);
        if (outcome != ApprovalOutcome.Rejected) return Refused(outcome);
        return TypedResults.Ok(await ToResponseAsync(rejected!, store, policy, ct));
    }

    /// <summary>Why an approval was not done, as the API says it (and the approvals page shows it).</summary>
    public static (int Status, string Title, string Detail) Explain(ApprovalOutcome outcome) => outcome switch
    {
        ApprovalOutcome.NotFound => (StatusCodes.Status404NotFound, "No such change waiting for approval.", "There is no approval with that id."),
        ApprovalOutcome.NotOpen => (StatusCodes.Status409Conflict, "This change was already approved or rejected.", "Reload the approvals to see where it stands."),
        ApprovalOutcome.OwnChange => (StatusCodes.Status403Forbidden, "You cannot approve your own change.", "A second editor must approve a change to a confidential location."),
        _ => (StatusCodes.Status409Conflict, "The listing changed after this change was proposed.", ConfidentialApprovals.ListingChangedNote),
    };

    private static ProblemHttpResult Refused(ApprovalOutcome outcome)
    {
        var (status, title, detail) = Explain(outcome);
        return TypedResults.Problem(statusCode: status, title: title, detail: detail);
    }

    private static ProblemHttpResult NotFound() => Refused(ApprovalOutcome.NotFound);

    public static async Task<ApprovalResponse> ToResponseAsync(WorkItem item, IDirectoryStore store, ConfidentialLocationPolicy policy, CancellationToken ct)
    {
        var proposal = ConfidentialApprovals.Read(item);
        var current = await store.GetAsync(proposal.Listing.Id, ct);
        var changes = ConfidentialApprovals.Changes(current?.Listing, proposal.Listing);
        return new ApprovalResponse(item.Id, proposal.Listing.Id, item.Status, item.CreatedAt, item.CreatedBy?.ObjectId ?? "", item.CreatedBy?.Name ?? "", proposal.Reasons,
            [.. changes.Select(c => new AuditChangeResponse(c.Path, c.Before, c.After))], proposal.Listing.ToDto(policy), item.ResolvedAt, item.ResolvedBy?.Name, item.Note);
    }

    /// <summary>202: the change waits for a second editor (Location: the approval).</summary>
    public static async Task<IResult> AcceptedAsync(WorkItem item, IDirectoryStore store, ConfidentialLocationPolicy policy, CancellationToken ct) =>
        TypedResults.Accepted($"/v1/admin/approvals/{item.Id}", await ToResponseAsync(item, store, policy, ct));
}
