using System.ComponentModel.DataAnnotations;

namespace ReferralDirectory.Storage.Cosmos;

public enum CosmosAuthMode
{
    /// <summary>Microsoft Entra ID through <c>DefaultAzureCredential</c> (managed identity in Azure). The default.</summary>
    ManagedIdentity,
    /// <summary>An account key from configuration or a secret store (local servers, tests). Never committed.</summary>
    Key,
}

/// <summary>The Azure Cosmos DB store. Section <c>Storage:Cosmos</c>; read when <c>Storage:Provider</c> is <c>Cosmos</c>.</summary>
public sealed class CosmosStoreOptions
{
    public const string Section = "Storage:Cosmos";

    /// <summary>https://ACCOUNT.documents.azure.com:443/</summary>
    public string AccountEndpoint { get; set; } = "";
    [Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$")] public string Database { get; set; } = "referral-directory";
    public CosmosContainerNames Containers { get; set; } = new();
    /// <summary>The partition key value: this directory's name. Several directories can share one container.</summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,62}$")] public string Directory { get; set; } = "default";
    public CosmosAuthMode AuthMode { get; set; } = CosmosAuthMode.ManagedIdentity;
    /// <summary>Account key for <see cref="CosmosAuthMode.Key"/>: set it from a secret store or the environment only.</summary>
    public string? Key { get; set; }
    /// <summary>Client id of a user-assigned managed identity (AZURE_CLIENT_ID works too).</summary>
    public string? ManagedIdentityClientId { get; set; }
    /// <summary>Create the database and container when missing (needs control-plane rights or a key; with Entra ID
    /// data-plane roles only, infrastructure creates them and this only checks they exist).</summary>
    public bool CreateIfMissing { get; set; } = true;
    /// <summary>Accept a self-signed certificate, allowed only for a loopback endpoint (local Cosmos-protocol servers).</summary>
    public bool TrustLoopbackServerCertificate { get; set; }
    /// <summary>Where index sync reads other instances' writes: the change query (default; every server, the test
    /// server included) or the Cosmos DB change feed (pull model; Azure only). See docs/cosmos-design.md.</summary>
    public CosmosSyncSource SyncSource { get; set; } = CosmosSyncSource.ChangeQuery;
    /// <summary>An idle pooled HTTP connection is closed after this long: keep it below the server's and any NAT's
    /// idle timeout (Azure SNAT: 4 min), so that no request is sent on a connection the other side has dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:04:00")] public TimeSpan IdleConnectionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Everything data annotations cannot say; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(AccountEndpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            errors.Add("Storage:Cosmos:AccountEndpoint must be an absolute https URL.");
        if (AuthMode == CosmosAuthMode.Key && string.IsNullOrWhiteSpace(Key))
            errors.Add("Storage:Cosmos:Key is required when Storage:Cosmos:AuthMode is Key (set it from a secret store or the environment).");
        if (AuthMode == CosmosAuthMode.ManagedIdentity && !string.IsNullOrEmpty(Key))
            errors.Add("Storage:Cosmos:Key must not be set when Storage:Cosmos:AuthMode is ManagedIdentity.");
        if (TrustLoopbackServerCertificate && uri is not null && !uri.IsLoopback)
            errors.Add("Storage:Cosmos:TrustLoopbackServerCertificate is allowed only for a loopback endpoint.");
        if (string.IsNullOrWhiteSpace(Containers.Directory))
            errors.Add("Storage:Cosmos:Containers:Directory is required.");
        return errors;
    }
}

public enum CosmosSyncSource
{
    /// <summary>The ordered change query on the change sequence (<c>seq &gt; n ORDER BY seq</c>).</summary>
    ChangeQuery,
    /// <summary>The change feed, pull model, with a continuation for the directory's feed range.</summary>
    ChangeFeed,
}

public sealed class CosmosContainerNames
{
    /// <summary>Listings, the change log, purge markers, audit entries, API keys and secrets (partition key <c>/pk</c>).</summary>
    public string Directory { get; set; } = "directory";
}
