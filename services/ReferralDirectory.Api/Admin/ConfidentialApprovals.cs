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

    public async Task<WorkItem> ProposeAsync(Listing proposed, StoredListing? current, Actor actor, string action, IReadOnlyList<string> reasons, CancellationToken ct)
    {
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

    public async Task<ApprovalOutcome> RejectAsync(string id, Actor actor, string? note, CancellationToken ct)
    {
        if (await GetAsync(id, ct) is not { } item) return ApprovalOutcome.NotFound;
        if (!item.IsOpen) return ApprovalOutcome.NotOpen;
        try
        {
            await directory.Store.UpdateWorkItemAsync(item with { Status = WorkItemStatus.Rejected, ResolvedAt = directory.Time.GetUtcNow(), ResolvedBy = actor, Note = note }, item.ETag,
                directory.Audit(actor, "approval-reject", item.ListingId, [new FieldChange("approval", JsonSerializer.Serialize(item.Id), "\"rejected\"")], note), ct);
            return ApprovalOutcome.Rejected;
        }
        catch (ConcurrencyException) { return ApprovalOutcome.NotOpen; }
    }

    /// <summary>The change field by field: the listing now (null: new) against the proposal, in the editor's flat form.</summary>
    public static IReadOnlyList<FieldChangeView> Changes(Listing? current, Listing proposed)
    {
        var before = current is null ? [] : ListingForm.ToForm(current.ToInput());
        var after = ListingForm.ToForm(proposed.ToInput());
        return [.. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(k => new FieldChangeView(k, before.GetValueOrDefault(k), after.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After)];
    }
}

/// <summary>One field of a change: its form path, before and after (null: absent).</summary>
public sealed record FieldChangeView(string Field, string? Before, string? After);

public enum ApprovalOutcome { Approved, Rejected, NotFound, NotOpen, OwnChange, ListingChanged }
