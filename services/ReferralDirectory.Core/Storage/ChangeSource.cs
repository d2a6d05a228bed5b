namespace ReferralDirectory.Storage;

/// <summary>
/// How far an instance's index has applied the store's change sequence: the last listing change and the last purge
/// applied, and the source's own cursor (a change-feed continuation; null for the change query).
/// </summary>
public sealed record SyncPosition(long Sequence, long PurgeSequence, string? Cursor = null)
{
    public static readonly SyncPosition Start = new(0, 0);
    /// <summary>The highest change sequence applied (listings and purges share one sequence).</summary>
    public long Applied => Math.Max(Sequence, PurgeSequence);
}

/// <summary>
/// One read of a <see cref="IChangeSource"/>: the listings written (live or retired) and the purges after the
/// position read from, each oldest first, and the position to read from next. <see cref="More"/> is true when the
/// source holds more than one page and should be read again now.
/// </summary>
public sealed record ChangePage(IReadOnlyList<ListingChange> Changes, IReadOnlyList<(long Sequence, string Id)> Purges,
    SyncPosition Next, bool More);

/// <summary>
/// The sync contract: where an instance reads the writes other instances made, in commit order. Two sources keep
/// it: <see cref="ChangeQuerySource"/> (the store's ordered change query; every store, and the only one the
/// Cosmos-protocol test server supports) and the Cosmos DB change feed (pull model, for Azure). The index sync
/// loop reads whichever is configured, the same way; nothing else changes when switching.
/// <para>
/// Rules every source keeps: changes come in commit order; a read may repeat a change already returned (the
/// consumer skips sequences at or below its position); <see cref="ChangePage.Next"/> only moves forward; a read
/// honours its cancellation token promptly (the loop's per-cycle timeout depends on it).
/// </para>
/// </summary>
public interface IChangeSource
{
    /// <summary>A short name for status output and logs ("ChangeQuery", "ChangeFeed").</summary>
    string Name { get; }

    /// <summary>Reads at most about <paramref name="max"/> listing changes after <paramref name="from"/>.</summary>
    Task<ChangePage> ReadAsync(SyncPosition from, int max, CancellationToken ct);
}

/// <summary>
/// The change query: the listings whose sequence is above the position (<see cref="IDirectoryStore.ChangesSinceAsync"/>)
/// and the purges above it. Works on every store.
/// </summary>
public sealed class ChangeQuerySource(IDirectoryStore store) : IChangeSource
{
    public string Name => "ChangeQuery";

    public async Task<ChangePage> ReadAsync(SyncPosition from, int max, CancellationToken ct)
    {
        var changes = await store.ChangesSinceAsync(from.Sequence, max, ct);
        var purges = await store.PurgesSinceAsync(from.PurgeSequence, ct);
        var next = new SyncPosition(
            changes.Count > 0 ? changes[^1].Sequence : from.Sequence,
            purges.Count > 0 ? purges[^1].Sequence : from.PurgeSequence,
            from.Cursor);
        return new ChangePage(changes, purges, next, More: changes.Count >= max);
    }
}
