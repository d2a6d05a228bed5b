using System.Diagnostics;
namespace ReferralDirectory.Benchmarks;
public static class Probe {
  public static void Run() {
    var index = new ReferralDirectory.Search.DirectoryIndex(new ReferralDirectory.Search.ConfidentialPoints(new byte[32]));
    index.Load(new ReferralDirectory.Generation.DirectoryGenerator(42).Generate(100000));
    var qs = Queries.Make(20000, 7); var now = DateTimeOffset.UtcNow; var snap = index.Current;
    var sw = Stopwatch.StartNew();
    for (int w = 0; sw.Elapsed < TimeSpan.FromSeconds(2); w++) { var q = qs[w % qs.Length]; snap.Nearest(q.Lat, q.Lon, 10, q.Filter, now); }
    foreach (var mode in new[]{"same","random","sorted"}) {
      var arr = mode == "sorted" ? qs.OrderBy(q => Math.Round(q.Lat,0)).ThenBy(q=>q.Lon).ToArray() : qs;
      var t = Stopwatch.StartNew();
      for (int i = 0; i < 20000; i++) { var q = mode == "same" ? arr[5] : arr[i]; snap.Nearest(q.Lat, q.Lon, 10, q.Filter, now); }
      Console.WriteLine($"{mode}: {t.Elapsed.TotalMicroseconds/20000:F2} us/query, gen0 GCs so far {GC.CollectionCount(0)}");
    }
  }
}
