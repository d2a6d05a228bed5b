using ReferralDirectory.Listings;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// Keeps this instance's search index in step with writes other instances made to the shared store: every
/// <see cref="StorageOptions.SyncIntervalSeconds"/> it reads the store's latest change sequence, then applies the
/// changes after its position from the configured <see cref="IChangeSource"/>.
/// <list type="bullet">
/// <item>Each cycle has a time limit shorter than the interval (<see cref="StorageOptions.SyncTimeout"/>, retries
/// included): a slow or hung store call is cancelled, never held on to. Pages applied before the cut are kept.</item>
/// <item>A watchdog gives up on a cycle still running at the end of its interval (a call that ignored its
/// cancellation); its late pages cannot overwrite newer ones (<see cref="DirectoryService.SyncAsync(IChangeSource, int, CancellationToken)"/>
/// applies a page only from the current position).</item>
/// <item>After a cycle timed out or was given up on, the store's pooled connections are recycled and the next
/// cycle runs at once, on fresh connections, instead of an interval later.</item>
/// <item>Failures, timeouts and crossing the lag bound (3 intervals) are logged as warnings; lag and "behind" go to
/// <see cref="SyncStatus"/> (metrics, the <c>sync</c> health check).</item>
/// </list>
/// Staleness bound: a write acknowledged by another instance is searchable here within 3 intervals, a hung
/// change query included, while the store answers. While it does not, searches keep answering from memory.
/// </summary>
public sealed partial class IndexSyncService(DirectoryService directory, IChangeSource source, IStoreConnections connections, SyncStatus status,
    StartupState state, TimeProvider time, ILogger<IndexSyncService> logger) : BackgroundService
{
    private const int MinPageSize = 50;
    private int _pageSize = DirectoryService.SyncPageSize;
    private bool _pastBound;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(status.Interval, time);
        try
        {
            while (!state.Ready)
                if (!await timer.WaitForNextTickAsync(stoppingToken)) return;
            status.Begin(source.Name, directory.SyncedPosition);
            do
            {
                try
                {
                    WatchBound();
                    var outcome = await RunCycleAsync(stoppingToken);
                    if (outcome is SyncOutcome.TimedOut or SyncOutcome.Abandoned) await RunCycleAsync(stoppingToken);
                    WatchBound();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogLoopError(logger, e); // never let the loop die: a dead loop would be a silent stall
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One cycle: the latest sequence, then the changes, within the cycle's time limit and the watchdog's.</summary>
    internal async Task<SyncOutcome> RunCycleAsync(CancellationToken stop)
    {
        var started = status.CycleStarted();
        var deadline = new CancellationTokenSource(status.Timeout, time);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, deadline.Token);
        var cycle = CycleAsync(linked.Token);
        // The token sources live as long as the cycle does, which may be longer than this call (below).
        _ = cycle.ContinueWith(t =>
        {
            _ = t.Exception; // observed: an abandoned cycle's late failure is not an unobserved exception
            linked.Dispose();
            deadline.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (await Task.WhenAny(cycle, Task.Delay(status.Interval, time, stop)) != cycle)
        {
            stop.ThrowIfCancellationRequested();
            // The watchdog: cancelled at its time limit, the cycle is still running at the end of its interval.
            Recycle();
            _pageSize = Math.Max(MinPageSize, _pageSize / 2);
            status.CycleEnded(started, SyncOutcome.Abandoned, null, directory.SyncedPosition);
            LogAbandoned(logger, status.Interval.TotalSeconds, status.Timeout.TotalSeconds, status.Lag.TotalSeconds, status.Behind);
            return SyncOutcome.Abandoned;
        }
        try
        {
            var result = await cycle;
            var outcome = result.Superseded ? SyncOutcome.Partial : SyncOutcome.Succeeded;
            status.CycleEnded(started, outcome, result, result.Position);
            _pageSize = Math.Min(DirectoryService.SyncPageSize, _pageSize * 2);
            if (result.Applied > 0) LogApplied(logger, result.Applied, source.Name);
            return outcome;
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            Recycle();
            _pageSize = Math.Max(MinPageSize, _pageSize / 2);
            status.CycleEnded(started, SyncOutcome.TimedOut, null, directory.SyncedPosition);
            if (ShouldLog(status.ConsecutiveFailures))
                LogTimedOut(logger, status.Timeout.TotalSeconds, status.Lag.TotalSeconds, status.Behind, status.ConsecutiveFailures, e.GetType().Name);
            return SyncOutcome.TimedOut;
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            status.CycleEnded(started, SyncOutcome.Failed, null, directory.SyncedPosition);
            if (ShouldLog(status.ConsecutiveFailures)) LogFailed(logger, e, status.Lag.TotalSeconds, status.Behind, status.ConsecutiveFailures);
            return SyncOutcome.Failed;
        }
    }

    private async Task<SyncResult> CycleAsync(CancellationToken ct)
    {
        // Read first, on its own: the "behind" figure is known even when the change read then hangs.
        status.SawLatest(await directory.Store.LatestSequenceAsync(ct));
        return await directory.SyncAsync(source, _pageSize, ct);
    }

    private void Recycle()
    {
        connections.Recycle();
        status.ConnectionsRecycled();
    }

    /// <summary>The first failures of a run, then one a minute or so (a store outage fails every cycle).</summary>
    private bool ShouldLog(int consecutiveFailures) =>
        consecutiveFailures <= 3 || consecutiveFailures % Math.Max(1, (int)(60 / status.Interval.TotalSeconds)) == 0;

    private void WatchBound()
    {
        var past = status.PastBound;
        if (past && !_pastBound) LogPastBound(logger, status.Lag.TotalSeconds, status.LagBound.TotalSeconds, status.Behind);
        else if (!past && _pastBound) LogInStep(logger, status.LagBound.TotalSeconds);
        _pastBound = past;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Index sync applied {Count} changes from the store ({Source})")]
    private static partial void LogApplied(ILogger logger, int count, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index sync failed ({Failures} in a row); index last in step {Lag:F1} s ago, {Behind} changes behind the store; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception e, double lag, long behind, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index sync cycle cut at its {Timeout:F2} s time limit ({Failures} in a row, {Error}): a slow or hung store call; store connections recycled, retrying at once. Index last in step {Lag:F1} s ago, {Behind} changes behind")]
    private static partial void LogTimedOut(ILogger logger, double timeout, double lag, long behind, int failures, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index sync cycle ran past its {Interval:F2} s interval although cancelled at {Timeout:F2} s: given up on, store connections recycled, retrying at once. Index last in step {Lag:F1} s ago, {Behind} changes behind")]
    private static partial void LogAbandoned(ILogger logger, double interval, double timeout, double lag, long behind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search index out of step with the store: last in step {Lag:F1} s ago, past the {Bound:F1} s bound, {Behind} changes behind; /health/ready reports Degraded")]
    private static partial void LogPastBound(ILogger logger, double lag, double bound, long behind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Index sync loop error; the loop goes on")]
    private static partial void LogLoopError(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index back in step with the store (within the {Bound:F1} s bound)")]
    private static partial void LogInStep(ILogger logger, double bound);
}
