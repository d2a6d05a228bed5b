using System.Diagnostics;
using ReferralDirectory.Generation;
using ReferralDirectory.Model;
using ReferralDirectory.Search;

namespace ReferralDirectory.Benchmarks;

/// <summary>
/// Prints, for each directory size: index build time, memory held by the index (managed heap growth from
/// building it, listings already in memory), memory of the listings themselves, and the median / p99 time of a
/// nearest-10 search with one service filter over 20,000 random US queries (after warm-up).
/// </summary>
public static class Figures
{
    public static void Run(int[] sizes)
    {
        Console.WriteLine($"{"listings",10} {"build ms",9} {"index MB",9} {"listings MB",12} {"median us",10} {"p99 us",8} {"mean hits",10}");
        foreach (var n in sizes)
        {
            Collect();
            var before = GC.GetTotalMemory(true);
            var listings = new DirectoryGenerator(42).Generate(n).ToList();
            Collect();
            var afterListings = GC.GetTotalMemory(true);
            var sw = Stopwatch.StartNew();
            var index = new DirectoryIndex(ReferralDirectory.Safety.ConfidentialLocationPolicy.Default, ReferralDirectory.Places.Gazetteer.Default, new ReferralDirectory.Api.Search.CardEncoder());
            index.Load(listings);
            var buildMs = sw.Elapsed.TotalMilliseconds;
            Collect();
            var afterIndex = GC.GetTotalMemory(true);
            var snap = index.Current;
            var queries = Queries.Make(20_000, seed: 7);
            var now = new DateTimeOffset(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);
            // Warm up for two seconds so the JIT has promoted the search to optimised (tier-1) code.
            var warm = Stopwatch.StartNew();
            for (var w = 0; warm.Elapsed < TimeSpan.FromSeconds(2); w++) { var q = queries[w % queries.Length]; snap.Nearest(q.Lat, q.Lon, 10, q.Filter, now); }
            var times = new double[queries.Length];
            long hits = 0;
            for (var i = 0; i < queries.Length; i++)
            {
                var q = queries[i];
                var t0 = Stopwatch.GetTimestamp();
                var r = snap.Nearest(q.Lat, q.Lon, 10, q.Filter, now);
                times[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                hits += r.Count;
            }
            Array.Sort(times);
            Console.WriteLine($"{n,10:N0} {buildMs,9:F0} {(afterIndex - afterListings) / 1048576.0,9:F0} {(afterListings - before) / 1048576.0,12:F0} {times[times.Length / 2],10:F2} {times[(int)(times.Length * 0.99)],8:F2} {hits / (double)queries.Length,10:F1}");
            GC.KeepAlive(listings);
            GC.KeepAlive(index);
        }
        Console.WriteLine($"process working set at end: {Process.GetCurrentProcess().WorkingSet64 / 1048576.0:F0} MB");
    }

    private static void Collect()
    {
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, true, true);
    }
}

/// <summary>Random query points weighted like the data (US cities and countryside), each with one service filter.</summary>
public static class Queries
{
    public sealed record Query(double Lat, double Lon, SearchFilter Filter);

    public static Query[] Make(int count, int seed)
    {
        var rng = new Random(seed);
        // Reuse the generator's geography: take listing points from another seed as query points.
        var points = new DirectoryGenerator(seed).Generate(count).Select(l => (Latitude: l.Locations[0].Latitude!.Value, Longitude: l.Locations[0].Longitude!.Value)).ToArray();
        return points.Select(p => new Query(p.Latitude, p.Longitude,
            new SearchFilter { Services = [Taxonomy.All[rng.Next(Taxonomy.All.Count)].Code] })).ToArray();
    }
}
