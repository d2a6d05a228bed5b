using System.Security.Cryptography;
using System.Text.Json;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Safety;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Admin;

/// <summary>
/// The approval queue for changes to confidential locations (<see cref="ConfidentialChangeRule"/>). A change that needs a
/// second editor is kept as a work item (the whole proposed listing and the version it was made on) and nothing public
/// changes. Another editor approves it (never the one who proposed it) and it is written then, if the listing is still at
/// that version; or anyone rejects it. Each step is audited. The admin API and the editor page both go through here.
/// </summary>
public sealed class ConfidentialApprovals(DirectoryService directory)
{
    /// <summary>What an approval work item holds: the listing as proposed, the ETag it was proposed on (null: a new listing),
    /// how it was made (create, replace, patch, edit) and why it needs approval.</summary>
    public sealed record Proposal(Listing Listing, string? BaseETag, string Action, IReadOnlyList<string> Reasons);

    /// <summary>The change kept for approval when <see cref="ConfidentialChangeRule"/> says it needs a second editor;
    /// null when it does not (the caller writes it).</summary>
    public async Task<WorkItem?> ProposeIfNeededAsync(Listing proposed, StoredListing? current, Actor actor, string action, CancellationToken ct) =>
        ConfidentialChangeRule.Reasons(current?.Listing, proposed) is { Count: > 0 } reasons ? await ProposeAsync(proposed, current, actor, action, reasons, ct) : null;

    private async Task<WorkItem> ProposeAsync(Listing proposed, StoredListing? current, Actor actor, string action, IReadOnlyList<string> reasons, CancellationToken ct)
    {
        // A new listing under an id in use could never be written.
        if (current is null && await directory.Store.GetAsync(proposed.Id, ct) is not null) throw new ListingExistsException(proposed.Id);
        var now = directory.Time.GetUtcNow();
        var item = new WorkItem
        {
            Id = $"approval-{now.ToUnixTimeMilliseconds():D13}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}",
            Kind = WorkItemKinds.Approval, ListingId = proposed.Id, Status = WorkItemStatus.Open, CreatedAt = now, CreatedBy = actor,
            Payload = JsonSerializer.Serialize(new Proposal(proposed, current?.ETag, action, reasons), StoreJson.Options),
        };
        var audit = directory.Audit(actor, "approval-request", proposed.Id, [new FieldChange("approval", null, JsonSerializer.Serialize(item.Id))], string.Join(" ", reasons));
        return await directory.Store.CreateWorkItemAsync(item, audit, ct);
    }

    public static Proposal Read(WorkItem item) => JsonSerializer.Deserialize<Proposal>(item.Payload, StoreJson.Options)!;

    public Task<IReadOnlyList<WorkItem>> OpenAsync(int limit, CancellationToken ct) => directory.Store.ListWorkItemsAsync(WorkItemKinds.Approval, openOnly: true, limit, ct);

    public async Task<WorkItem?> GetAsync(string id, CancellationToken ct) =>
        await directory.Store.GetWorkItemAsync(id, ct) is { Kind: WorkItemKinds.Approval } item ? item : null;

    /// <summary>Approves and writes the change; see <see cref="ApprovalOutcome"/> for why it may not.</summary>
    public async Task<(ApprovalOutcome Outcome, StoredListing? Written)> ApproveAsync(string id, Actor approver, CancellationToken ct)
    {
        if (await GetAsync(id, ct) is not { } item) return (ApprovalOutcome.NotFound, null);
        if (!item.IsOpen) return (ApprovalOutcome.NotOpen, null);
        if (item.CreatedBy?.ObjectId == approver.ObjectId) return (ApprovalOutcome.OwnChange, null);
        var proposal = Read(item);
        var note = $"Approved change {item.Id} by {item.CreatedBy?.Name}.";
        WorkItem approved;
        try
        {
            approved = await directory.Store.UpdateWorkItemAsync(item with { Status = WorkItemStatus.Approved, ResolvedAt = directory.Time.GetUtcNow(), ResolvedBy = approver }, item.ETag,
                directory.Audit(approver, "approval-approve", item.ListingId, [new FieldChange("approval", JsonSerializer.Serialize(item.Id), "\"approved\"")]), ct);
        }
        catch (ConcurrencyException) { return (ApprovalOutcome.NotOpen, null); }
        try
        {
            var written = proposal.BaseETag is null
                ? await directory.CreateAsync(proposal.Listing, approver, ct)
                : await directory.ReplaceAsync(proposal.Listing, proposal.BaseETag, approver, "approve", note, ct);
            return (ApprovalOutcome.Approved, written);
        }
        catch (Exception e) when (e is ConcurrencyException or ListingNotFoundException or ListingExistsException)
        {
            // The listing changed after the change was proposed: writing it now would undo that change unseen.
            await directory.Store.UpdateWorkItemAsync(approved with { Status = WorkItemStatus.Rejected, Note = ListingChangedNote }, approved.ETag,
                directory.Audit(approver, "approval-reject", item.ListingId, [new FieldChange("approval", "\"approved\"", "\"rejected\"")], ListingChangedNote), ct);
            return (ApprovalOutcome.ListingChanged, null);
        }
    }

    public const string ListingChangedNote = "The listing changed after this change was proposed; propose it again on the current version.";

    /// <summary>Rejects the change (nothing is written); the work item as rejected.</summary>
    public async Task<(ApprovalOutcome Outcome, WorkItem? Rejected)> RejectAsync(string id, Actor actor, string? note, CancellationToken ct)
    {
        if (await GetAsync(id, ct) is not { } item) return (ApprovalOutcome.NotFound, null);
        if (!item.IsOpen) return (ApprovalOutcome.NotOpen, null);
        try
        {
            return (ApprovalOutcome.Rejected, await directory.Store.UpdateWorkItemAsync(item with { Status = WorkItemStatus.Rejected, ResolvedAt = directory.Time.GetUtcNow(), ResolvedBy = actor, Note = note }, item.ETag,
                directory.Audit(actor, "approval-reject", item.ListingId, [new FieldChange("approval", JsonSerializer.Serialize(item.Id), "\"rejected\"")], note), ct));
        }
        catch (ConcurrencyException) { return (ApprovalOutcome.NotOpen, null); }
    }

    /// <summary>The change value by value: the listing now (null: new) against the proposal, as the history shows an
    /// audit entry's changes (the store's field diff, walked down by <see cref="ListingDiff"/>).</summary>
    public static IReadOnlyList<ValueDiff> Changes(Listing? current, Listing proposed) => ListingDiff.Of(DirectoryService.Diff(current, proposed));
}

public enum ApprovalOutcome { Approved, Rejected, NotFound, NotOpen, OwnChange, ListingChanged }
