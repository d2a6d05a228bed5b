using BenchmarkDotNet.Running;
using ReferralDirectory.Benchmarks;

// `dotnet run -c Release -- figures [sizes...]` prints the README's figures (build time, memory, median
// search time) directly; anything else goes to BenchmarkDotNet (e.g. `-- --filter *Nearest*`).
// `dotnet run -c Release -- import [rows] [batchSize]`: bulk CSV import figures (default 100,000 rows, batches of 10,000).
if (args.Length > 0 && args[0] == "import")
{
    await ImportFigures.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 100_000, args.Length > 2 ? int.Parse(args[2]) : 10_000);
    return;
}
// `dotnet run -c Release -- sync-lag [writes] [intervalSeconds]`: two API processes on the Cosmos-protocol server, the
// time a write on one takes to show on the other (default 100 writes, 2 s sync interval).
if (args.Length > 0 && args[0] == "sync-lag")
{
    await SyncLagFigures.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 100,
        args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2);
    return;
}
// `dotnet run -c Release -- load [sizes...] [--seconds N]`: the load benchmark (scripts/load-benchmark.sh runs it).
if (args.Length > 0 && args[0] == "load")
{
    var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(int.Parse).FirstOrDefault(10);
    var sizes = args.Skip(1).TakeWhile(a => a != "--seconds").Select(int.Parse).ToArray();
    await LoadBenchmark.RunAsync(sizes.Length > 0 ? sizes : [100_000, 1_000_000], seconds);
    return;
}
if (args.Length > 0 && args[0] == "baseline") { BaselineApp.Run(args[1]); return; }
if (args.Length > 0 && args[0] == "figures")
{
    var sizes = args.Length > 1 ? args.Skip(1).Select(int.Parse).ToArray() : [10_000, 100_000, 1_000_000];
    Figures.Run(sizes);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Figures).Assembly).Run(args);
