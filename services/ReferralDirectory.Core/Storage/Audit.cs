namespace ReferralDirectory.Storage;

/// <summary>Who did something: the token's object id (oid) and display name.</summary>
public sealed record Actor(string ObjectId, string Name);

/// <summary>One field's change: JSON of the value before and after (null when absent).</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>An audit entry, written in the same transaction as the change it records.</summary>
public sealed record AuditEntry
{
    public required string Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required Actor Actor { get; init; }
    /// <summary>create, replace, patch, retire, restore, verify, purge, import, api-key-create, api-key-revoke.</summary>
    public required string Action { get; init; }
    public string? ListingId { get; init; }
    public IReadOnlyList<FieldChange> Changes { get; init; } = [];
    public string? Note { get; init; }
}

/// <summary>Audit filters; all optional. Newest first, paged by <see cref="Before"/> (an entry id).</summary>
public sealed record AuditQuery
{
    public string? ListingId { get; init; }
    public string? ActorObjectId { get; init; }
    public string? Action { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = 50;
    /// <summary>Continue with entries older than this entry id (ids sort by time).</summary>
    public string? Before { get; init; }
}

/// <summary>A partner API key: only a hash of the secret is stored.</summary>
public sealed record ApiKeyRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Hex SHA-256 of the key.</summary>
    public required string Hash { get; init; }
    /// <summary>The first characters of the key, to recognise it.</summary>
    public required string Prefix { get; init; }
    public required int RequestsPerMinute { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required Actor CreatedBy { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>A listing change since a sequence number (for keeping other instances' indexes in step).</summary>
public sealed record ListingChange(long Sequence, StoredListing Listing);
