using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// Whether this instance should take traffic behind a load balancer: <c>/health/ready</c> answers 200 when it
/// should and 503 when it should leave rotation. Out of rotation:
/// <list type="bullet">
/// <item>any check Unhealthy (still starting: the index is not loaded);</item>
/// <item>the sync check Degraded (the index is past the staleness bound) while the store check is Healthy: the
/// store answers this instance, so the fault is this instance's own (a stuck loop, a broken connection) and its
/// peers are in step. It comes back once it has caught up.</item>
/// </list>
/// In rotation, though Degraded: the store unreachable. Then every instance lags alike and still answers every
/// search from memory; taking them all out would stop searches too.
/// </summary>
public static class RotationRule
{
    public const string Sync = "sync";
    public const string Store = "store";

    public static bool InRotation(HealthReport report)
    {
        if (report.Entries.Values.Any(e => e.Status == HealthStatus.Unhealthy)) return false;
        return !(report.Entries.TryGetValue(Sync, out var sync) && sync.Status == HealthStatus.Degraded
                 && report.Entries.TryGetValue(Store, out var store) && store.Status == HealthStatus.Healthy);
    }
}
