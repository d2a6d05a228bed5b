using System.ComponentModel.DataAnnotations;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
using Polly.Timeout;

namespace ReferralDirectory.Storage.Resilience;

/// <summary>Tells transient store failures (worth retrying) from the rest, and the server's retry-after hint.</summary>
public interface ITransientFaultClassifier
{
    bool IsTransient(Exception exception);
    /// <summary>How long the server asked us to wait (e.g. a 429's x-ms-retry-after-ms), when it said.</summary>
    TimeSpan? RetryAfter(Exception exception);
}

/// <summary>Resilience settings for store calls. Section <c>Storage:Resilience</c>.</summary>
public sealed class StoreResilienceOptions
{
    public const string Section = "Storage:Resilience";

    /// <summary>One attempt's time limit.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")] public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>The whole call's time limit, retries included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")] public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);
    [Range(0, 20)] public int MaxRetries { get; set; } = 4;
    /// <summary>First back-off delay (exponential with jitter) when the server gave no retry-after.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")] public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Longest server retry-after honoured inside one call; longer ones end the call with 503 + Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")] public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
    [Range(0.01, 1.0)] public double BreakerFailureRatio { get; set; } = 0.5;
    [Range(2, 10_000)] public int BreakerMinimumThroughput { get; set; } = 8;
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")] public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")] public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Fault injection switched on by hand (tests, game days): Polly's chaos strategies sit innermost in every store
/// pipeline and inject nothing unless <see cref="Fault"/> or <see cref="Latency"/> is set.
/// </summary>
public sealed class StoreChaos
{
    /// <summary>Called for every attempt; a non-null result is thrown instead of calling the store.</summary>
    public Func<Exception?>? Fault { get; set; }
    /// <summary>Added before every attempt.</summary>
    public TimeSpan? Latency { get; set; }
}

/// <summary>The named pipelines around store calls, in a <see cref="ResiliencePipelineRegistry{TKey}"/>.</summary>
public static class StorePipelines
{
    /// <summary>Reads (point reads, queries, pages of a full load): total timeout and retry.</summary>
    public const string Read = "store-read";
    /// <summary>Writes: total timeout and retry; idempotent per attempt (the store recognises an attempt that already committed).</summary>
    public const string Write = "store-write";
    /// <summary>Every attempt, read or write, passes this one circuit breaker (one store, one health), then the
    /// attempt timeout and the (normally idle) chaos strategies.</summary>
    public const string Attempt = "store-attempt";

    /// <summary>Read and Write: total timeout, then retry with jitter honouring retry-after; each attempt runs
    /// through Attempt: circuit breaker, attempt timeout, chaos.</summary>
    public static ResiliencePipelineRegistry<string> CreateRegistry(StoreResilienceOptions o, ITransientFaultClassifier faults, StoreChaos chaos, TimeProvider time)
    {
        var registry = new ResiliencePipelineRegistry<string>(new ResiliencePipelineRegistryOptions<string> { BuilderFactory = () => new ResiliencePipelineBuilder { TimeProvider = time } });
        registry.TryAddBuilder(Read, (b, _) => ConfigureCall(b, o, faults));
        registry.TryAddBuilder(Write, (b, _) => ConfigureCall(b, o, faults));
        registry.TryAddBuilder(Attempt, (b, _) => ConfigureAttempt(b, o, faults, chaos));
        return registry;
    }

    private static bool Handles(Exception? e, ITransientFaultClassifier faults) =>
        e is TimeoutRejectedException || (e is not null && faults.IsTransient(e));

    private static void ConfigureCall(ResiliencePipelineBuilder b, StoreResilienceOptions o, ITransientFaultClassifier faults)
    {
        b.AddTimeout(o.TotalTimeout)
         .AddRetry(new RetryStrategyOptions
         {
             MaxRetryAttempts = Math.Max(1, o.MaxRetries),
             BackoffType = DelayBackoffType.Exponential,
             UseJitter = true,
             Delay = o.BaseDelay,
             // An open circuit is not retried (fail fast); a retry-after longer than MaxRetryAfter ends the call.
             ShouldHandle = args => ValueTask.FromResult(o.MaxRetries > 0 && Handles(args.Outcome.Exception, faults)
                 && !(args.Outcome.Exception is { } e && faults.RetryAfter(e) > o.MaxRetryAfter)),
             // The server's retry-after is the delay (the SDK's own 429 retries are off), never stacked on a back-off.
             DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } e ? faults.RetryAfter(e) : null),
         });
    }

    private static void ConfigureAttempt(ResiliencePipelineBuilder b, StoreResilienceOptions o, ITransientFaultClassifier faults, StoreChaos chaos)
    {
        b.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = o.BreakerFailureRatio,
            MinimumThroughput = o.BreakerMinimumThroughput,
            SamplingDuration = o.BreakerSamplingDuration,
            BreakDuration = o.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(Handles(args.Outcome.Exception, faults)),
        })
         .AddTimeout(o.AttemptTimeout)
         .AddChaosLatency(new ChaosLatencyStrategyOptions
         {
             InjectionRate = 1,
             EnabledGenerator = _ => ValueTask.FromResult(chaos.Latency is not null),
             LatencyGenerator = _ => ValueTask.FromResult(chaos.Latency ?? TimeSpan.Zero),
         })
         .AddChaosFault(new ChaosFaultStrategyOptions
         {
             InjectionRate = 1,
             EnabledGenerator = _ => ValueTask.FromResult(chaos.Fault is not null),
             FaultGenerator = _ => ValueTask.FromResult(chaos.Fault?.Invoke()),
         });
    }

    /// <summary>
    /// Runs a store call through <paramref name="pipeline"/>; when it cannot complete (retries exhausted on a
    /// transient failure, timeout, open circuit) throws <see cref="StoreUnavailableException"/> with a Retry-After.
    /// Other exceptions (conflicts, not found) pass through unchanged.
    /// </summary>
    public static async Task<T> RunAsync<T>(ResiliencePipeline pipeline, ResiliencePipeline attempt, ITransientFaultClassifier faults, StoreResilienceOptions o,
        Func<CancellationToken, ValueTask<T>> call, CancellationToken ct)
    {
        try
        {
            return await pipeline.ExecuteAsync(t => attempt.ExecuteAsync(call, t), ct);
        }
        catch (BrokenCircuitException e)
        {
            throw new StoreUnavailableException(e.RetryAfter ?? o.BreakDuration, e);
        }
        catch (TimeoutRejectedException e) when (!ct.IsCancellationRequested)
        {
            throw new StoreUnavailableException(TimeSpan.FromSeconds(1), e);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not StoreUnavailableException && faults.IsTransient(e))
        {
            var after = faults.RetryAfter(e) ?? TimeSpan.FromSeconds(1);
            throw new StoreUnavailableException(after < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : after, e);
        }
    }
}
