using Microsoft.Extensions.Options;
using ReferralDirectory.Listings;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>Where this instance keeps its index checkpoint (null: none).</summary>
public sealed record IndexCheckpointLocation(string? Path);

/// <summary>
/// Saves the index checkpoint (<see cref="ReferralDirectory.Search.IndexCheckpoint"/>) once start-up has loaded the index, again every
/// <see cref="StorageOptions.IndexCheckpointMinutes"/> when the index changed, and on a clean shutdown. A failed save is
/// logged and changes nothing else (the store is the source of truth; the next start reads it instead).
/// </summary>
public sealed partial class IndexCheckpointService(DirectoryService directory, ReferralDirectory.Search.DirectoryIndex index, IndexCheckpointLocation location,
    StartupState state, IOptions<StorageOptions> options, ILogger<IndexCheckpointService> logger) : BackgroundService
{
    private long _savedVersion = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (location.Path is null) return;
        try
        {
            while (!state.Ready) await Task.Delay(100, stoppingToken);
            if (!state.LoadedFromCheckpoint) await SaveAsync(stoppingToken);
            else _savedVersion = index.Current.Version;
            // Real time on purpose: the saving schedule is housekeeping, not part of what answers say.
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.IndexCheckpointMinutes));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (index.Current.Version != _savedVersion) await SaveAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (location.Path is not null && state.Ready && index.Current.Version != _savedVersion) await SaveAsync(cancellationToken);
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            var version = index.Current.Version;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await directory.SaveCheckpointAsync(location.Path!, ct);
            _savedVersion = version;
            var elapsedMs = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogSaved(logger, index.Current.Count, elapsedMs);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Index checkpoint saved: {Count} listings in {Milliseconds} ms")]
    private static partial void LogSaved(ILogger logger, int count, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving the index checkpoint failed; the next start reads the store instead")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
