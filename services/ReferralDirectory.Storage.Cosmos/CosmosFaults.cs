using System.Net;
using System.Net.Sockets;
using Microsoft.Azure.Cosmos;
using ReferralDirectory.Storage.Resilience;

namespace ReferralDirectory.Storage.Cosmos;

/// <summary>Transient Cosmos DB failures: 429 (with the server's retry-after), 503, 408, 449, 410, and lost connections.</summary>
public sealed class CosmosFaults : ITransientFaultClassifier
{
    public bool IsTransient(Exception exception) => exception switch
    {
        // Cancelled by the caller (a sync cycle's time limit, shutdown): not a store fault, not for the breaker.
        OperationCanceledException => false,
        CosmosException c => c.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.RequestTimeout or HttpStatusCode.Gone or (HttpStatusCode)449,
        HttpRequestException or IOException or SocketException => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    public TimeSpan? RetryAfter(Exception exception) => exception switch
    {
        CosmosException { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable, RetryAfter: { } after } => after,
        _ => exception.InnerException is { } inner ? RetryAfter(inner) : null,
    };
}
