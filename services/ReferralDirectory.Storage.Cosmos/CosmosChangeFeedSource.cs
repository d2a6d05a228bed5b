using System.Text.Json.Nodes;

namespace ReferralDirectory.Storage.Cosmos;

/// <summary>
/// The Azure Cosmos DB change feed as index sync's source (<c>Storage:Cosmos:SyncSource = ChangeFeed</c>): the pull
/// model (<c>GetChangeFeedStreamIterator</c>, latest-version mode) on the directory's feed range, its logical
/// partition, so changes come in commit order. The cursor is the SDK's continuation token, which holds one
/// continuation per feed range.
/// <para>
/// Start: the index was loaded from a query at some sequence, and the feed cannot start "at a sequence". So the
/// first read takes a continuation for "now" and then runs the change query from the loaded sequence until it has
/// drained (the bridge); from then on only the feed is read. A change that both return is applied once (its
/// sequence is skipped the second time). Deletions are not in the feed; a purge leaves a marker document that is.
/// </para>
/// <para>
/// Every read first reads the log document (1 RU): that completes a commit whose writer died before writing its
/// documents, so that they reach the feed.
/// </para>
/// The Cosmos-protocol test server has no change feed (it answers every feed read with all documents once, then
/// 304 forever), so this source runs only against Azure; the tests cover its start, its bridge and its reading
/// of real feed documents, not an incremental feed. See docs/cosmos-design.md.
/// </summary>
public sealed class CosmosChangeFeedSource(CosmosDirectoryStore store) : IChangeSource
{
    public string Name => "ChangeFeed";

    public async Task<ChangePage> ReadAsync(SyncPosition from, int max, CancellationToken ct)
    {
        // Completes a commit whose writer died before writing its documents, so that they reach the feed.
        await store.LatestSequenceAsync(ct);
        var cursor = Cursor.Parse(from.Cursor);
        if (cursor is null || cursor.Bridging)
        {
            var continuation = cursor?.Continuation ?? await store.ChangeFeedFromNowAsync(ct);
            var changes = await store.ChangesSinceAsync(from.Sequence, max, ct);
            var purges = await store.PurgesSinceAsync(from.PurgeSequence, ct);
            var more = changes.Count >= max;
            return new ChangePage(changes, purges, new SyncPosition(
                changes.Count > 0 ? changes[^1].Sequence : from.Sequence,
                purges.Count > 0 ? purges[^1].Sequence : from.PurgeSequence,
                new Cursor(continuation, Bridging: more).Format()), more);
        }
        var (documents, next, changed) = await store.ReadChangeFeedAsync(cursor.Continuation, max, ct);
        return FromFeed(documents, from, new Cursor(next, Bridging: false).Format(), more: changed, store.PartitionKeyValue);
    }

    /// <summary>A page from change-feed documents: this directory's listings and purge markers above the position,
    /// oldest first; other documents (the log, audit entries, keys, secrets, other directories) are skipped.</summary>
    internal static ChangePage FromFeed(IEnumerable<JsonObject> documents, SyncPosition from, string cursor, bool more, string partitionKey)
    {
        var changes = new List<ListingChange>();
        var purges = new List<(long Sequence, string Id)>();
        foreach (var d in documents)
        {
            if ((string?)d["pk"] != partitionKey || d["seq"] is not JsonValue seqValue) continue;
            var seq = seqValue.GetValue<long>();
            switch ((string?)d["type"])
            {
                case "listing" when seq > from.Sequence: changes.Add(new ListingChange(seq, CosmosDirectoryStore.ToStored(d))); break;
                case "purge" when seq > from.PurgeSequence: purges.Add((seq, (string)d["listingId"]!)); break;
            }
        }
        changes.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        purges.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return new ChangePage(changes, purges, new SyncPosition(
            changes.Count > 0 ? Math.Max(from.Sequence, changes[^1].Sequence) : from.Sequence,
            purges.Count > 0 ? Math.Max(from.PurgeSequence, purges[^1].Sequence) : from.PurgeSequence,
            cursor), more);
    }

    /// <summary>The sync cursor: the SDK's continuation token, and whether the start's bridge query is still running.</summary>
    internal sealed record Cursor(string Continuation, bool Bridging)
    {
        public string Format() => new JsonObject { ["continuation"] = Continuation, ["bridging"] = Bridging }.ToJsonString();

        public static Cursor? Parse(string? text)
        {
            if (text is null || JsonNode.Parse(text) is not JsonObject o || (string?)o["continuation"] is not { } c) return null;
            return new Cursor(c, (bool?)o["bridging"] ?? false);
        }
    }
}
