using System.Security.Cryptography;

namespace ReferralDirectory.Storage;

/// <summary>What a copy moved.</summary>
public sealed record StoreCopyResult(int Listings, int Retired, int ApiKeys, int AuditEntries, int Secrets, int WorkItems);

/// <summary>
/// Copies a whole directory from one store into an empty one (SQLite to Cosmos DB and back): listings (retired
/// ones stay retired), named secrets (so confidential stand-in points do not move), API keys (revoked ones stay
/// revoked), work items waiting for staff (approvals, suggestions; open or resolved) and the audit log. The target assigns its own ETags, versions and change sequence; copying API keys
/// adds one <c>import</c> audit entry per key (stores record every key change with an audit entry).
/// </summary>
public static class StoreCopier
{
    public static async Task<StoreCopyResult> CopyAsync(IDirectoryStore from, IDirectoryStore to, IReadOnlyList<string> secretNames,
        Actor actor, TimeProvider time, CancellationToken ct = default)
    {
        await from.InitializeAsync(ct);
        await to.InitializeAsync(ct);
        if ((await to.ChangesSinceAsync(0, 1, ct)).Count > 0 || (await to.ListApiKeysAsync(ct)).Count > 0)
            throw new InvalidOperationException("The target store is not empty; copy only into an empty store.");

        var secrets = 0;
        foreach (var name in secretNames)
        {
            // Secrets already exist in a store in use; a missing one is made at the length the service makes them.
            var value = await from.GetOrCreateSecretAsync(name, Safety.PageCursors.SecretLength, ct);
            if (await to.ImportSecretAsync(name, value, ct)) secrets++;
        }

        int listings = 0, retired = 0;
        var batch = new List<StoredListing>();
        async Task Flush()
        {
            await to.CreateManyAsync([.. batch.Select(b => b.Listing)], ct);
            foreach (var r in batch.Where(b => b.Retired))
            {
                var created = await to.GetAsync(r.Listing.Id, ct) ?? throw new InvalidOperationException($"'{r.Listing.Id}' vanished during the copy.");
                await to.ReplaceAsync(r.Listing, created.ETag, retired: true, ct: ct);
                retired++;
            }
            listings += batch.Count;
            batch.Clear();
        }
        await foreach (var s in from.ReadAllAsync(includeRetired: true, ct))
        {
            batch.Add(s);
            if (batch.Count == 200) await Flush();
        }
        if (batch.Count > 0) await Flush();

        var audit = new List<AuditEntry>();
        string? before = null;
        while (true)
        {
            var page = await from.QueryAuditAsync(new AuditQuery { Limit = 500, Before = before }, ct);
            audit.AddRange(page);
            if (page.Count < 500) break;
            before = page[^1].Id;
        }
        audit.Reverse();
        foreach (var e in audit) await to.AppendAuditAsync(e, ct);

        var keys = 0;
        foreach (var k in await from.ListApiKeysAsync(ct))
        {
            await to.CreateApiKeyAsync(k with { RevokedAt = null }, Entry(time, actor, "api-key-create", $"copied key {k.Id}"), ct);
            if (k.RevokedAt is { } at) await to.RevokeApiKeyAsync(k.Id, at, Entry(time, actor, "api-key-revoke", $"copied key {k.Id}"), ct);
            keys++;
        }
        var work = 0;
        foreach (var kind in (string[])[WorkItemKinds.Approval, WorkItemKinds.Suggestion])
        {
            foreach (var w in await from.ListWorkItemsAsync(kind, openOnly: false, int.MaxValue, ct))
            {
                await to.CreateWorkItemAsync(w, ct: ct);
                work++;
            }
        }
        return new StoreCopyResult(listings, retired, keys, audit.Count, secrets, work);
    }

    private static AuditEntry Entry(TimeProvider time, Actor actor, string action, string note)
    {
        var now = time.GetUtcNow();
        return new AuditEntry
        {
            Id = $"{now.ToUnixTimeMilliseconds():D13}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}",
            At = now, Actor = actor, Action = action, Note = note,
        };
    }
}
