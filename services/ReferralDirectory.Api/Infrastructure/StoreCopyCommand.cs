using Microsoft.Extensions.Options;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// <c>copy-store --from sqlite:PATH|cosmos --to sqlite:PATH|cosmos</c>: copies the whole directory into an empty
/// store. A relative PATH starts from the working directory, as for rd-import's <c>--db</c> (<see cref="LocalPaths"/>).
/// Cosmos settings come from the usual configuration (appsettings, <c>Storage__Cosmos__*</c> environment
/// variables, or <c>--Storage:Cosmos:AccountEndpoint=...</c> arguments), validated as on start.
/// </summary>
public static class StoreCopyCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        output ??= Console.Out;
        string? from = null, to = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--from" && i + 1 < args.Length) from = args[++i];
            else if (args[i] == "--to" && i + 1 < args.Length) to = args[++i];
            else rest.Add(args[i]);
        }
        from = from is null ? null : Normalize(from);
        to = to is null ? null : Normalize(to);
        if (from is null || to is null || !IsStore(from) || !IsStore(to) || from == to)
        {
            await output.WriteLineAsync("usage: copy-store --from sqlite:PATH|cosmos --to sqlite:PATH|cosmos [--Storage:Cosmos:Key=...]");
            return 2;
        }
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddInMemoryCollection(settings ?? [])
            .AddEnvironmentVariables()
            .AddCommandLine([.. rest])
            .Build();
        try
        {
            await using var source = Build(config, from);
            await using var target = Build(config, to);
            var result = await StoreCopier.CopyAsync(source.GetRequiredService<IDirectoryStore>(), target.GetRequiredService<IDirectoryStore>(),
                [ReferralDirectory.Safety.PageCursors.SecretName], new Actor("copy-store", "copy-store command"), TimeProvider.System);
            await output.WriteLineAsync($"copied {result.Listings} listings ({result.Retired} retired), {result.ApiKeys} API keys, " +
                                        $"{result.AuditEntries} audit entries, {result.Secrets} secrets, {result.WorkItems} work items from {from} to {to}");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or StoreUnavailableException)
        {
            await output.WriteLineAsync($"copy-store failed: {e.Message}");
            return 1;
        }
    }

    private static bool IsStore(string s) => s == "cosmos" || LocalPaths.SqliteStoreFromCommandLine(s) is not null;

    /// <summary><c>sqlite:PATH</c> with PATH made absolute from the working directory; anything else as given.</summary>
    private static string Normalize(string s) => LocalPaths.SqliteStoreFromCommandLine(s) is { } path ? LocalPaths.SqlitePrefix + path : s;

    /// <summary>The same registrations as the service, with the provider set for this side of the copy.</summary>
    private static ServiceProvider Build(IConfiguration config, string store)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = store == "cosmos" ? StorageProviders.Cosmos : StorageProviders.Sqlite,
        };
        if (store != "cosmos") overrides["Storage:SqlitePath"] = store[LocalPaths.SqlitePrefix.Length..];
        var side = new ConfigurationBuilder().AddConfiguration(config).AddInMemoryCollection(overrides).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Bind(side.GetSection(StorageOptions.Section)).ValidateDataAnnotations();
        services.AddDirectoryStore(side);
        var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        // Validate now, as the host does on start.
        _ = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (store == "cosmos") _ = sp.GetRequiredService<IOptions<Storage.Cosmos.CosmosStoreOptions>>().Value;
        return sp;
    }
}
