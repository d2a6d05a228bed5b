using System.IO.Hashing;
using System.Text.Json;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Hsds;

/// <summary>
/// When each listing's PUBLIC HSDS view last changed: what <c>modified_after</c> filters by and <c>last_modified</c>
/// says. Followed from the store's change feed (each write's time is the store's <c>updated_at</c>). A write that leaves
/// the public HSDS document as it was (an editor moving a confidential shelter inside its county, a staff-only note)
/// does not count as a change, so the time depends on the public view only, as the confidential-location rules require.
/// What this process finds on its first use (it keeps no history): a listing's store time of last write, or, for a
/// listing with a confidential location (whose last write may have moved only the shelter), the time of that first use:
/// an aggregator may see it once more, never misses a change, and learns nothing about when the shelter moved.
/// </summary>
public sealed class HsdsModificationTimes(IDirectoryStore store, TimeProvider time) : IDisposable
{
    private const int Batch = 5_000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset At, UInt128 Hash)> _times = new(StringComparer.Ordinal);
    private long _sequence;

    public void Dispose() => _gate.Dispose();

    /// <summary>Catches up with the store's latest writes; then <see cref="Of"/> answers for them.</summary>
    public async Task<HsdsModificationTimes> CurrentAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var initial = _sequence == 0;
            var now = time.GetUtcNow();
            while (true)
            {
                var changes = await store.ChangesSinceAsync(_sequence, Batch, ct);
                var hashes = new UInt128[changes.Count];
                Parallel.For(0, changes.Count, new ParallelOptions { CancellationToken = ct }, i => hashes[i] = PublicHash(changes[i].Listing));
                for (var i = 0; i < changes.Count; i++)
                {
                    var l = changes[i].Listing;
                    if (initial) _times[l.Listing.Id] = (l.Listing.Locations.Any(x => x.Confidential) ? now : l.UpdatedAt, hashes[i]);
                    else if (!_times.TryGetValue(l.Listing.Id, out var was) || was.Hash != hashes[i]) _times[l.Listing.Id] = (l.UpdatedAt, hashes[i]);
                    _sequence = Math.Max(_sequence, changes[i].Sequence);
                }
                if (changes.Count < Batch) break;
            }
            return this;
        }
        finally
        {
            _gate.Release();
        }
    }

    // The public HSDS document of the listing (a retired listing has none).
    private static UInt128 PublicHash(StoredListing l) => l.Retired ? UInt128.Zero
        : XxHash128.HashToUInt128(JsonSerializer.SerializeToUtf8Bytes(HsdsMapper.Organization(l.Listing, withServices: true), HsdsJson.Options));

    /// <summary>When the public HSDS view of listing <paramref name="listingId"/> last changed (null: not known).</summary>
    public DateTimeOffset? Of(string listingId) => _times.TryGetValue(listingId, out var t) ? t.At : null;
}
