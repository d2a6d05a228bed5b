using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;
using ReferralDirectory.Model;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Benchmarks;

/// <summary>
/// The load benchmark (`scripts/load-benchmark.sh N...`): for each directory size it generates N listings, imports them
/// with rd-import (time and peak memory), starts the real service (Release, Production settings, rate limits raised;
/// once from the store, once more from its index checkpoint: both start-up times), and a trivial Kestrel app that answers
/// 2.6 KB of fixed JSON as the ceiling. Then wrk (-t2 -c64) runs against nearest, serving, browse by state, HSDS services
/// page 1 and GET by id, each right after a baseline run, and the benchmark prints req/s, p50, p99, the median bytes per
/// answer, the ratio to the baseline, the bytes allocated per request (the service's own allocation counter) and the
/// service's memory under load, with each budget of issue 9 and whether it was met.
/// </summary>
public static partial class LoadBenchmark
{
    private sealed record Scenario(string Name, string Lua, Func<Random, string> Sample, double Budget);

    private static readonly string[] States = ["AL", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI",
        "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"];

    public static async Task RunAsync(int[] sizes, int seconds)
    {
        var root = RepoFiles.Root;
        var work = Path.Combine(Path.GetTempPath(), "rd-load");
        Directory.CreateDirectory(work);
        var import = Path.Combine(root, "tools", "ReferralDirectory.Import", "bin", "Release", "net10.0", "rd-import.dll");
        var api = Path.Combine(root, "services", "ReferralDirectory.Api", "bin", "Release", "net10.0", "ReferralDirectory.Api.dll");
        var self = typeof(LoadBenchmark).Assembly.Location;
        foreach (var f in new[] { import, api }) if (!File.Exists(f)) throw new FileNotFoundException("Build the solution in Release first.", f);
        var report = new StringBuilder();
        foreach (var n in sizes)
        {
            Console.WriteLine($"== {n:N0} listings");
            var csv = Path.Combine(work, $"{n}.csv");
            var db = Path.Combine(work, $"{n}.db");
            foreach (var f in Directory.GetFiles(work, $"{n}.db*")) File.Delete(f);
            if (!File.Exists(csv)) await RunToEnd("dotnet", [import, "generate", "--rows", n.ToString(CultureInfo.InvariantCulture), "--out", csv]);
            var (importSeconds, importPeak, _) = await RunToEnd("dotnet", [import, csv, "--db", db]);
            Console.WriteLine($"rd-import: {importSeconds:F1} s, peak {importPeak / 1048576.0:F0} MB");

            // Two ports free on this machine now (the OS picks them), so a run never meets another service.
            int port = FreePort(), basePort = FreePort();
            while (basePort == port) basePort = FreePort();
            var (coldStart, _) = await StartService(api, db, port, stopAfter: true);
            var (warmStart, service) = await StartService(api, db, port, stopAfter: false);
            Console.WriteLine($"start-up to ready: {coldStart:F1} s from the store, {warmStart:F1} s from the index checkpoint");
            using var baseline = Start("dotnet", [self, "baseline", $"http://127.0.0.1:{basePort}"], null);
            await WaitFor($"http://127.0.0.1:{basePort}/");
            var rows = new List<string>();
            var rss = RssMb(service.Id);
            // Warm-up (not measured): the JIT's optimised code, the caches, the thread pool's size.
            await Wrk($"http://127.0.0.1:{basePort}", null, 3);
            foreach (var s in Scenarios(n))
            {
                var warm = Path.Combine(work, s.Name + ".lua");
                await File.WriteAllTextAsync(warm, s.Lua);
                await Wrk($"http://127.0.0.1:{port}", warm, 3);
            }
            foreach (var s in Scenarios(n))
            {
                var lua = Path.Combine(work, s.Name + ".lua");
                var b = await Wrk($"http://127.0.0.1:{basePort}", null, seconds);
                using var counters = AllocationCounter.Attach(service.Id);
                var peak = 0.0;
                using var sampling = new CancellationTokenSource();
                var sampler = Task.Run(async () => { while (!sampling.IsCancellationRequested) { peak = Math.Max(peak, RssMb(service.Id)); await Task.Delay(200); } });
                var r = await Wrk($"http://127.0.0.1:{port}", lua, seconds);
                var allocated = counters.Stop();
                sampling.Cancel();
                await sampler;
                rss = Math.Max(rss, peak);
                var bytes = await MedianBytes(port, s.Sample);
                var ratio = r.Rps / b.Rps;
                rows.Add($"| {s.Name} | {r.Rps:N0} | {r.P50:F2} | {r.P99:F2} | {bytes:N0} | {b.Rps:N0} | {ratio:P0} | {(ratio >= s.Budget ? "met" : "NOT met")} (>= {s.Budget:P0}) | {allocated / Math.Max(1, r.Requests):N0} |");
                Console.WriteLine(rows[^1]);
            }
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
            report.AppendLine($"### {n:N0} listings");
            report.AppendLine();
            report.AppendLine("| scenario | req/s | p50 ms | p99 ms | bytes/answer | baseline req/s | ratio | budget | allocated B/request |");
            report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|");
            foreach (var row in rows) report.AppendLine(row);
            report.AppendLine();
            report.AppendLine($"rd-import {importSeconds:F1} s, peak {importPeak / 1048576.0:F0} MB; start-up to ready {coldStart:F1} s from the store, " +
                              $"{warmStart:F1} s from the index checkpoint; service memory (RSS) under load, at most {rss:F0} MB.");
            report.AppendLine();
        }
        Console.WriteLine();
        Console.WriteLine(report);
    }

    private static IEnumerable<Scenario> Scenarios(int n)
    {
        var services = string.Join(",", Taxonomy.All.Select(t => $"\"{t.Code}\""));
        var states = string.Join(",", States.Select(s => $"\"{s}\""));
        const string point = """
            local function point() return string.format("lat=%.5f&lon=%.5f", 25 + math.random() * 24, -124 + math.random() * 57) end
            """;
        yield return new Scenario("nearest-10", point + "\nlocal services = {" + services + "}\n" +
            "request = function() return wrk.format(\"GET\", \"/v1/resources/nearest?\" .. point() .. \"&service=\" .. services[math.random(#services)]) end\n",
            r => $"/v1/resources/nearest?lat={25 + r.NextDouble() * 24:F5}&lon={-124 + r.NextDouble() * 57:F5}&service={Taxonomy.All[r.Next(Taxonomy.All.Count)].Code}", 0.40);
        yield return new Scenario("serving-page-1", point + "\nrequest = function() return wrk.format(\"GET\", \"/v1/resources/serving?\" .. point()) end\n",
            r => $"/v1/resources/serving?lat={25 + r.NextDouble() * 24:F5}&lon={-124 + r.NextDouble() * 57:F5}", 0.25);
        yield return new Scenario("browse-state-page-1", "local states = {" + states + "}\n" +
            "request = function() return wrk.format(\"GET\", \"/v1/resources?state=\" .. states[math.random(#states)]) end\n",
            r => $"/v1/resources?state={States[r.Next(States.Length)]}", 0.25);
        yield return new Scenario("hsds-services-page-1", "request = function() return wrk.format(\"GET\", \"/hsds/services\") end\n", _ => "/hsds/services", 0.25);
        yield return new Scenario("get-by-id", $"request = function() return wrk.format(\"GET\", string.format(\"/v1/resources/gen-%07d\", math.random(0, {n - 1}))) end\n",
            r => $"/v1/resources/gen-{r.Next(n):D7}", 0.0);
    }

    private sealed record WrkResult(double Rps, double P50, double P99, long Requests);

    private static async Task<WrkResult> Wrk(string url, string? lua, int seconds)
    {
        var args = new List<string> { "-t2", "-c64", $"-d{seconds}s", "--latency" };
        if (lua is not null) { args.Add("-s"); args.Add(lua); }
        args.Add(url + "/");
        var psi = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var rps = double.Parse(Rps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        if (Non2xx().Match(output) is { Success: true } bad) Console.WriteLine($"   warning: {bad.Value.Trim()} for {url}");
        return new WrkResult(rps, Latency(output, "50%"), Latency(output, "99%"), requests);
    }

    private static double Latency(string output, string percentile)
    {
        var m = Regex.Match(output, @"^\s*" + Regex.Escape(percentile) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")] private static partial Regex Rps();
    [GeneratedRegex(@"(\d+) requests in")] private static partial Regex Requests();
    [GeneratedRegex(@"Non-2xx or 3xx responses: \d+")] private static partial Regex Non2xx();

    private static async Task<double> MedianBytes(int port, Func<Random, string> sample)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var rng = new Random(2026);
        var sizes = new List<int>();
        for (var i = 0; i < 50; i++) sizes.Add((await http.GetByteArrayAsync(sample(rng))).Length);
        sizes.Sort();
        return sizes[sizes.Count / 2];
    }

    private static async Task<(double Seconds, Process Process)> StartService(string api, string db, int port, bool stopAfter)
    {
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Storage__SqlitePath"] = db, ["Demo__SeedWhenEmpty"] = "false",
            ["RateLimits__AnonymousPerMinute"] = "1000000", ["RateLimits__DefaultPartnerPerMinute"] = "10000000", ["Logging__LogLevel__Default"] = "Warning",
        };
        var sw = Stopwatch.StartNew();
        var p = Start("dotnet", [api, "--urls", $"http://127.0.0.1:{port}"], env);
        await WaitFor($"http://127.0.0.1:{port}/health/ready");
        var seconds = sw.Elapsed.TotalSeconds;
        if (stopAfter)
        {
            // A clean stop, as a deployment does: the service saves its index checkpoint on the way out.
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await p.WaitForExitAsync();
        }
        return (seconds, p);
    }

    private static Process Start(string file, string[] args, Dictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? []) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("   " + line); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>A loopback TCP port nothing listens on now (bound to port 0, then released).</summary>
    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static async Task WaitFor(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 3000; i++)
        {
            try { if ((await http.GetAsync(url)).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException(url);
    }

    /// <summary>Runs a process to its end: seconds taken, and its peak memory (largest RSS seen).</summary>
    private static async Task<(double Seconds, long PeakBytes, string Output)> RunToEnd(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!p.HasExited)
        {
            peak = Math.Max(peak, (long)(RssMb(p.Id) * 1048576));
            await Task.Delay(100);
        }
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {await output}{await error}");
        return (sw.Elapsed.TotalSeconds, peak, await output);
    }

    private static double RssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { }
        return 0;
    }


    /// <summary>The service's "alloc-rate" event counter (bytes allocated per second), summed while attached.</summary>
    private sealed class AllocationCounter : IDisposable
    {
        private readonly EventPipeSession _session;
        private readonly Task _reader;
        private double _bytes;

        private AllocationCounter(EventPipeSession session)
        {
            _session = session;
            _reader = Task.Run(() =>
            {
                using var source = new EventPipeEventSource(session.EventStream);
                source.Dynamic.All += e =>
                {
                    if (e.EventName != "EventCounters" || e.PayloadValue(0) is not IDictionary<string, object> outer || outer["Payload"] is not IDictionary<string, object> payload) return;
                    if ((string)payload["Name"] == "alloc-rate") _bytes += Convert.ToDouble(payload["Increment"], CultureInfo.InvariantCulture);
                };
                source.Process();
            });
        }

        public static AllocationCounter Attach(int pid)
        {
            var providers = new[]
            {
                new EventPipeProvider("System.Runtime", System.Diagnostics.Tracing.EventLevel.Informational, 0,
                    new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" }),
            };
            return new AllocationCounter(new DiagnosticsClient(pid).StartEventPipeSession(providers, requestRundown: false));
        }

        public double Stop()
        {
            _session.Stop();
            _reader.Wait(TimeSpan.FromSeconds(10));
            return _bytes;
        }

        public void Dispose() => _session.Dispose();
    }
}

/// <summary>The ceiling: a trivial Kestrel app answering 2.6 KB of fixed JSON.</summary>
public static class BaselineApp
{
    public static void Run(string url)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var body = Encoding.UTF8.GetBytes("{\"items\":[" + string.Join(",", Enumerable.Range(0, 30).Select(i => $"{{\"id\":\"item-{i:D4}\",\"name\":\"A fixed answer of the baseline\",\"n\":{i}}}")) + "]}");
        app.MapGet("/", () => Microsoft.AspNetCore.Http.Results.Bytes(body, "application/json"));
        app.Run(url);
    }
}
