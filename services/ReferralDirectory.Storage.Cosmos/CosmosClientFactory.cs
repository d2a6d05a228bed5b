using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace ReferralDirectory.Storage.Cosmos;

/// <summary>The one place a <see cref="CosmosClient"/> is made, for the service, the copy command and the tests alike.</summary>
public static class CosmosClientFactory
{
    /// <summary>The SDK's own request timeout (its <c>RequestTimeout</c>), above the Polly attempt timeout, which is what
    /// bounds a request in practice (see below).</summary>
    public const int SdkRequestTimeoutSeconds = 10;

    private static readonly TimeSpan SdkRequestTimeout = TimeSpan.FromSeconds(SdkRequestTimeoutSeconds);

    /// <summary>A client on its own <see cref="CosmosConnections"/>.</summary>
    public static CosmosClient Create(CosmosStoreOptions o) => Create(o, new CosmosConnections(o));

    /// <summary>A client whose HTTP connections are <paramref name="connections"/> (the service shares them with the
    /// index sync watchdog, which recycles them after a hung request).</summary>
    public static CosmosClient Create(CosmosStoreOptions o, CosmosConnections connections)
    {
        var errors = o.Validate();
        if (errors.Count > 0) throw new InvalidOperationException(string.Join(" ", errors));
        var options = new CosmosClientOptions
        {
            ApplicationName = "referral-directory",
            // Gateway mode over HTTPS 443 only (works from Container Apps and with Cosmos-protocol test servers).
            ConnectionMode = ConnectionMode.Gateway,
            // A single-region account: talk to the account endpoint only (no regional endpoint discovery).
            LimitToEndpoint = true,
            // 429s are retried by the Polly pipeline honouring the server's retry-after; the SDK must not stack its own.
            MaxRetryAttemptsOnRateLimitedRequests = 0,
            MaxRetryWaitTimeOnRateLimitedRequests = TimeSpan.Zero,
            RequestTimeout = SdkRequestTimeout,
            // Gateway mode is plain HTTPS: the connection settings (idle timeout below the server's and NATs', connect
            // timeout, lifetime) and the pool the watchdog can recycle are in CosmosConnections. Note that in gateway
            // mode the SDK's own per-request HTTP timeout for reads is 65 s (RequestTimeout only raises it): the
            // Polly attempt timeout and the sync loop's cycle timeout are what bound a hung request.
            HttpClientFactory = connections.CreateHttpClient,
        };
        return o.AuthMode == CosmosAuthMode.Key
            ? new CosmosClient(o.AccountEndpoint, o.Key, options)
            : new CosmosClient(o.AccountEndpoint, new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrEmpty(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId,
            }), options);
    }
}
