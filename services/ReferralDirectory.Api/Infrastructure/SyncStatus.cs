using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using ReferralDirectory.Listings;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>How a sync cycle ended.</summary>
public enum SyncOutcome
{
    /// <summary>Read the source to its end and applied everything: the index is in step as of the cycle's start.</summary>
    Succeeded,
    /// <summary>Applied what it read, but stopped before the end (another sync moved the position meanwhile).</summary>
    Partial,
    /// <summary>A store call failed (after the store pipeline's own retries).</summary>
    Failed,
    /// <summary>Cut at its timeout (shorter than the interval): a slow or hung store call.</summary>
    TimedOut,
    /// <summary>Still running after its timeout had cancelled it: the watchdog gave up on it.</summary>
    Abandoned,
}

/// <summary>One ended sync cycle: its number, how it ended, the sequence the index had applied at its end, the
/// listings it applied, and how long it took.</summary>
public sealed record SyncCycle(long Number, SyncOutcome Outcome, long AppliedSequence, int Applied, TimeSpan Duration);

/// <summary>
/// What the index sync loop reports: the lag (time since the start of the last cycle that brought the index level
/// with the store; every write committed before that moment is searchable here), how many change sequences the
/// index is behind the store's latest, and counts of cycles by outcome. Read by the <c>sync</c> health check and
/// published as metrics on the <c>ReferralDirectory</c> meter: <c>directory.sync.lag</c> (s),
/// <c>directory.sync.behind</c>, <c>directory.sync.cycles</c> (by <c>outcome</c>),
/// <c>directory.sync.cycle.duration</c> (s), <c>directory.sync.applied</c> and
/// <c>directory.sync.connection.recycles</c>. No tag says anything about a search or a searcher.
/// <para>
/// Times are monotonic (<see cref="TimeProvider.GetTimestamp"/>): lag is elapsed time, not a wall-clock difference.
/// </para>
/// </summary>
public sealed class SyncStatus
{
    public const string MeterName = "ReferralDirectory";

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Counter<long> _cycles;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _applied;
    private readonly Counter<long> _recycles;
    private long? _inStepSince;
    private long _startedAt;
    private SyncPosition _position = SyncPosition.Start;
    private long _latest;
    private int _consecutiveFailures;
    private SyncOutcome? _lastOutcome;
    private long _cyclesStarted, _cyclesEnded, _succeeded, _timedOut, _abandoned;
    private int _connectionRecycles;
    private string _source = "";

    public SyncStatus(TimeProvider time, IOptions<StorageOptions> options, IMeterFactory meters)
    {
        _time = time;
        Interval = options.Value.SyncInterval;
        Timeout = options.Value.SyncTimeout;
        LagBound = options.Value.SyncLagBound;
        var meter = Meter = meters.Create(MeterName);
        meter.CreateObservableGauge("directory.sync.lag", () => Started ? Lag.TotalSeconds : 0, "s",
            "Seconds since the last sync that brought this instance's search index level with the store.");
        meter.CreateObservableGauge("directory.sync.behind", () => Behind, "{change}",
            "Change sequences this instance's search index is behind the store's latest, as last read.");
        _cycles = meter.CreateCounter<long>("directory.sync.cycles", "{cycle}", "Index sync cycles, by outcome.");
        _duration = meter.CreateHistogram<double>("directory.sync.cycle.duration", "s", "How long index sync cycles take.");
        _applied = meter.CreateCounter<long>("directory.sync.applied", "{listing}", "Listings the index sync applied from other instances' writes.");
        _recycles = meter.CreateCounter<long>("directory.sync.connection.recycles", "{recycle}", "Times the store's connections were dropped after a sync cycle hung.");
    }

    /// <summary>The <c>ReferralDirectory</c> meter these instruments are on (from the host's <see cref="IMeterFactory"/>).</summary>
    public Meter Meter { get; }

    public TimeSpan Interval { get; }
    public TimeSpan Timeout { get; }
    /// <summary>3 intervals: the promised staleness bound.</summary>
    public TimeSpan LagBound { get; }

    /// <summary>Whether the loop has started (the index is loaded).</summary>
    public bool Started { get { lock (_gate) return _startedAt != 0; } }

    /// <summary>Time since the start of the last cycle that read the source to its end (since the loop started, before the first).</summary>
    public TimeSpan Lag
    {
        get { lock (_gate) return _startedAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_inStepSince ?? _startedAt); }
    }

    public bool PastBound => Started && Lag > LagBound;

    public long Behind { get { lock (_gate) return Math.Max(0, _latest - _position.Applied); } }
    public SyncPosition Position { get { lock (_gate) return _position; } }
    public long LatestSequence { get { lock (_gate) return _latest; } }
    public int ConsecutiveFailures { get { lock (_gate) return _consecutiveFailures; } }
    public SyncOutcome? LastOutcome { get { lock (_gate) return _lastOutcome; } }
    public string Source { get { lock (_gate) return _source; } }
    public long CyclesStarted { get { lock (_gate) return _cyclesStarted; } }
    /// <summary>Cycles that ended, whatever the outcome.</summary>
    public long CyclesEnded { get { lock (_gate) return _cyclesEnded; } }
    public long CyclesSucceeded { get { lock (_gate) return _succeeded; } }
    public long CyclesTimedOut { get { lock (_gate) return _timedOut; } }
    public long CyclesAbandoned { get { lock (_gate) return _abandoned; } }
    public int ConnectionRecycles { get { lock (_gate) return _connectionRecycles; } }

    /// <summary>The loop starts (the index was just loaded): lag counts from here until the first successful cycle.</summary>
    public void Begin(string source, SyncPosition position)
    {
        lock (_gate)
        {
            _startedAt = _time.GetTimestamp();
            _source = source;
            _position = position;
        }
    }

    /// <summary>A cycle starts: its number (1, 2, ...) and its start timestamp.</summary>
    public (long Number, long StartedAt) CycleStarted()
    {
        lock (_gate) return (++_cyclesStarted, _time.GetTimestamp());
    }

    /// <summary>Raised as each cycle ends, after the index has its changes (diagnostics and tests).</summary>
    public event Action<SyncCycle>? Ended;

    /// <summary>A cycle ended. <paramref name="result"/> when it returned (succeeded or partial); the index's
    /// position (<paramref name="position"/>) either way, since a cycle cut short keeps the pages it applied.</summary>
    public void CycleEnded((long Number, long StartedAt) cycle, SyncOutcome outcome, SyncResult? result, SyncPosition position)
    {
        var startedAt = cycle.StartedAt;
        var elapsed = _time.GetElapsedTime(startedAt);
        lock (_gate)
        {
            _cyclesEnded++;
            _lastOutcome = outcome;
            _position = position;
            if (outcome == SyncOutcome.Succeeded)
            {
                _succeeded++;
                _consecutiveFailures = 0;
                // Everything committed before this cycle started is applied now.
                if (_inStepSince is null || startedAt > _inStepSince) _inStepSince = startedAt;
            }
            else if (outcome != SyncOutcome.Partial)
            {
                _consecutiveFailures++;
                if (outcome == SyncOutcome.TimedOut) _timedOut++;
                if (outcome == SyncOutcome.Abandoned) _abandoned++;
            }
        }
        _cycles.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeTag(outcome)));
        _duration.Record(elapsed.TotalSeconds);
        if (result is { Applied: > 0 }) _applied.Add(result.Applied);
        Ended?.Invoke(new SyncCycle(cycle.Number, outcome, position.Applied, result?.Applied ?? 0, elapsed));
    }

    /// <summary>The store's latest sequence, read at the start of a cycle (so it is known even when the cycle then hangs).</summary>
    public void SawLatest(long latest)
    {
        lock (_gate) _latest = Math.Max(_latest, latest);
    }

    public void ConnectionsRecycled()
    {
        lock (_gate) _connectionRecycles++;
        _recycles.Add(1);
    }

    private static string OutcomeTag(SyncOutcome o) => o switch
    {
        SyncOutcome.Succeeded => "succeeded",
        SyncOutcome.Partial => "partial",
        SyncOutcome.Failed => "failed",
        SyncOutcome.TimedOut => "timed_out",
        _ => "abandoned",
    };
}
