using System.Globalization;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Admin;

/// <summary>
/// The review queue (stale listings), for the API (<c>GET /v1/admin/review-queue</c>) and the freshness board (<c>/staff/admin</c>):
/// active listings not verified within <see cref="VerificationOptions.StaleAfterMonths"/>, never-verified first, then
/// the oldest verification, then id. Each entry's key (its order) is the cursor of the page after it.
/// </summary>
public static class StaleListings
{
    public sealed record Entry(string Key, IndexedListing Listing);

    public static List<Entry> Stale(DirectoryIndex index, TimeProvider time, int staleAfterMonths)
    {
        var now = time.GetUtcNow();
        var staleBefore = DateOnly.FromDateTime(now.UtcDateTime).AddMonths(-staleAfterMonths);
        return [.. index.Current.Matching(SearchFilter.None, now)
            .Where(l => l.LastVerified is not { } d || d < staleBefore)
            .Select(l => new Entry((l.LastVerified ?? DateOnly.MinValue).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "|" + l.Id, l))
            .OrderBy(x => x.Key, StringComparer.Ordinal)];
    }

    /// <summary>The entries after a cursor (all when it is null).</summary>
    public static List<Entry> Page(List<Entry> queue, string? cursor, int limit) =>
        [.. queue.Where(x => cursor is null || string.CompareOrdinal(x.Key, cursor) > 0).Take(limit)];

    /// <summary>Days since a listing was last verified (null: never).</summary>
    public static int? DaysSinceVerified(IndexedListing listing, TimeProvider time) =>
        listing.LastVerified is { } d ? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).DayNumber - d.DayNumber : null;
}
