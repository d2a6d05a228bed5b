using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// Readiness of the store: a point read of a small document. When the store is unreachable the instance still
/// answers every search from memory, so it reports Degraded (HTTP 200, instance stays in rotation) rather than
/// Unhealthy: taking every instance out of rotation during a store outage would stop searches too.
/// </summary>
public sealed class StoreHealthCheck(IDirectoryStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await store.GetOrCreateSecretAsync(ReferralDirectory.Safety.PageCursors.SecretName, ReferralDirectory.Safety.PageCursors.SecretLength, cts.Token);
            return HealthCheckResult.Healthy("Store reachable.");
        }
        catch (Exception e) when (e is StoreUnavailableException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("Store unreachable: searches answer from memory, writes answer 503.", e);
        }
    }
}
