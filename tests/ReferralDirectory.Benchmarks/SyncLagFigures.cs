using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Benchmarks;

/// <summary>
/// How long a write on one instance takes to reach another, measured the way the issue measured it: two real API
/// processes (A and B) on the Cosmos-protocol test server (tests/cosmos-server, <c>npm ci --prefix tests/cosmos-server</c>
/// first), each with its own store client. For each of N listings: create it on A through the admin API, then poll
/// <c>GET /v1/resources/{id}</c> on B every 50 ms until it answers 200; then retire it on A and poll until B answers
/// 404. Prints the distribution (median, p99, max) of both, and B's own reported lag (<c>/health/ready</c>,
/// sampled before each write), with B's cycle counts.
/// <para>
/// The public rate limits are raised for the run. With the defaults, a 50 ms poller is refused with 429 after 600
/// requests a minute (signed in) or 60 (anonymous), and a poller that reads a 429 as "not there yet" sees stalls of up
/// to a minute that are not sync stalls at all.
/// </para>
/// <c>dotnet run -c Release --project tests/ReferralDirectory.Benchmarks -- sync-lag [writes=100] [intervalSeconds=2]</c>
/// </summary>
public static class SyncLagFigures
{
    private const string Key = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="; // the public emulator key

    public static async Task RunAsync(int writes, double intervalSeconds)
    {
        var root = RepoFiles.Root;
        var cli = Path.Combine(root, "tests", "cosmos-server", "node_modules", "@vercel", "cosmosdb-server", "lib", "cli.js");
        var api = Path.Combine(root, "services", "ReferralDirectory.Api", "bin", "Release", "net10.0", "ReferralDirectory.Api.dll");
        if (!File.Exists(cli)) throw new FileNotFoundException("Run `npm ci --prefix tests/cosmos-server` first.", cli);
        if (!File.Exists(api)) throw new FileNotFoundException("Build the API in Release first (`dotnet build ReferralDirectory.sln -c Release`).", api);
        var work = Path.Combine(Path.GetTempPath(), "rd-sync-lag", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var processes = new List<Process>();
        try
        {
            var cosmosPort = FreePort();
            processes.Add(Start("node", [cli, "--host", "127.0.0.1", "-p", cosmosPort.ToString()], work, new()));
            await WaitForPortAsync(cosmosPort);
            var env = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Storage__Provider"] = "Cosmos",
                ["Storage__Cosmos__AccountEndpoint"] = $"https://127.0.0.1:{cosmosPort}/",
                ["Storage__Cosmos__Database"] = "rd-sync-lag",
                ["Storage__Cosmos__AuthMode"] = "Key",
                ["Storage__Cosmos__Key"] = Key,
                ["Storage__Cosmos__TrustLoopbackServerCertificate"] = "true",
                ["Storage__SyncIntervalSeconds"] = intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Demo__SeedWhenEmpty"] = "false",
                ["AzureAd__TenantId"] = "sync-lag-tenant",
                ["AzureAd__ClientId"] = "sync-lag-client",
                ["AzureAd__SigningKeysFile"] = Path.Combine(work, "keys", "jwks.json"),
                ["RateLimits__AnonymousPerMinute"] = "1000000",
                ["RateLimits__DefaultPartnerPerMinute"] = "1000000",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            var token = await RunForOutputAsync("dotnet", [api, "dev-token", "--role", "Directory.Admin", "--name", "Sync lag benchmark"], work, env);
            var ports = new[] { FreePort(), FreePort() };
            foreach (var port in ports)
            {
                processes.Add(Start("dotnet", [api], work, new(env) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" }));
                await WaitForReadyAsync(port);
            }
            using var a = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[0]}") };
            using var b = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[1]}") };
            a.DefaultRequestHeaders.Authorization = new("Bearer", token.Trim());

            var created = new List<double>();
            var retired = new List<double>();
            var reportedLag = new List<double>();
            Console.WriteLine($"two API processes on the Cosmos-protocol server, sync every {intervalSeconds} s; {writes} creates, each then retired; B polled every 50 ms");
            for (var i = 0; i < writes; i++)
            {
                reportedLag.Add((await SyncDataAsync(b)).GetProperty("lagSeconds").GetDouble());
                var id = $"lag-{i:D4}";
                using var response = await a.PostAsJsonAsync("/v1/admin/listings", Listing(id));
                if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"create answered {(int)response.StatusCode}");
                var etag = response.Headers.GetValues("ETag").Single();
                created.Add(await PollAsync(b, id, HttpStatusCode.OK));
                using var retire = new HttpRequestMessage(HttpMethod.Post, $"/v1/admin/listings/{id}/retire");
                retire.Headers.TryAddWithoutValidation("If-Match", etag);
                using var retiredResponse = await a.SendAsync(retire);
                if (retiredResponse.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"retire answered {(int)retiredResponse.StatusCode}");
                retired.Add(await PollAsync(b, id, HttpStatusCode.NotFound));
                if ((i + 1) % 20 == 0) Console.WriteLine($"  {i + 1} done");
            }
            Print("create on A -> on B (s)", created);
            Print("retire on A -> gone from B (s)", retired);
            Print("B's reported lag (s)", reportedLag);
            var data = await SyncDataAsync(b);
            Console.WriteLine($"B: {data.GetProperty("cycles").GetInt64()} sync cycles, last {data.GetProperty("lastOutcome").GetString()}, " +
                              $"{data.GetProperty("connectionRecycles").GetInt64()} connection recycles, bound {data.GetProperty("boundSeconds").GetDouble()} s; " +
                              $"over the bound: creates {created.Count(x => x > 3 * intervalSeconds)}, retires {retired.Count(x => x > 3 * intervalSeconds)}");
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
                p.Dispose();
            }
            Directory.Delete(work, recursive: true);
        }
    }

    private static object Listing(string id) => new
    {
        id, kind = "victim-service-agency", name = "Clinic " + id,
        services = new[] { new { name = "Medical care", taxonomyCodes = new[] { "medical-care" } } },
        locations = new[] { new { latitude = 37.15, longitude = -94.45, address = new { city = "Joplin", state = "MO" } } },
    };

    /// <summary>Seconds until B answers <paramref name="wanted"/> for the listing, polling every 50 ms.</summary>
    private static async Task<double> PollAsync(HttpClient b, string id, HttpStatusCode wanted)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await b.GetAsync($"/v1/resources/{id}");
            if (response.StatusCode == wanted) return watch.Elapsed.TotalSeconds;
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound))
                throw new InvalidOperationException($"B answered {(int)response.StatusCode}: the measurement would be wrong");
            if (watch.Elapsed > TimeSpan.FromSeconds(120)) throw new TimeoutException($"{id} not {wanted} on B after 120 s");
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> SyncDataAsync(HttpClient b)
    {
        using var response = await b.GetAsync("/health/ready");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("checks").GetProperty("sync").GetProperty("data").Clone();
    }

    private static void Print(string label, List<double> values)
    {
        var s = values.Order().ToArray();
        double P(double q) => s[Math.Min(s.Length - 1, Math.Max(0, (int)Math.Ceiling(q * s.Length) - 1))];
        Console.WriteLine($"{label,-32} n {s.Length}, median {P(0.5):F2}, p99 {P(0.99):F2}, max {s[^1]:F2}, min {s[0]:F2}");
    }

    private static Process Start(string file, string[] args, string cwd, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo(file, args) { WorkingDirectory = cwd, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env) info.Environment[k] = v;
        var p = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        // The APIs log at Warning and above only: show those (a cut or failed sync cycle would be among them).
        var name = Path.GetFileNameWithoutExtension(file);
        p.OutputDataReceived += (_, e) => { if (name == "dotnet" && e.Data is { Length: > 0 } line) Console.Error.WriteLine($"  [api {p.Id}] {line}"); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine($"  [{name} {p.Id}] {line}"); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task<string> RunForOutputAsync(string file, string[] args, string cwd, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo(file, args) { WorkingDirectory = cwd, UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}");
        return output;
    }

    private static async Task WaitForReadyAsync(int port)
    {
        using var client = new HttpClient();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var r = await client.GetAsync($"http://127.0.0.1:{port}/health/ready");
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the API on port {port} was not ready within 60 s");
    }

    private static async Task WaitForPortAsync(int port)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("the Cosmos-protocol server did not listen within 30 s");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

}
