using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ReferralDirectory.Storage.Cosmos;
using ReferralDirectory.Storage.Resilience;

namespace ReferralDirectory.Tests.Support;

/// <summary>
/// A Cosmos DB-protocol server (npm <c>@vercel/cosmosdb-server</c>, pinned in tests/cosmos-server with a lockfile)
/// started once per test run on a free loopback port (HTTPS, self-signed) and stopped at the end.
/// In CI (<c>CI=true</c>) a server that cannot start fails the tests; elsewhere they are skipped with the reason.
/// The only test-specific settings are the endpoint, the key and accepting the loopback certificate.
/// </summary>
public sealed class CosmosServer : IDisposable
{
    /// <summary>The server accepts any key; this is the public, well-known emulator key, not a secret.</summary>
    public const string Key = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static readonly Lazy<(CosmosServer? Server, string? Problem)> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Process _process;

    public string Endpoint { get; }

    private CosmosServer(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>The running server, or the test is ignored (developer machine) or failed (CI) with the reason.</summary>
    public static CosmosServer Instance
    {
        get
        {
            var (server, problem) = Shared.Value;
            if (server is not null) return server;
            var message = $"Cosmos DB tests need the Cosmos-protocol test server: {problem} Install Node.js and run `npm ci --prefix tests/cosmos-server`.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
            Assert.Ignore(message);
            throw new UnreachableException();
        }
    }

    /// <summary>Stops the server if this run started it.</summary>
    public static void StopShared()
    {
        if (Shared.IsValueCreated) Shared.Value.Server?.Dispose();
    }

    /// <summary>Options for a fresh database on this server, exactly as the service binds them from configuration.</summary>
    public CosmosStoreOptions Options(string database) => new()
    {
        AccountEndpoint = Endpoint,
        Database = database,
        AuthMode = CosmosAuthMode.Key,
        Key = Key,
        TrustLoopbackServerCertificate = true,
    };

    /// <summary>The same settings as configuration keys (for the service host and the copy command).</summary>
    public Dictionary<string, string?> Settings(string database) => new()
    {
        ["Storage:Provider"] = "Cosmos",
        ["Storage:Cosmos:AccountEndpoint"] = Endpoint,
        ["Storage:Cosmos:Database"] = database,
        ["Storage:Cosmos:AuthMode"] = "Key",
        ["Storage:Cosmos:Key"] = Key,
        ["Storage:Cosmos:TrustLoopbackServerCertificate"] = "true",
    };

    /// <summary>A store on a database of its own, built the way the service builds it.</summary>
    public CosmosDirectoryStore Store(string database, StoreResilienceOptions? resilience = null, StoreChaos? chaos = null, TimeProvider? time = null)
    {
        var o = Options(database);
        resilience ??= new StoreResilienceOptions();
        var faults = new CosmosFaults();
        var registry = StorePipelines.CreateRegistry(resilience, faults, chaos ?? new StoreChaos(), time ?? TimeProvider.System);
        return new CosmosDirectoryStore(CosmosClientFactory.Create(o), o, time ?? TimeProvider.System, registry, faults, resilience);
    }

    private static string? RepoRoot()
    {
        try { return RepoFiles.Root; }
        catch (FileNotFoundException) { return null; }
    }

    private static (CosmosServer?, string?) Start()
    {
        var root = RepoRoot();
        if (root is null) return (null, "the repository root was not found.");
        var cli = Path.Combine(root, "tests", "cosmos-server", "node_modules", "@vercel", "cosmosdb-server", "lib", "cli.js");
        if (!File.Exists(cli)) return (null, $"{cli} is missing.");
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        Process? process;
        try
        {
            process = Process.Start(new ProcessStartInfo("node", [cli, "--host", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"node could not be started ({e.Message}).");
        }
        if (process is null) return (null, "node could not be started.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) return (null, $"the server exited with code {process.ExitCode}.");
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return (new CosmosServer(process, $"https://127.0.0.1:{port}/"), null);
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        process.Kill(entireProcessTree: true);
        return (null, "the server did not listen within 30 s.");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
