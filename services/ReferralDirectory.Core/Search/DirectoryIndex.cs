using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;

namespace ReferralDirectory.Search;

/// <summary>
/// The in-memory search index of the whole directory. Searches read <see cref="Current"/> without locking.
/// Writes (already durable in the store) are applied as a small overlay on the current snapshot; when the
/// overlay grows past a limit the base is rebuilt in the background and writes made meanwhile are replayed.
/// </summary>
public sealed class DirectoryIndex
{
    private readonly ConfidentialPoints _confidential;
    private readonly IBoundaryProvider? _boundaries;
    private readonly ILogger _logger;
    private readonly int _minOverlayLimit;
    private readonly object _gate = new();
    private readonly List<(IndexedListing? Upsert, string Id)> _sinceRebuildStarted = [];
    private volatile DirectorySnapshot _current;
    private long _version;
    private Task? _rebuild;

    public DirectoryIndex(ConfidentialPoints confidential, IBoundaryProvider? boundaries = null, ILogger<DirectoryIndex>? logger = null, int minOverlayLimit = 1024)
    {
        _confidential = confidential;
        _boundaries = boundaries;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _minOverlayLimit = minOverlayLimit;
        _current = DirectorySnapshot.Build([], boundaries, 0);
    }

    public DirectorySnapshot Current => _current;

    /// <summary>The background rebuild under way, if any (tests and benchmarks wait on it).</summary>
    public Task RebuildTask { get { lock (_gate) return _rebuild ?? Task.CompletedTask; } }

    /// <summary>Replaces the whole index with these listings.</summary>
    public void Load(IEnumerable<Listing> listings)
    {
        var indexed = IndexAll(listings.ToList());
        lock (_gate)
        {
            _sinceRebuildStarted.Clear();
            _current = DirectorySnapshot.Build(indexed, _boundaries, ++_version);
        }
    }

    public IndexedListing Index(Listing l) => new(l, _confidential, _boundaries);

    private IndexedListing[] IndexAll(IReadOnlyList<Listing> list)
    {
        var indexed = new IndexedListing[list.Count];
        Parallel.For(0, list.Count, i => indexed[i] = Index(list[i]));
        return indexed;
    }

    public void Upsert(Listing listing) => Apply([listing], []);

    public void Remove(string id) => Apply([], [id]);

    /// <summary>Applies written changes: upserts become searchable, removed ids disappear.</summary>
    public void Apply(IReadOnlyCollection<Listing> upserts, IReadOnlyCollection<string> removals)
    {
        var indexed = upserts.Count > 64 ? IndexAll(upserts.ToList()) : upserts.Select(Index).ToArray();
        lock (_gate)
        {
            if (_rebuild is not null)
            {
                foreach (var id in removals) _sinceRebuildStarted.Add((null, id));
                foreach (var l in indexed) _sinceRebuildStarted.Add((l, l.Id));
            }
            _current = _current.With(indexed, removals, ++_version);
            var limit = Math.Max(_minOverlayLimit, _current.Count / 50);
            if (_rebuild is null && _current.OverlayCount > limit) StartRebuild();
        }
    }

    private void StartRebuild()
    {
        // The current snapshot is immutable: the rebuild reads it outside the lock and reuses its indexed listings.
        var from = _current;
        _sinceRebuildStarted.Clear();
        _rebuild = Task.Run(() =>
        {
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var fresh = DirectorySnapshot.Build(from.All(), _boundaries, 0);
                lock (_gate)
                {
                    var ups = new Dictionary<string, IndexedListing>(StringComparer.Ordinal);
                    var rem = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var (u, id) in _sinceRebuildStarted)
                    {
                        if (u is null) { ups.Remove(id); rem.Add(id); }
                        else { rem.Remove(id); ups[id] = u; }
                    }
                    _current = fresh.With(ups.Values, rem, ++_version);
                    _sinceRebuildStarted.Clear();
                    _rebuild = null;
                }
                _logger.LogInformation("Search index rebuilt: {Count} listings in {Elapsed} ms",
                    fresh.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Search index rebuild failed; searches keep using the current snapshot");
                lock (_gate) _rebuild = null;
            }
        });
    }
}
