namespace ReferralDirectory.Storage;

/// <summary>The kinds of <see cref="WorkItem"/> the service keeps.</summary>
public static class WorkItemKinds
{
    /// <summary>A change to a confidential location waiting for a second editor's approval.</summary>
    public const string Approval = "approval";
    /// <summary>A correction suggested by the public, waiting in the editors' inbox.</summary>
    public const string Suggestion = "suggestion";
}

/// <summary>Where a <see cref="WorkItem"/> stands.</summary>
public static class WorkItemStatus
{
    public const string Open = "open";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Applied = "applied";
    public const string Dismissed = "dismissed";
}

/// <summary>
/// Something that waits for staff: a confidential-location change waiting for approval, a suggestion from the public.
/// The store keeps it as a document of its own kind (<see cref="Payload"/> is the feature's own JSON, serialized with
/// <see cref="StoreJson.Options"/>), with its audit entry in the same transaction. <see cref="ETag"/> is set by the
/// store on every write; an update names the ETag it read, and a stale one is refused with
/// <see cref="ConcurrencyException"/>, so two editors can never both resolve the same item.
/// </summary>
public sealed record WorkItem
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public string? ListingId { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Who made it; null when it came from the public.</summary>
    public Actor? CreatedBy { get; init; }
    public required string Payload { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public Actor? ResolvedBy { get; init; }
    public string? Note { get; init; }
    /// <summary>Set by the store; ignored on create and update.</summary>
    public string ETag { get; init; } = "";

    public bool IsOpen => Status == WorkItemStatus.Open;
}

/// <summary>A work item with this id exists already.</summary>
public sealed class WorkItemExistsException(string id) : Exception($"A work item with id '{id}' already exists.")
{
    public string Id { get; } = id;
}

/// <summary>No work item with this id.</summary>
public sealed class WorkItemNotFoundException(string id) : Exception($"No work item with id '{id}'.")
{
    public string Id { get; } = id;
}
