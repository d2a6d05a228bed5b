using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// How far behind the store this instance's search index is: Healthy while the last in-step sync started within
/// 3 sync intervals (the promised bound), Degraded past it. Its data carries the figures (lag seconds, changes
/// behind, the source, cycle counts). Whether a Degraded sync takes the instance out of rotation is
/// <see cref="RotationRule"/>'s call.
/// </summary>
public sealed class SyncHealthCheck(SyncStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!status.Started) return Task.FromResult(HealthCheckResult.Healthy("Starts once the search index is loaded."));
        var lag = status.Lag;
        var data = new Dictionary<string, object>
        {
            ["lagSeconds"] = Math.Ceiling(lag.TotalSeconds * 1000) / 1000, // rounded up: never reported under the bound when past it
            ["boundSeconds"] = status.LagBound.TotalSeconds,
            ["intervalSeconds"] = status.Interval.TotalSeconds,
            ["behind"] = status.Behind,
            ["appliedSequence"] = status.Position.Applied,
            ["latestSequence"] = status.LatestSequence,
            ["source"] = status.Source,
            ["lastOutcome"] = status.LastOutcome?.ToString() ?? "None",
            ["consecutiveFailures"] = status.ConsecutiveFailures,
            ["cycles"] = status.CyclesEnded,
            ["connectionRecycles"] = status.ConnectionRecycles,
        };
        var seconds = lag.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        var bound = status.LagBound.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return Task.FromResult(lag <= status.LagBound
            ? HealthCheckResult.Healthy($"In step with the store: last synced {seconds} s ago (bound {bound} s).", data)
            : HealthCheckResult.Degraded($"Behind the store: last in step {seconds} s ago, past the {bound} s bound. Searches answer from an older index.", data: data));
    }
}
