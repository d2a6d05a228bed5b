using BenchmarkDotNet.Attributes;
using ReferralDirectory.Generation;
using ReferralDirectory.Search;

namespace ReferralDirectory.Benchmarks;

/// <summary>Nearest-10 with one service filter, cycling through 4,096 random queries.</summary>
[MemoryDiagnoser]
public class NearestBenchmarks
{
    private DirectorySnapshot _snapshot = null!;
    private Queries.Query[] _queries = null!;
    private int _i;
    private readonly DateTimeOffset _now = new(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);

    [Params(10_000, 100_000, 1_000_000)]
    public int Listings { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var index = new DirectoryIndex(ReferralDirectory.Safety.ConfidentialLocationPolicy.Default, ReferralDirectory.Places.Gazetteer.Default, new ReferralDirectory.Api.Search.CardEncoder());
        index.Load(new DirectoryGenerator(42).Generate(Listings));
        _snapshot = index.Current;
        _queries = Queries.Make(4096, seed: 7);
    }

    [Benchmark]
    public int Nearest10WithServiceFilter()
    {
        var q = _queries[_i++ & 4095];
        return _snapshot.Nearest(q.Lat, q.Lon, 10, q.Filter, _now).Count;
    }
}
