using Microsoft.Extensions.Options;
using ReferralDirectory.Demo;
using ReferralDirectory.Listings;
using ReferralDirectory.Safety;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// On start, before the server takes requests: migrate the store, read the paging cursors' secret, seed the
/// demo directory if the store is empty (and seeding is on), and load every listing into the search index.
/// </summary>
public sealed partial class DirectoryStartup(
    IDirectoryStore store, DirectoryService directory, PageCursors cursors, IOptions<DemoOptions> demo, TimeProvider time,
    IndexCheckpointLocation checkpoint, StartupState state, ILogger<DirectoryStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        cursors.UseSecret(await store.GetOrCreateSecretAsync(PageCursors.SecretName, PageCursors.SecretLength, cancellationToken));
        if (demo.Value.SeedWhenEmpty && await store.CountAsync(cancellationToken) == 0)
        {
            var listings = DemoDirectory.Create(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
            try
            {
                await store.CreateManyAsync(listings, cancellationToken);
                LogSeeded(logger, listings.Count);
            }
            catch (ListingExistsException)
            {
                // Another instance sharing the store seeded it at the same moment.
            }
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (count, fromCheckpoint) = await directory.LoadIndexAsync(checkpoint.Path, cancellationToken);
        state.LoadedFromCheckpoint = fromCheckpoint;
        // Loading leaves a heap's worth of garbage (documents read, listings decoded): give it back before serving.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var elapsedMs = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogLoaded(logger, count, fromCheckpoint ? "the index checkpoint and the store's changes since" : "the store", elapsedMs);
        state.Ready = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo directory with {Count} listings")]
    private static partial void LogSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index loaded with {Count} listings from {Source} in {Milliseconds} ms")]
    private static partial void LogLoaded(ILogger logger, int count, string source, long milliseconds);
}

/// <summary>Whether start-up has finished (for the readiness check).</summary>
public sealed class StartupState
{
    private volatile bool _ready;
    private volatile bool _loadedFromCheckpoint;

    public bool Ready { get => _ready; set => _ready = value; }
    /// <summary>Whether the index came from the checkpoint (else from the store).</summary>
    public bool LoadedFromCheckpoint { get => _loadedFromCheckpoint; set => _loadedFromCheckpoint = value; }
}

