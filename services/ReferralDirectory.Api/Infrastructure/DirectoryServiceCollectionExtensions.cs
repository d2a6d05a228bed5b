using Microsoft.Extensions.Options;
using ReferralDirectory.Listings;
using ReferralDirectory.Places;
using ReferralDirectory.Safety;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Infrastructure;

public static class DirectoryServiceCollectionExtensions
{
    /// <summary>Options (validated on start), the store, the gazetteer, the search index and the directory service.</summary>
    public static IServiceCollection AddReferralDirectory(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<StorageOptions>().Bind(config.GetSection(StorageOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.SyncTimeoutSeconds is null || o.SyncTimeoutSeconds < o.SyncIntervalSeconds,
                "Storage:SyncTimeoutSeconds must be shorter than Storage:SyncIntervalSeconds.").ValidateOnStart();
        services.AddOptions<DemoOptions>().Bind(config.GetSection(DemoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SearchOptions>().Bind(config.GetSection(SearchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SearchOptions>, SearchOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddOptions<AnswerOptions>().Bind(config.GetSection(AnswerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(_ => Gazetteer.Default);
        services.AddDirectoryStore(config);
        services.AddSingleton(sp => new ConfidentialLocationPolicy(sp.GetRequiredService<Gazetteer>()));
        // Its secret is read from the store by DirectoryStartup, after the store is initialized.
        services.AddSingleton<PageCursors>();
        services.AddSingleton(sp => new DirectoryIndex(sp.GetRequiredService<ConfidentialLocationPolicy>(), sp.GetRequiredService<Gazetteer>(),
            new Search.CardEncoder(), sp.GetRequiredService<ILogger<DirectoryIndex>>()));
        services.AddSingleton<DirectoryService>();
        services.AddSingleton<Admin.ConfidentialApprovals>();
        services.AddSingleton<DirectorySearch>();
        services.AddSingleton<ListingReader>();
        services.AddSingleton<Search.SearchAnswers>();
        services.AddSingleton<AnswerCache>();
        services.AddSingleton<StartupState>();
        services.AddSingleton<SyncStatus>();
        services.AddHostedService<DirectoryStartup>();
        services.AddHostedService<IndexCheckpointService>();
        services.AddHostedService<IndexSyncService>();
        return services;
    }

    private sealed class SearchOptionsValidator : IValidateOptions<SearchOptions>
    {
        public ValidateOptionsResult Validate(string? name, SearchOptions o)
        {
            var errors = new List<string>();
            if (o.DefaultResults > o.MaxResults) errors.Add("Search:DefaultResults must not exceed Search:MaxResults.");
            if (o.DefaultPageSize > o.MaxPageSize) errors.Add("Search:DefaultPageSize must not exceed Search:MaxPageSize.");
            if (o.DefaultBrowseRadiusKm > o.MaxRadiusKm) errors.Add("Search:DefaultBrowseRadiusKm must not exceed Search:MaxRadiusKm.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
