using Microsoft.Extensions.Options;
using ReferralDirectory.Listings;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// Keeps this instance's search index in step with writes other instances made to the shared store: every
/// <see cref="StorageOptions.SyncIntervalSeconds"/> it applies the store's changes since the last one it saw.
/// Staleness bound: a write through another instance is searchable here within one interval plus one store
/// round trip. Failures are logged and retried on the next tick; searches keep answering from memory.
/// </summary>
public sealed partial class IndexSyncService(DirectoryService directory, StartupState state, IOptions<StorageOptions> options,
    TimeProvider time, ILogger<IndexSyncService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.SyncIntervalSeconds);
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!state.Ready) continue;
            try
            {
                var applied = await directory.SyncAsync(stoppingToken);
                if (applied > 0) LogApplied(logger, applied);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Index sync applied {Count} changes from the store")]
    private static partial void LogApplied(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index sync failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
