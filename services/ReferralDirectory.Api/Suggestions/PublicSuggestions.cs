using System.Security.Cryptography;
using System.Text.Json;
using ReferralDirectory.Listings;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Suggestions;

/// <summary>
/// Corrections suggested by the public, kept as <see cref="WorkItemKinds.Suggestion"/> work items until an editor turns
/// one into an edit ("applied") or dismisses it. Each step is audited: "suggestion-create" (by the fixed
/// <see cref="PublicActor"/>), "suggestion-apply", "suggestion-dismiss". The public API, the editors' API and the inbox
/// page all go through here.
/// </summary>
public sealed class PublicSuggestions(DirectoryService directory)
{
    /// <summary>Who a suggestion's audit entry names: the public, never a person.</summary>
    public static readonly Actor PublicActor = new("public", "public");

    /// <summary>How many open suggestions are read for the inbox (newest first).</summary>
    public const int ReadLimit = 1000;

    /// <summary>What a suggestion work item holds.</summary>
    public sealed record Payload(string Field, string Message, string? Contact);

    public async Task<WorkItem> CreateAsync(string listingId, string field, string message, string? contact, CancellationToken ct)
    {
        var now = directory.Time.GetUtcNow();
        var item = new WorkItem
        {
            Id = $"suggestion-{now.ToUnixTimeMilliseconds():D13}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}",
            Kind = WorkItemKinds.Suggestion, ListingId = listingId, Status = WorkItemStatus.Open, CreatedAt = now, CreatedBy = null,
            Payload = JsonSerializer.Serialize(new Payload(field, message, contact), StoreJson.Options),
        };
        // The audit names the item and its field; the text and the contact stay in the item.
        var audit = directory.Audit(PublicActor, "suggestion-create", listingId,
            [new FieldChange("suggestion", null, JsonSerializer.Serialize(new { id = item.Id, field }))]);
        return await directory.Store.CreateWorkItemAsync(item, audit, ct);
    }

    public static Payload Read(WorkItem item) => JsonSerializer.Deserialize<Payload>(item.Payload, StoreJson.Options)!;

    /// <summary>Open suggestions, newest first.</summary>
    public async Task<IReadOnlyList<WorkItem>> OpenAsync(CancellationToken ct) =>
        [.. (await directory.Store.ListWorkItemsAsync(WorkItemKinds.Suggestion, openOnly: true, ReadLimit, ct))
            .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id, StringComparer.Ordinal)];

    public async Task<WorkItem?> GetAsync(string id, CancellationToken ct) =>
        await directory.Store.GetWorkItemAsync(id, ct) is { Kind: WorkItemKinds.Suggestion } item ? item : null;

    /// <summary>Marks the suggestion applied (the editor goes on to edit the listing) or dismissed, with an optional note.</summary>
    public async Task<(SuggestionOutcome Outcome, WorkItem? Item)> ResolveAsync(string id, bool applied, Actor actor, string? note, CancellationToken ct)
    {
        if (await GetAsync(id, ct) is not { } item) return (SuggestionOutcome.NotFound, null);
        if (!item.IsOpen) return (SuggestionOutcome.NotOpen, item);
        var status = applied ? WorkItemStatus.Applied : WorkItemStatus.Dismissed;
        note = SuggestionRules.Trimmed(note);
        try
        {
            var resolved = await directory.Store.UpdateWorkItemAsync(item with { Status = status, ResolvedAt = directory.Time.GetUtcNow(), ResolvedBy = actor, Note = note }, item.ETag,
                directory.Audit(actor, applied ? "suggestion-apply" : "suggestion-dismiss", item.ListingId,
                    [new FieldChange("suggestion", JsonSerializer.Serialize(item.Id), JsonSerializer.Serialize(status))], note), ct);
            return (applied ? SuggestionOutcome.Applied : SuggestionOutcome.Dismissed, resolved);
        }
        catch (ConcurrencyException) { return (SuggestionOutcome.NotOpen, item); }
    }

    /// <summary>A note's rule: optional, at most 1000 characters.</summary>
    public static bool NoteIsValid(string? note) => SuggestionRules.Trimmed(note) is not { } n || (n.Length <= NoteMax && !n.Any(c => char.IsControl(c) && c is not '\n' and not '\t'));

    public const int NoteMax = 1000;
}

public enum SuggestionOutcome { Applied, Dismissed, NotFound, NotOpen }
