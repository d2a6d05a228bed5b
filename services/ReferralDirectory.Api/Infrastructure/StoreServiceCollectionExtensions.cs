using Microsoft.Extensions.Options;
using Polly.Registry;
using ReferralDirectory.Storage;
using ReferralDirectory.Storage.Cosmos;
using ReferralDirectory.Storage.Resilience;

namespace ReferralDirectory.Api.Infrastructure;

public static class StoreServiceCollectionExtensions
{
    /// <summary>The store named by <c>Storage:Provider</c> (Sqlite, the default, or Cosmos), with its options
    /// validated on start and the named resilience pipelines (<see cref="StorePipelines"/>) around Cosmos calls.</summary>
    public static IServiceCollection AddDirectoryStore(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<StoreResilienceOptions>().Bind(config.GetSection(StoreResilienceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CosmosStoreOptions>().Bind(config.GetSection(CosmosStoreOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CosmosStoreOptions>, CosmosOptionsValidator>();
        services.AddSingleton<StoreChaos>();
        services.AddSingleton<ITransientFaultClassifier, CosmosFaults>();
        services.AddSingleton(sp => StorePipelines.CreateRegistry(
            sp.GetRequiredService<IOptions<StoreResilienceOptions>>().Value, sp.GetRequiredService<ITransientFaultClassifier>(),
            sp.GetRequiredService<StoreChaos>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ResiliencePipelineProvider<string>>(sp => sp.GetRequiredService<ResiliencePipelineRegistry<string>>());
        services.AddSingleton(sp => new CosmosConnections(sp.GetRequiredService<IOptions<CosmosStoreOptions>>().Value));
        services.AddSingleton(sp => CosmosClientFactory.Create(sp.GetRequiredService<IOptions<CosmosStoreOptions>>().Value, sp.GetRequiredService<CosmosConnections>()));
        // Every store call gets a span (TracedDirectoryStore), whichever store it is.
        services.AddSingleton<IDirectoryStore>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            return storage.Provider == StorageProviders.Cosmos
                ? new TracedDirectoryStore(new CosmosDirectoryStore(sp.GetRequiredService<Microsoft.Azure.Cosmos.CosmosClient>(),
                    sp.GetRequiredService<IOptions<CosmosStoreOptions>>().Value, time, sp.GetRequiredService<ResiliencePipelineProvider<string>>(),
                    sp.GetRequiredService<ITransientFaultClassifier>(), sp.GetRequiredService<IOptions<StoreResilienceOptions>>().Value), "azure.cosmosdb")
                : new TracedDirectoryStore(new SqliteDirectoryStore(SqlitePath(sp, storage), time), "sqlite");
        });
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var root = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Environment.CurrentDirectory;
            string? path = !storage.IndexCheckpoint ? null
                : storage.IndexCheckpointPath is { Length: > 0 } p ? LocalPaths.FromConfiguration(p, root)
                : storage.Provider == StorageProviders.Sqlite ? SqlitePath(sp, storage) + ".index" : null;
            return new IndexCheckpointLocation(path);
        });
        // Index sync: the change source (one contract, two sources) and the connections its watchdog recycles.
        services.AddSingleton<IStoreConnections>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProviders.Cosmos
            ? sp.GetRequiredService<CosmosConnections>() : new NoStoreConnections());
        services.AddSingleton<IChangeSource>(sp =>
        {
            var store = sp.GetRequiredService<IDirectoryStore>();
            var inner = store is TracedDirectoryStore traced ? traced.Inner : store;
            return sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProviders.Cosmos
                && sp.GetRequiredService<IOptions<CosmosStoreOptions>>().Value.SyncSource == CosmosSyncSource.ChangeFeed
                ? new CosmosChangeFeedSource(inner as CosmosDirectoryStore ?? throw new InvalidOperationException("The change feed needs the Cosmos DB store."))
                : new ChangeQuerySource(store);
        });
        return services;
    }

    /// <summary><c>Storage:SqlitePath</c>, a relative path resolved from the content root (<see cref="LocalPaths"/>).</summary>
    private static string SqlitePath(IServiceProvider sp, StorageOptions storage) =>
        LocalPaths.FromConfiguration(storage.SqlitePath, sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Environment.CurrentDirectory);

    /// <summary>The Cosmos section is checked only when Cosmos is the provider.</summary>
    private sealed class CosmosOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<CosmosStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, CosmosStoreOptions o)
        {
            if (storage.Value.Provider != StorageProviders.Cosmos) return ValidateOptionsResult.Success;
            var errors = o.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

public static class StorageProviders
{
    public const string Sqlite = "Sqlite";
    public const string Cosmos = "Cosmos";
}
