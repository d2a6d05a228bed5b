using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Storage.Cosmos;
using ReferralDirectory.Storage.Resilience;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Deployment;

/// <summary>
/// The container app's settings against the service (BicepTests compiles and lints the templates): every app setting
/// the container app module sets names an option the service binds or an environment variable it reads, and the
/// settings (with stand-ins for values that come from other modules' outputs) pass the service's own start-up validation.
/// </summary>
public sealed partial class InfraSettingsTests
{
    private static string RepoFile(params string[] parts) => RepoFiles.Path(parts);

    [GeneratedRegex(@"\{\s*name:\s*'(?<name>[A-Za-z0-9_]+)',\s*(?<kind>value|secretRef):\s*(?<value>[^}]+?)\s*\}")]
    private static partial Regex EnvEntry();

    /// <summary>Environment variables the service reads that are no option of its own.</summary>
    private static readonly string[] KnownEnvironmentVariables =
    [
        // Telemetry.AddDirectoryTelemetry exports to Azure Monitor when it is set.
        Telemetry.AzureMonitorConnectionStringVariable,
    ];

    private static List<(string Name, string Value)> AppSettings()
    {
        var bicep = File.ReadAllText(RepoFile("infra", "modules", "container-app.bicep"));
        var env = bicep[bicep.IndexOf("env: [", StringComparison.Ordinal)..];
        env = env[..env.IndexOf(']', StringComparison.Ordinal)];
        return [.. EnvEntry().Matches(env).Select(m => (m.Groups["name"].Value, m.Groups["kind"].Value == "secretRef" ? "secretRef:" + m.Groups["value"].Value : m.Groups["value"].Value))];
    }

    /// <summary>The options classes and sections the service binds (checked against its registrations below).</summary>
    private static readonly (Type Type, string Section)[] Options =
    [
        (typeof(StorageOptions), StorageOptions.Section),
        (typeof(CosmosStoreOptions), CosmosStoreOptions.Section),
        (typeof(StoreResilienceOptions), StoreResilienceOptions.Section),
        (typeof(DemoOptions), DemoOptions.Section),
        (typeof(SearchOptions), SearchOptions.Section),
        (typeof(ReferralDirectory.Api.Auth.AzureAdOptions), ReferralDirectory.Api.Auth.AzureAdOptions.Section),
        (typeof(ForwardedHeadersSettings), ForwardedHeadersSettings.Section),
    ];

    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(TimeSpan) || t == typeof(decimal))
            {
                if (p.SetMethod?.IsPublic == true) yield return $"{prefix}:{p.Name}";
            }
            else if (t == typeof(string[]))
            {
                if (p.SetMethod?.IsPublic == true) yield return $"{prefix}:{p.Name}:N"; // array elements: Name:0, Name:1...
            }
            else if (t.IsClass)
            {
                foreach (var k in Keys(t, $"{prefix}:{p.Name}")) yield return k;
            }
        }
    }

    [Test]
    public void The_container_app_sets_the_cosmos_provider_with_managed_identity()
    {
        var names = AppSettings().Select(s => s.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[]
        {
            "Storage__Provider", "Storage__Cosmos__AccountEndpoint", "Storage__Cosmos__Database", "Storage__Cosmos__Containers__Directory",
            "Storage__Cosmos__AuthMode", "Storage__Cosmos__ManagedIdentityClientId", "Storage__Cosmos__CreateIfMissing",
        }));
        Assert.That(names, Has.No.Member("Storage__Cosmos__Key"), "no keys: the account has local auth disabled");
        Assert.That(names, Is.Unique);
    }

    [Test]
    public void Every_app_setting_is_an_option_the_service_reads()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReferralDirectory(new ConfigurationBuilder().Build());
        services.AddDirectoryAuth(new ConfigurationBuilder().Build());
        services.AddDirectoryForwardedHeaders(new ConfigurationBuilder().Build());
        foreach (var (type, _) in Options)
            Assert.That(services.Any(d => d.ServiceType == typeof(IConfigureOptions<>).MakeGenericType(type)), Is.True, $"{type.Name} is bound by the service");

        var known = Options.SelectMany(o => Keys(o.Type, o.Section)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.That(known, Does.Contain("Storage:Cosmos:Containers:Directory"));
        var settings = AppSettings();
        Assert.That(settings, Has.Count.GreaterThan(10));
        foreach (var (name, _) in settings.Where(s => !KnownEnvironmentVariables.Contains(s.Name)))
            Assert.That(known, Does.Contain(System.Text.RegularExpressions.Regex.Replace(name.Replace("__", ":", StringComparison.Ordinal), ":[0-9]+$", ":N")), $"app setting {name} maps to no option");
        Assert.That(settings.Single(s => s.Name == Telemetry.AzureMonitorConnectionStringVariable).Value, Is.EqualTo("secretRef:'appinsights-connection-string'"),
            "the App Insights connection string reaches the container as a secret");
    }

    [Test]
    public void The_app_settings_pass_the_services_start_up_validation()
    {
        // Values that are Bicep expressions get realistic stand-ins; literals are used as written.
        var standIns = new Dictionary<string, string>
        {
            ["cosmosEndpoint"] = "https://cosmos-abc.documents.azure.com:443/",
            ["cosmosDatabase"] = "referral-directory",
            ["cosmosContainer"] = "directory",
            ["directoryName"] = "default",
            ["identityClientId"] = "00000000-0000-0000-0000-000000000001",
            ["azureAdTenantId"] = "00000000-0000-0000-0000-0000000000aa",
            ["azureAdClientId"] = "00000000-0000-0000-0000-0000000000bb",
            ["trustedProxyNetwork"] = "10.40.0.0/23",
            ["secretRef:'appinsights-connection-string'"] = "InstrumentationKey=00000000-0000-0000-0000-0000000000cc;IngestionEndpoint=https://example.invalid/",
        };
        var values = new Dictionary<string, string?>();
        foreach (var (name, raw) in AppSettings())
        {
            var value = raw.StartsWith('\'') ? raw.Trim('\'') : standIns.TryGetValue(raw, out var s) ? s : throw new AssertionException($"no stand-in for {raw}");
            values[name.Replace("__", ":", StringComparison.Ordinal)] = value;
        }
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReferralDirectory(config);
        services.AddDirectoryAuth(config);
        services.AddDirectoryForwardedHeaders(config);
        using var sp = services.BuildServiceProvider();
        Assert.That(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider, Is.EqualTo("Cosmos"));
        var ad = sp.GetRequiredService<IOptions<AzureAdOptions>>().Value;
        Assert.That(ad.IsConfigured, Is.True, "admin sign-in is configured in Azure");
        Assert.That(ad.SigningKeysFile, Is.Null, "production validates against the tenant's published keys");
        Assert.That(sp.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Enabled, Is.True);
        Assert.That(sp.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.KnownNetworks, Is.EqualTo(new[] { "10.40.0.0/23" }),
            "X-Forwarded-For is believed only from the environment's infrastructure subnet");
        var cosmos = sp.GetRequiredService<IOptions<CosmosStoreOptions>>().Value;
        Assert.That(cosmos.AuthMode, Is.EqualTo(CosmosAuthMode.ManagedIdentity));
        Assert.That(cosmos.CreateIfMissing, Is.False);
        Assert.That(cosmos.Containers.Directory, Is.EqualTo("directory"));
        Assert.That(sp.GetRequiredService<IOptions<DemoOptions>>().Value.SeedWhenEmpty, Is.False);
        Assert.That(sp.GetRequiredService<IOptions<StoreResilienceOptions>>().Value.MaxRetries, Is.EqualTo(4));
    }

    [Test]
    public void The_bicep_container_matches_the_indexing_policy_the_service_creates()
    {
        var bicep = File.ReadAllText(RepoFile("infra", "modules", "cosmos.bicep"));
        var policy = CosmosDirectoryStore.IndexingPolicy();
        foreach (var p in policy.ExcludedPaths) Assert.That(bicep, Does.Contain($"{{ path: '{p.Path}' }}"));
        foreach (var s in policy.SpatialIndexes) Assert.That(bicep, Does.Contain($"{{ path: '{s.Path}', types: [ {string.Join(", ", s.SpatialTypes.Select(t => $"'{t}'"))} ] }}"));
        Assert.That(bicep, Does.Contain("paths: [ '/pk' ]"));
        Assert.That(bicep, Does.Contain("disableLocalAuth: true"));
        Assert.That(bicep, Does.Contain("sqlRoleDefinitions/00000000-0000-0000-0000-000000000002"));
    }
}
