using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;
using ReferralDirectory.Safety;

namespace ReferralDirectory.Search;

/// <summary>
/// The in-memory search index of the whole directory. Searches read <see cref="Current"/> without locking.
/// Writes (already durable in the store) are applied as a small overlay on the current snapshot; when the
/// overlay grows past a limit the base is rebuilt in the background and writes made meanwhile are replayed.
/// </summary>
public sealed partial class DirectoryIndex
{
    private readonly ConfidentialLocationPolicy _policy;
    private readonly IBoundaryProvider? _boundaries;
    private readonly IListingEncoder? _encoder;
    private readonly ILogger _logger;
    private readonly int _minOverlayLimit;
    private readonly object _gate = new();
    private readonly List<(IndexedListing? Upsert, string Id)> _sinceRebuildStarted = [];
    private volatile DirectorySnapshot _current;
    private long _version;
    private Task? _rebuild;

    /// <summary>An empty index. <c>policy</c>: the public view of confidential locations (their counties' ranking points);
    /// <c>boundaries</c>: which states and counties cover a searched point (null: none, as in unit tests); <c>encoder</c>:
    /// encodes each listing's answer fragments (the API host's; null in unit tests of the index).</summary>
    public DirectoryIndex(ConfidentialLocationPolicy policy, IBoundaryProvider? boundaries = null, IListingEncoder? encoder = null,
        ILogger<DirectoryIndex>? logger = null, int minOverlayLimit = 1024)
    {
        _policy = policy;
        _boundaries = boundaries;
        _encoder = encoder;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _minOverlayLimit = minOverlayLimit;
        _current = DirectorySnapshot.Build([], boundaries, 0);
    }

    public DirectorySnapshot Current => _current;

    private bool _detached;

    /// <summary>An index that keeps nothing: writes made through a <see cref="Listings.DirectoryService"/> over it reach
    /// the store only (command-line imports, where nothing searches the process).</summary>
    public static DirectoryIndex Detached() => new(new ConfidentialLocationPolicy(null)) { _detached = true };

    /// <summary>The background rebuild under way, if any (tests and benchmarks wait on it).</summary>
    public Task RebuildTask { get { lock (_gate) return _rebuild ?? Task.CompletedTask; } }

    /// <summary>The format a checkpoint of this index carries (<see cref="IndexCheckpoint"/>).</summary>
    public string CheckpointFormat => IndexCheckpoint.Format(_encoder);

    /// <summary>Replaces the whole index with listings already indexed (a checkpoint's).</summary>
    public void Load(IndexedListing[] listings) => Replace(listings);

    /// <summary>Replaces the whole index with these listings.</summary>
    public void Load(IEnumerable<Listing> listings)
    {
        var indexed = IndexAll(listings as IReadOnlyList<Listing> ?? listings.ToList());
        Replace(indexed);
    }

    /// <summary>Replaces the whole index with the listings read from <paramref name="listings"/>, indexing them while
    /// they are read (a reader and the other cores in step), without holding them all as full listings.</summary>
    public async Task LoadAsync(IAsyncEnumerable<Listing> listings, CancellationToken ct = default)
    {
        const int Batch = 2048;
        var indexed = new List<IndexedListing>();
        var batch = new List<Listing>(Batch);
        Task? pending = null;
        await foreach (var l in listings.WithCancellation(ct))
        {
            batch.Add(l);
            if (batch.Count < Batch) continue;
            if (pending is not null) await pending;
            var full = batch;
            batch = new List<Listing>(Batch);
            pending = Task.Run(() => { var done = IndexAll(full); lock (indexed) indexed.AddRange(done); }, ct);
        }
        if (pending is not null) await pending;
        indexed.AddRange(IndexAll(batch));
        Replace([.. indexed]);
    }

    private void Replace(IndexedListing[] indexed)
    {
        var snapshot = DirectorySnapshot.Build(indexed, _boundaries, 0);
        lock (_gate)
        {
            _sinceRebuildStarted.Clear();
            _current = snapshot.With([], [], ++_version);
        }
    }

    public IndexedListing Index(Listing l) => new(l, _policy, _encoder);

    public ConfidentialLocationPolicy Policy => _policy;

    private IndexedListing[] IndexAll(IReadOnlyList<Listing> list)
    {
        var indexed = new IndexedListing[list.Count];
        if (list.Count < 64) { for (var i = 0; i < list.Count; i++) indexed[i] = Index(list[i]); }
        else Parallel.For(0, list.Count, i => indexed[i] = Index(list[i]));
        return indexed;
    }

    public void Upsert(Listing listing) => Apply([listing], []);

    public void Remove(string id) => Apply([], [id]);

    /// <summary>Applies written changes: upserts become searchable, removed ids disappear.</summary>
    public void Apply(IReadOnlyCollection<Listing> upserts, IReadOnlyCollection<string> removals)
    {
        if (_detached) return;
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
                var elapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogRebuilt(_logger, fresh.Count, elapsedMs);
            }
            catch (Exception e)
            {
                LogRebuildFailed(_logger, e);
                lock (_gate) _rebuild = null;
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index rebuilt: {Count} listings in {Elapsed} ms")]
    private static partial void LogRebuilt(ILogger logger, int count, double elapsed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Search index rebuild failed; searches keep using the current snapshot")]
    private static partial void LogRebuildFailed(ILogger logger, Exception exception);
}
