using System.Net.Security;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Storage.Cosmos;

/// <summary>
/// The HTTP connections of the Cosmos client (gateway mode): one <see cref="SocketsHttpHandler"/> with settings for a
/// long-running service, behind a forwarding handler so that <see cref="Recycle"/> can swap in a fresh pool.
/// <list type="bullet">
/// <item><see cref="SocketsHttpHandler.PooledConnectionIdleTimeout"/> (<see cref="CosmosStoreOptions.IdleConnectionTimeout"/>,
/// 30 s): an idle connection is closed by us before the server or a NAT on the way forgets it (Azure's SNAT and load
/// balancers drop idle flows after 4 min, silently: a request on such a connection hangs instead of failing).</item>
/// <item><see cref="SocketsHttpHandler.PooledConnectionLifetime"/> 5 min, as the SDK's own handler: connections move
/// with DNS and spread over gateway nodes.</item>
/// <item><see cref="SocketsHttpHandler.ConnectTimeout"/> 5 s (the default waits forever).</item>
/// <item>At most 50 connections per endpoint, the SDK's gateway default.</item>
/// </list>
/// </summary>
public sealed class CosmosConnections : IStoreConnections, IDisposable
{
    /// <summary>How long a replaced pool stays open for the requests still running on it.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(70);

    private readonly TimeSpan _idleTimeout;
    private readonly bool _trustLoopbackCertificate;
    private HttpMessageInvoker _current;
    private int _recycles;

    public CosmosConnections(CosmosStoreOptions options)
    {
        _idleTimeout = options.IdleConnectionTimeout;
        _trustLoopbackCertificate = options.TrustLoopbackServerCertificate;
        _current = new HttpMessageInvoker(NewHandler(), disposeHandler: true);
    }

    public int Recycles => Volatile.Read(ref _recycles);

    /// <summary>The client the SDK uses (<see cref="Microsoft.Azure.Cosmos.CosmosClientOptions.HttpClientFactory"/>).</summary>
    public HttpClient CreateHttpClient() => new(new Forwarder(this), disposeHandler: true);

    public void Recycle()
    {
        var old = Interlocked.Exchange(ref _current, new HttpMessageInvoker(NewHandler(), disposeHandler: true));
        Interlocked.Increment(ref _recycles);
        _ = Task.Delay(DrainTime).ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
    }

    private SocketsHttpHandler NewHandler()
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = _idleTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = 50,
        };
        // Allowed only for a loopback endpoint (CosmosStoreOptions.Validate): a local server's self-signed certificate.
        // CA5359 is right in general; here the endpoint is this machine's own loopback server (nothing on the network).
#pragma warning disable CA5359
        if (_trustLoopbackCertificate) handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
#pragma warning restore CA5359
        return handler;
    }

    public void Dispose() => _current.Dispose();

    private sealed class Forwarder(CosmosConnections owner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            Volatile.Read(ref owner._current).SendAsync(request, ct);
    }
}
