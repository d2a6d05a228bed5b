using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Exchange;

/// <summary>The outcome of writing one import batch; <see cref="Problem"/> is set when the batch was refused (then
/// nothing of it was written).</summary>
public sealed record BatchResult(int Created, int Updated, int Unchanged, ImportProblem? Problem);

/// <summary>
/// Idempotent upsert of imported listings by <see cref="Listing.ExternalId"/>, one store transaction per batch, through
/// <see cref="DirectoryService"/> (store first, then index). A listing already stored under the same external id keeps
/// its directory id and is replaced only when its document changed, so an unchanged row is never rewritten.
/// </summary>
public static class ListingUpsert
{
    /// <summary>Who bulk imports are recorded as in the audit log when the caller names no one.</summary>
    public static Actor CommandLineActor => new("cli:" + Environment.UserName, $"Command-line import ({Environment.UserName})");

    public static async Task<BatchResult> WriteBatchAsync(DirectoryService directory, IReadOnlyList<(long Line, Listing Listing)> batch, Actor actor, CancellationToken ct = default)
    {
        if (batch.Count == 0) return new BatchResult(0, 0, 0, null);
        var existing = await directory.Store.GetByExternalIdsAsync([.. batch.Select(b => b.Listing.ExternalId!)], ct);
        var creates = new List<Listing>();
        var replaces = new List<(Listing, string)>();
        var unchanged = 0;
        foreach (var (_, l) in batch)
        {
            if (existing.TryGetValue(l.ExternalId!, out var current))
            {
                var next = l with { Id = current.Id };
                // Kept as is (verification too) unless the imported content differs.
                next = next with { LastVerified = current.Listing.LastVerified, LastVerification = current.Listing.LastVerification };
                if (!current.Retired && StoreJson.Serialize(next) == StoreJson.Serialize(current.Listing)) unchanged++;
                else replaces.Add((next, current.ETag));
            }
            else creates.Add(l);
        }
        try
        {
            await directory.WriteBatchAsync(creates, replaces, actor, ct);
        }
        catch (ListingExistsException e)
        {
            var line = batch.FirstOrDefault(b => b.Listing.Id == e.Id).Line;
            return new BatchResult(0, 0, 0, new ImportProblem(line, "id", $"Id '{e.Id}' already belongs to another listing (with a different external id). Nothing from line {batch[0].Line} on was written."));
        }
        catch (ConcurrencyException e)
        {
            var line = batch.FirstOrDefault(b => b.Listing.Id == e.Id).Line;
            return new BatchResult(0, 0, 0, new ImportProblem(line, null, $"Listing '{e.Id}' was changed by someone else during the import. Nothing from line {batch[0].Line} on was written; run the import again."));
        }
        return new BatchResult(creates.Count, replaces.Count, unchanged, null);
    }
}
