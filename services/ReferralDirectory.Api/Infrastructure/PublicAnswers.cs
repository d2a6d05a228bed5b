using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>Section <c>Answers</c>: how public answers are cached in memory and how long a search may run.</summary>
public sealed class AnswerOptions
{
    public const string Section = "Answers";

    /// <summary>Memory for whole answers kept for repeated requests (browse pages, HSDS pages, listings by id), in MB.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 4096)] public int CacheMegabytes { get; set; } = 64;

    /// <summary>The server-side time budget of one search: past it the request answers 503 and stops working.</summary>
    [System.ComponentModel.DataAnnotations.Range(50, 60_000)] public int TimeBudgetMilliseconds { get; set; } = 2_000;

    /// <summary>Answers shorter than this are sent uncompressed (compression would not pay).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000)] public int CompressAboveBytes { get; set; } = 1_024;
}

/// <summary>
/// A public answer as bytes with the HTTP conventions every public read follows, in one place:
/// <list type="bullet">
/// <item>a strong <c>ETag</c> (a hash of the bytes; a compressed variant has its own), <c>304</c> for a matching
/// <c>If-None-Match</c> (weak comparison, lists and <c>*</c>);</item>
/// <item><c>Cache-Control: public, max-age=60</c>, or <c>private, no-store</c> when the answer depends on who asks;</item>
/// <item><c>Vary</c> merged with what other parts set (CORS adds Origin), never overwritten;</item>
/// <item>Brotli or gzip when the client asks for it; HEAD answers the headers only.</item>
/// </list>
/// Answers whose request can repeat (not a raw point search) are kept in <see cref="AnswerCache"/> for the snapshot
/// and minute they were made in.
/// </summary>
public sealed class PublicAnswer : IResult
{
    private readonly Action<Utf8JsonWriter>? _write;
    private readonly CachedAnswer? _ready;
    private readonly string _contentType;
    private readonly bool _private;
    private readonly string? _cacheKey;
    private readonly string? _vary;
    private readonly int _status;

    private PublicAnswer(Action<Utf8JsonWriter>? write, CachedAnswer? ready, string contentType, bool isPrivate, string? cacheKey, string? vary, int status)
    {
        _write = write; _ready = ready; _contentType = contentType; _private = isPrivate; _cacheKey = cacheKey; _vary = vary; _status = status;
    }

    /// <summary>An answer written by <paramref name="write"/>. <paramref name="cacheKey"/>: the request's canonical key
    /// (including the snapshot version and minute), or null for answers not worth keeping. <paramref name="isPrivate"/>:
    /// the answer depends on the caller (never cached, anywhere). <paramref name="vary"/>: request headers the answer
    /// depends on besides Accept-Encoding.</summary>
    public static PublicAnswer Json(Action<Utf8JsonWriter> write, string contentType = "application/json", bool isPrivate = false, string? cacheKey = null,
        string? vary = null, int status = StatusCodes.Status200OK) =>
        new(write, null, contentType, isPrivate, isPrivate ? null : cacheKey, vary, status);

    /// <summary>The answer kept under <paramref name="cacheKey"/>, when there is one: checked before any work is done.</summary>
    public static PublicAnswer? Cached(HttpContext http, string? cacheKey, string? vary = null)
    {
        if (cacheKey is null || http.RequestServices.GetRequiredService<AnswerCache>().Get(cacheKey) is not { } hit) return null;
        return new PublicAnswer(null, hit, hit.ContentType, isPrivate: false, cacheKey: null, vary, StatusCodes.Status200OK);
    }

    /// <summary>A cache key for a public read: the route, the answer's media type, the query (sorted), the index snapshot's
    /// version and, when <paramref name="perMinute"/>, the minute (answers that say "open now" change with it).</summary>
    public static string CacheKey(HttpContext http, string contentType, long snapshotVersion, bool perMinute)
    {
        var sb = new System.Text.StringBuilder(http.Request.Path.Value).Append('|').Append(contentType).Append("|v").Append(snapshotVersion);
        if (perMinute) sb.Append("|m").Append(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute);
        foreach (var (k, v) in http.Request.Query.OrderBy(kv => kv.Key, StringComparer.Ordinal)) sb.Append('|').Append(k).Append('=').Append(v.ToString());
        return sb.ToString();
    }

    /// <summary>An answer from bytes already made (a serialized object).</summary>
    public static PublicAnswer Bytes(byte[] body, string contentType, bool isPrivate, string? vary = null) =>
        new(null, new CachedAnswer(body, contentType), contentType, isPrivate, null, vary, StatusCodes.Status200OK);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetRequiredService<IOptions<AnswerOptions>>().Value;
        var cache = httpContext.RequestServices.GetRequiredService<AnswerCache>();
        var answer = _ready ?? (_cacheKey is not null ? cache.Get(_cacheKey) : null);
        ArrayBufferWriter<byte>? scratch = null;
        ReadOnlyMemory<byte> body;
        string etag;
        if (answer is not null)
        {
            body = answer.Body; etag = answer.ETag;
        }
        else
        {
            scratch = Buffers.Rent();
            using (var w = new Utf8JsonWriter(scratch, new JsonWriterOptions { SkipValidation = true }))
            {
                _write!(w);
            }
            if (_cacheKey is not null)
            {
                answer = cache.Add(_cacheKey, new CachedAnswer(scratch.WrittenSpan.ToArray(), _contentType));
                body = answer.Body; etag = answer.ETag;
                Buffers.Return(scratch); scratch = null;
            }
            else
            {
                body = scratch.WrittenMemory; etag = CachedAnswer.ETagOf(scratch.WrittenSpan);
            }
        }
        try
        {
            await WriteAsync(httpContext, options, answer, body, etag);
        }
        finally
        {
            if (scratch is not null) Buffers.Return(scratch);
        }
    }

    private async Task WriteAsync(HttpContext http, AnswerOptions options, CachedAnswer? answer, ReadOnlyMemory<byte> body, string etag)
    {
        var response = http.Response;
        var encoding = body.Length > options.CompressAboveBytes ? PreferredEncoding(http.Request) : null;
        if (encoding is not null)
        {
            (body, etag) = answer is not null ? answer.Compressed(encoding) : CachedAnswer.Compress(body.Span, encoding, etag);
            response.Headers.ContentEncoding = encoding;
        }
        response.StatusCode = _status;
        response.ContentType = _contentType;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = _private ? "private, no-store" : "public, max-age=60";
        MergeVary(response.Headers, _vary is null ? "Accept-Encoding" : _vary + ", Accept-Encoding");
        if (_status == StatusCodes.Status200OK && Matches(http.Request.Headers.IfNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentType = null;
            response.Headers.Remove(HeaderNames.ContentEncoding);
            return;
        }
        response.ContentLength = body.Length;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        await response.Body.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>Adds <paramref name="tokens"/> to the response's Vary, keeping what is there (CORS adds Origin).</summary>
    public static void MergeVary(IHeaderDictionary headers, string tokens)
    {
        var existing = headers.Vary.ToString();
        if (string.IsNullOrEmpty(existing)) { headers.Vary = tokens; return; }
        var have = existing.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        foreach (var t in tokens.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (!have.Contains(t, StringComparer.OrdinalIgnoreCase)) have.Add(t);
        headers.Vary = string.Join(", ", have);
    }

    /// <summary>If-None-Match with the weak comparison (RFC 9110 13.1.2): <c>*</c>, or any listed tag equal after W/.</summary>
    public static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Count == 0) return false;
        var opaque = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        foreach (var value in ifNoneMatch)
        {
            if (value is null) continue;
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "*") return true;
                var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
                if (tag == opaque) return true;
            }
        }
        return false;
    }

    /// <summary>br or gzip when Accept-Encoding allows it (br preferred at equal quality), else null.</summary>
    internal static string? PreferredEncoding(HttpRequest request)
    {
        var header = request.Headers.AcceptEncoding;
        if (header.Count == 0) return null;
        if (!StringWithQualityHeaderValue.TryParseList(header, out var list)) return null;
        double br = 0, gzip = 0, star = -1;
        foreach (var v in list)
        {
            var q = v.Quality ?? 1;
            if (v.Value.Equals("br", StringComparison.OrdinalIgnoreCase)) br = q;
            else if (v.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase)) gzip = q;
            else if (v.Value.Equals("*", StringComparison.Ordinal)) star = q;
        }
        if (star > 0) { if (br == 0 && !list.Any(v => v.Value.Equals("br", StringComparison.OrdinalIgnoreCase))) br = star; }
        if (br > 0 && br >= gzip) return "br";
        return gzip > 0 ? "gzip" : null;
    }

    /// <summary>Reusable write buffers (answers are a few KB; the largest are HSDS pages).</summary>
    private static class Buffers
    {
        private static readonly ConcurrentBag<ArrayBufferWriter<byte>> Pool = [];

        public static ArrayBufferWriter<byte> Rent() => Pool.TryTake(out var b) ? b : new ArrayBufferWriter<byte>(16 * 1024);

        public static void Return(ArrayBufferWriter<byte> b)
        {
            if (b.Capacity > 1024 * 1024 || Pool.Count > 64) return;
            b.ResetWrittenCount();
            Pool.Add(b);
        }
    }
}

/// <summary>An answer's bytes with its ETag, and its compressed variants made on first use.</summary>
public sealed class CachedAnswer(byte[] body, string contentType)
{
    private (byte[] Body, string ETag)? _br, _gzip;

    public byte[] Body { get; } = body;
    public string ContentType { get; } = contentType;
    public string ETag { get; } = ETagOf(body);
    public int Size => Body.Length + (_br?.Body.Length ?? 0) + (_gzip?.Body.Length ?? 0);

    public static string ETagOf(ReadOnlySpan<byte> body) => "\"" + Convert.ToHexStringLower(XxHash128.Hash(body)) + "\"";

    public (ReadOnlyMemory<byte>, string) Compressed(string encoding)
    {
        if (encoding == "br") return _br ??= Make(encoding);
        return _gzip ??= Make(encoding);
    }

    private (byte[], string) Make(string encoding)
    {
        var (b, e) = Compress(Body, encoding, ETag);
        return (b.ToArray(), e);
    }

    public static (ReadOnlyMemory<byte> Body, string ETag) Compress(ReadOnlySpan<byte> body, string encoding, string etag)
    {
        var tag = etag[..^1] + "-" + encoding + "\"";
        if (encoding == "br")
        {
            var dest = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
            if (!BrotliEncoder.TryCompress(body, dest, out var written, quality: 4, window: 22)) throw new InvalidOperationException("Brotli could not compress the answer.");
            return (dest.AsMemory(0, written), tag);
        }
        using var ms = new MemoryStream(body.Length / 3 + 64);
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(body);
        return (ms.GetBuffer().AsMemory(0, (int)ms.Length), tag);
    }
}

/// <summary>
/// Whole public answers kept for repeated requests, bounded in memory: two generations (a new one starts when the
/// current one reaches half the budget, and the older is dropped), so what is asked for often stays and the rest ages
/// out. Keys include the index snapshot's version and the minute, so a write or the clock makes a fresh answer.
/// </summary>
public sealed class AnswerCache(IOptions<AnswerOptions> options)
{
    private readonly long _half = Math.Max(1, options.Value.CacheMegabytes) * 1024L * 1024 / 2;
    private readonly bool _enabled = options.Value.CacheMegabytes > 0;
    private volatile Generation _current = new();
    private volatile Generation _previous = new();
    private readonly object _gate = new();

    private sealed class Generation
    {
        public readonly ConcurrentDictionary<string, CachedAnswer> Items = new(StringComparer.Ordinal);
        public long Bytes;
    }

    public CachedAnswer? Get(string key)
    {
        if (!_enabled) return null;
        if (_current.Items.TryGetValue(key, out var a)) return a;
        if (_previous.Items.TryGetValue(key, out a)) { Add(key, a); return a; }
        return null;
    }

    public CachedAnswer Add(string key, CachedAnswer answer)
    {
        if (!_enabled) return answer;
        var g = _current;
        if (g.Items.TryAdd(key, answer) && Interlocked.Add(ref g.Bytes, answer.Size + key.Length * 2 + 64) > _half)
        {
            lock (_gate)
            {
                if (ReferenceEquals(g, _current)) { _previous = g; _current = new Generation(); }
            }
        }
        return answer;
    }
}
