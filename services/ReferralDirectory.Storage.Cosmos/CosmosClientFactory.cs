using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace ReferralDirectory.Storage.Cosmos;

/// <summary>The one place a <see cref="CosmosClient"/> is made, for the service, the copy command and the tests alike.</summary>
public static class CosmosClientFactory
{
    public static CosmosClient Create(CosmosStoreOptions o)
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
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        if (o.TrustLoopbackServerCertificate)
        {
            options.HttpClientFactory = () => new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        }
        return o.AuthMode == CosmosAuthMode.Key
            ? new CosmosClient(o.AccountEndpoint, o.Key, options)
            : new CosmosClient(o.AccountEndpoint, new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrEmpty(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId,
            }), options);
    }
}
