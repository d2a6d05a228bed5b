using BenchmarkDotNet.Running;
using ReferralDirectory.Benchmarks;

// `dotnet run -c Release -- figures [sizes...]` prints the README's figures (build time, memory, median
// search time) directly; anything else goes to BenchmarkDotNet (e.g. `-- --filter *Nearest*`).
if (args.Length > 0 && args[0] == "probe") { Probe.Run(); return; }
if (args.Length > 0 && args[0] == "figures")
{
    var sizes = args.Length > 1 ? args.Skip(1).Select(int.Parse).ToArray() : [10_000, 100_000, 1_000_000];
    Figures.Run(sizes);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Figures).Assembly).Run(args);
