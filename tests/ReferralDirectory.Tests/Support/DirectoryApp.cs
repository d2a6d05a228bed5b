using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ReferralDirectory.Tests.Support;

/// <summary>
/// The real service on Kestrel on a loopback port, with its own SQLite file and a controllable clock.
/// Requests go over real HTTP through the whole middleware pipeline.
/// </summary>
public sealed class DirectoryApp : WebApplicationFactory<Program>
{
    public string DatabasePath { get; }
    public ManualTimeProvider Time { get; }
    /// <summary>The service's clock when a test starts it: Wednesday 2026-11-18, 09:00 in Missouri. Test tokens are issued at it.</summary>
    public static readonly DateTimeOffset StartTime = new(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Every log line the service wrote (at the levels configured).</summary>
    public CapturingLoggerProvider Logs { get; } = new();
    private readonly bool _seedDemo;
    private readonly bool _ownsFile;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    private readonly Action<IWebHostBuilder>? _configure;

    /// <summary>A service on <paramref name="databasePath"/> (a new temp file by default), optionally with extra
    /// <paramref name="settings"/> (e.g. <c>Storage:Provider = Cosmos</c> and the test server's endpoint), extra
    /// <paramref name="services"/> registered after the service's own, and a last say on the host
    /// (<paramref name="configure"/>); <paramref name="seedDemo"/> and <paramref name="time"/> as before; <paramref name="ownsFile"/>:
    /// delete the given database's folder when disposed (a test-made temp file).</summary>
    public DirectoryApp(string? databasePath = null, bool seedDemo = true, ManualTimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, Action<IWebHostBuilder>? configure = null,
        bool ownsFile = false)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;
        _configure = configure;
        _ownsFile = databasePath is null || ownsFile;
        DatabasePath = databasePath ?? Path.Combine(Path.GetTempPath(), "rd-tests", Guid.NewGuid().ToString("N"), "directory.db");
        _seedDemo = seedDemo;
        Time = time ?? new ManualTimeProvider(StartTime);
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Storage:SqlitePath", DatabasePath);
        builder.UseSetting("Demo:SeedWhenEmpty", _seedDemo ? "true" : "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("AzureAd:TenantId", TestTokens.TenantId);
        builder.UseSetting("AzureAd:ClientId", TestTokens.ClientId);
        builder.UseSetting("AzureAd:SigningKeysFile", TestTokens.JwksFile);
        builder.UseSetting("RateLimits:AnonymousPerMinute", "1000000");
        builder.UseSetting("RateLimits:DefaultPartnerPerMinute", "1000000");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(l => l.AddProvider(Logs));
        builder.ConfigureServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Time);
            _services?.Invoke(s);
        });
        _configure?.Invoke(builder);
    }

    /// <summary>Starts the server (if needed) and returns a client for it.</summary>
    public HttpClient Client()
    {
        StartServer();
        return CreateClient();
    }

    public T Service<T>() where T : notnull
    {
        StartServer();
        return Services.GetRequiredService<T>();
    }

    /// <summary>Stops the service and deletes the temp database it made (a database path given by the test is kept).</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) DeleteFiles();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteFiles();
    }

    private void DeleteFiles()
    {
        if (!_ownsFile) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var dir = Path.GetDirectoryName(DatabasePath)!;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}

/// <summary>A clock tests set by hand.</summary>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Set(DateTimeOffset now) => _now = now;
}
