using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// Readiness of the store: a read of the latest change sequence (Cosmos DB: a point read of one small document),
/// cut at 2 s so that the probe answers well within its own timeout. When the store is unreachable the instance
/// still answers every search from memory, so it reports Degraded and stays in rotation (<see cref="RotationRule"/>):
/// taking every instance out of rotation during a store outage would stop searches too.
/// </summary>
public sealed class StoreHealthCheck(IDirectoryStore store, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var latest = await store.LatestSequenceAsync(cts.Token);
            return HealthCheckResult.Healthy("Store reachable.", new Dictionary<string, object> { ["latestSequence"] = latest });
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && (e is StoreUnavailableException || timeout.IsCancellationRequested))
        {
            return HealthCheckResult.Degraded("Store unreachable: searches answer from memory, writes answer 503.", e);
        }
    }
}
