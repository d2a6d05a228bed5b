using System.Diagnostics;
namespace ReferralDirectory.Benchmarks;
/// <summary>Where nearest-search time goes: the same query repeated (pure compute), random queries (cache misses),
/// and queries sorted by place (locality). Each mode runs three rounds; the best round is printed.</summary>
public static class Probe {
  public static void Run() {
    var n = int.TryParse(Environment.GetEnvironmentVariable("PROBE_N"), out var pn) ? pn : 100000;
    var index = new ReferralDirectory.Search.DirectoryIndex(new ReferralDirectory.Search.ConfidentialPoints(new byte[32]));
    index.Load(new ReferralDirectory.Generation.DirectoryGenerator(42).Generate(n));
    var qs = Queries.Make(20000, 7); var now = DateTimeOffset.UtcNow; var snap = index.Current;
    var sw = Stopwatch.StartNew();
    for (int w = 0; sw.Elapsed < TimeSpan.FromSeconds(2); w++) { var q = qs[w % qs.Length]; snap.Nearest(q.Lat, q.Lon, 10, q.Filter, now); }
    var gc0 = GC.CollectionCount(0);
    foreach (var mode in new[]{"same","random","sorted"}) {
      var arr = mode == "sorted" ? qs.OrderBy(q => Math.Round(q.Lat,0)).ThenBy(q=>q.Lon).ToArray() : qs;
      var best = double.MaxValue;
      for (var round = 0; round < 3; round++) {
        var t = Stopwatch.StartNew();
        for (int i = 0; i < 20000; i++) { var q = mode == "same" ? arr[5] : arr[i]; snap.Nearest(q.Lat, q.Lon, 10, q.Filter, now); }
        best = Math.Min(best, t.Elapsed.TotalMicroseconds / 20000);
      }
      Console.WriteLine($"{mode}: {best:F2} us/query (best of 3), gen0 GCs during probe {GC.CollectionCount(0) - gc0}");
    }
  }
}
