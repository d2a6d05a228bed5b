using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// Requests Kestrel cannot parse (a NUL or control character in the path, a malformed request line or header, a
/// request line or header block beyond Kestrel's own limits) are refused by the server before any application code
/// runs, with an empty body and none of the application's headers (dotnet/aspnetcore#4726). This connection
/// middleware turns exactly those answers into RFC 9457 problems that say which part of the request was refused,
/// carrying the security headers every answer carries (<see cref="SecurityHeaders.ForApi"/>). It recognises them by their shape: an HTTP/1.1 4xx or 505
/// header block in one write, with <c>Content-Length: 0</c>, <c>Connection: close</c> and no
/// <c>X-Content-Type-Options</c> (which <see cref="SecurityHeaders"/> puts on every answer the application makes).
/// Every other write passes straight through: the check is a prefix comparison.
/// </summary>
public static class ProtocolRejections
{
    static readonly byte[] Status4xx = "HTTP/1.1 4"u8.ToArray();
    static readonly byte[] Status505 = "HTTP/1.1 505"u8.ToArray();
    static readonly byte[] EndOfHeaders = "\r\n\r\n"u8.ToArray();

    /// <summary>Adds the rewriting to every endpoint Kestrel listens on (configuration, URLs and code alike).</summary>
    public static void AnswerProtocolRejectionsWithProblems(this KestrelServerOptions kestrel) =>
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
        {
            connection.Transport = new RewritingTransport(connection.Transport);
            return next(connection);
        }));

    /// <summary>
    /// The problem answer that replaces Kestrel's empty rejection <paramref name="header"/> (its status line and
    /// headers), or null when the bytes are not such a rejection.
    /// </summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> header)
    {
        if (!(header.StartsWith(Status4xx) || header.StartsWith(Status505))) return null;
        var end = header.IndexOf(EndOfHeaders);
        if (end < 0 || end + EndOfHeaders.Length != header.Length) return null;
        var lines = Encoding.ASCII.GetString(header[..end]).Split("\r\n");
        if (lines[0].Length < 12 || !int.TryParse(lines[0].AsSpan(9, 3), out var status)) return null;
        bool emptyBody = false, closes = false;
        string? date = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return null;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) emptyBody = value == "0";
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) closes = value.Equals("close", StringComparison.OrdinalIgnoreCase);
            else if (name.Equals("Date", StringComparison.OrdinalIgnoreCase)) date = value;
            // Anything the application answered (content type, security headers, transfer coding) is left alone.
            else if (!name.Equals("Server", StringComparison.OrdinalIgnoreCase)) return null;
        }
        if (!emptyBody || !closes) return null;

        var (title, part, detail) = Explain(status);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = TypeFor(status),
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["errors"] = new Dictionary<string, string[]> { [part] = [detail] },
        });
        var response = new StringBuilder()
            .Append(lines[0]).Append("\r\n")
            .Append("Content-Type: application/problem+json\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n")
            .Append("Connection: close\r\n");
        if (date is not null) response.Append("Date: ").Append(date).Append("\r\n");
        response.Append("Cache-Control: no-store\r\n");
        foreach (var (name, value) in SecurityHeaders.ForApi) response.Append(name).Append(": ").Append(value).Append("\r\n");
        response.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(response.ToString()), .. body];
    }

    static (string Title, string Part, string Detail) Explain(int status) => status switch
    {
        414 => ("The request line is too long.", "requestLine",
            $"Keep the request line under {RequestSizeRules.KestrelRequestLineLimit / 1024} KB; the path and query under {RequestSizeRules.MaxTargetBytes / 1024} KB."),
        431 => ("The request headers are too large.", "headers",
            $"Keep the request headers under {RequestSizeRules.MaxHeaderBytes / 1024} KB."),
        413 => ("The request body is too large.", "body", "Send a smaller body: 1 MB at most, 64 MB for imports."),
        408 => ("The request took too long to arrive.", "body", "Send the request body without long pauses."),
        505 => ("This HTTP version is not supported.", "requestLine", "Send HTTP/1.1 or HTTP/2."),
        _ => ("The request could not be read.", "request",
            "The request line or a header is malformed (for example a NUL in the path, a header without a colon, or a Content-Length that is not a number). Percent-encode the path and query and send a well-formed HTTP request."),
    };

    /// <summary>The same problem types ASP.NET Core gives these statuses.</summary>
    static string TypeFor(int status) => status switch
    {
        408 => "https://tools.ietf.org/html/rfc9110#section-15.5.9",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        414 => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        431 => "https://tools.ietf.org/html/rfc6585#section-5",
        505 => "https://tools.ietf.org/html/rfc9110#section-15.6.6",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    };

    sealed class RewritingTransport(IDuplexPipe inner) : IDuplexPipe
    {
        public PipeReader Input { get; } = inner.Input;
        public PipeWriter Output { get; } = new RewritingWriter(inner.Output);
    }

    /// <summary>Forwards every call to the transport's writer, looking at each committed write for a rejection.</summary>
    sealed class RewritingWriter(PipeWriter inner) : PipeWriter
    {
        Memory<byte> _lastMemory;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _lastMemory = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => (_lastMemory = inner.GetMemory(sizeHint)).Span;

        public override void Advance(int bytes)
        {
            // Rewrite starts with the status-line prefix check, so every other write costs one comparison.
            if (bytes <= _lastMemory.Length && Rewrite(_lastMemory.Span[..bytes]) is { } problem)
            {
                inner.Write(problem);
                return;
            }
            inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;
    }
}
