using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReferralDirectory.Tests.Support;

/// <summary>
/// A fault-injecting HTTPS reverse proxy on loopback in front of the Cosmos-protocol server. The Cosmos SDK talks
/// to it exactly as to an account; on document requests (<c>/docs</c>) it can answer 429 with a retry-after, 503,
/// drop the connection, hold a matching request open without answering (a hung request), or pass through. Faults
/// are real HTTP: the SDK's own handling (and its configured lack of 429 retries) is part of what the tests observe.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    public enum Fault { None, Throttle, Unavailable, Drop }

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly object _gate = new();
    private Fault _fault;
    private int _remaining;
    private int _skip;
    private TimeSpan _retryAfter;
    private Func<string, bool>? _holdMatch;
    private int _holdRemaining;
    private TimeSpan _holdFor;
    private readonly CancellationTokenSource _stopping = new();

    public string Endpoint { get; }
    /// <summary>Faults answered so far, by kind (Held: requests held open).</summary>
    public int Throttled, Unavailable, Dropped, Forwarded, Held;

    private FaultProxy(WebApplication app, HttpClient upstream, string endpoint)
    {
        _app = app;
        _upstream = upstream;
        Endpoint = endpoint;
    }

    /// <summary>Injects <paramref name="fault"/> on the next <paramref name="count"/> document requests (int.MaxValue: until cleared).</summary>
    /// <param name="fault">What to answer.</param>
    /// <param name="count">How many requests get it.</param>
    /// <param name="retryAfter">The 429's x-ms-retry-after-ms.</param>
    /// <param name="skip">Document requests to pass through first.</param>
    public void Inject(Fault fault, int count = int.MaxValue, TimeSpan? retryAfter = null, int skip = 0)
    {
        lock (_gate)
        {
            _skip = skip;
            _fault = fault;
            _remaining = count;
            _retryAfter = retryAfter ?? TimeSpan.FromMilliseconds(100);
        }
    }

    public void Heal()
    {
        Inject(Fault.None, 0);
        lock (_gate) _holdRemaining = 0;
    }

    /// <summary>Holds the next <paramref name="count"/> document requests whose body <paramref name="matches"/> (e.g. a
    /// query's text) open for <paramref name="holdFor"/> without an answer, as a hung server or a dead connection
    /// would; the client sees nothing until its own timeout. Other requests pass.</summary>
    public void Hold(Func<string, bool> matches, TimeSpan holdFor, int count = 1)
    {
        lock (_gate)
        {
            _holdMatch = matches;
            _holdFor = holdFor;
            _holdRemaining = count;
        }
    }

    private bool ShouldHold(string body)
    {
        lock (_gate)
        {
            if (_holdRemaining <= 0 || _holdMatch is null || !_holdMatch(body)) return false;
            if (_holdRemaining != int.MaxValue) _holdRemaining--;
            return true;
        }
    }

    private Fault Next()
    {
        lock (_gate)
        {
            if (_fault == Fault.None || _remaining <= 0) return Fault.None;
            if (_skip > 0) { _skip--; return Fault.None; }
            if (_remaining != int.MaxValue) _remaining--;
            return _fault;
        }
    }

    public static async Task<FaultProxy> StartAsync(string upstream)
    {
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var cert = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(cert)));
        var app = builder.Build();
        var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        { BaseAddress = new Uri(upstream) };
        FaultProxy? proxy = null;
        app.Run(ctx => proxy!.HandleAsync(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy = new FaultProxy(app, client, new Uri(address).GetLeftPart(UriPartial.Authority).Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
        return proxy;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var isDocument = ctx.Request.Path.Value?.Contains("/docs", StringComparison.Ordinal) == true;
        MemoryStream? body = null;
        if (ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            body.Position = 0;
        }
        if (isDocument && ShouldHold(body is null ? "" : System.Text.Encoding.UTF8.GetString(body.ToArray())))
        {
            Interlocked.Increment(ref Held);
            using var held = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping.Token);
            try { await Task.Delay(_holdFor, held.Token); }
            catch (OperationCanceledException) { }
            ctx.Abort();
            return;
        }
        var fault = isDocument ? Next() : Fault.None;
        switch (fault)
        {
            case Fault.Throttle:
                Interlocked.Increment(ref Throttled);
                ctx.Response.StatusCode = 429;
                ctx.Response.Headers["x-ms-retry-after-ms"] = ((long)_retryAfter.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                ctx.Response.Headers["x-ms-substatus"] = "3200";
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"code\":\"TooManyRequests\",\"message\":\"Request rate is large.\"}");
                return;
            case Fault.Unavailable:
                Interlocked.Increment(ref Unavailable);
                ctx.Response.StatusCode = 503;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"code\":\"ServiceUnavailable\",\"message\":\"Service is currently unavailable.\"}");
                return;
            case Fault.Drop:
                Interlocked.Increment(ref Dropped);
                ctx.Abort();
                return;
        }
        Interlocked.Increment(ref Forwarded);
        using var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), ctx.Request.Path + ctx.Request.QueryString);
        if (body is not null) request.Content = new StreamContent(body);
        foreach (var (name, values) in ctx.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values)) request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        ctx.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            ctx.Response.Headers[name] = values.ToArray();
        }
        await response.Content.CopyToAsync(ctx.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
        _stopping.Dispose();
    }
}
