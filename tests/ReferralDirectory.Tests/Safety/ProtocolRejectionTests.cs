using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Safety;

/// <summary>
/// Requests the server cannot parse never reach the application; these tests send them as raw bytes over a real socket
/// and check that the answer is still an RFC 9457 problem naming the refused part, with the usual security headers.
/// </summary>
public sealed class ProtocolRejectionTests
{
    private DirectoryApp _app = null!;
    private Uri _base = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new DirectoryApp();
        using var client = _app.Client();
        _base = client.BaseAddress!;
    }

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    private sealed record RawAnswer(int Status, Dictionary<string, string> Headers, string Body);

    private async Task<List<RawAnswer>> SendRaw(byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_base.Host, _base.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        // Every request ends the connection (a rejection closes it; the last good request says Connection: close), so
        // the whole conversation is read until the server closes. (A half-closed socket would be dropped unanswered.)
        using var all = new MemoryStream();
        await stream.CopyToAsync(all).WaitAsync(TimeSpan.FromSeconds(30));
        var bytes = all.ToArray();
        var answers = new List<RawAnswer>();
        var at = 0;
        while (at < bytes.Length)
        {
            var end = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8);
            Assert.That(end, Is.GreaterThan(0), "a complete header block");
            var lines = Encoding.ASCII.GetString(bytes, at, end).Split("\r\n");
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            at += end + 4;
            var body = new MemoryStream();
            if (headers.TryGetValue("Transfer-Encoding", out var coding) && coding == "chunked")
            {
                while (true)
                {
                    var lineEnd = bytes.AsSpan(at).IndexOf("\r\n"u8);
                    var size = Convert.ToInt32(Encoding.ASCII.GetString(bytes, at, lineEnd).Split(';')[0], 16);
                    at += lineEnd + 2;
                    body.Write(bytes, at, size);
                    at += size + 2;
                    if (size == 0) break;
                }
            }
            else
            {
                var length = headers.TryGetValue("Content-Length", out var l) ? int.Parse(l) : 0;
                body.Write(bytes, at, length);
                at += length;
            }
            answers.Add(new RawAnswer(int.Parse(lines[0].Split(' ')[1]), headers, Encoding.UTF8.GetString(body.ToArray())));
        }
        return answers;
    }

    private static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    private static IEnumerable<TestCaseData> Unparseable()
    {
        yield return new TestCaseData(Ascii("GET /v1/resources/\0abc HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400, "request", "The request could not be read.")
            .SetName("A NUL in the path");
        yield return new TestCaseData(Ascii("GET /v1/hotlines HTTP/1.1\r\nHost: localhost\r\nNo colon in this header\r\n\r\n"), 400, "request", "The request could not be read.")
            .SetName("A header line without a colon");
        yield return new TestCaseData(Ascii("POST /v1/admin/imports HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n"), 400, "request", "The request could not be read.")
            .SetName("A Content-Length that is not a number");
        yield return new TestCaseData(Ascii("GET /v1/hotlines HTTP/1.1\r\nHost: localhost\r\nX-Big: " + new string('a', 130 * 1024) + "\r\n\r\n"), 431, "headers", "The request headers are too large.")
            .SetName("Headers beyond the server's own limit");
        yield return new TestCaseData(Ascii("GET /v1/resources?q=" + new string('a', 70 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414, "requestLine", "The request line is too long.")
            .SetName("A request line beyond the server's own limit");
        yield return new TestCaseData(Ascii("GET /v1/hotlines HTTP/7.0\r\nHost: localhost\r\n\r\n"), 505, "requestLine", "This HTTP version is not supported.")
            .SetName("An unknown HTTP version");
    }

    [TestCaseSource(nameof(Unparseable))]
    public async Task A_request_the_server_cannot_parse_gets_a_problem_naming_the_part(byte[] request, int status, string part, string title)
    {
        var answers = await SendRaw(request);
        Assert.That(answers, Has.Count.EqualTo(1));
        var answer = answers[0];
        Assert.That(answer.Status, Is.EqualTo(status));
        Assert.That(answer.Headers["Content-Type"], Is.EqualTo("application/problem+json"));
        Assert.That(answer.Headers["Connection"], Is.EqualTo("close"));
        Assert.That(answer.Headers["X-Content-Type-Options"], Is.EqualTo("nosniff"));
        Assert.That(answer.Headers["Referrer-Policy"], Is.EqualTo("no-referrer"));
        Assert.That(answer.Headers["Content-Security-Policy"], Is.EqualTo("default-src 'none'; frame-ancestors 'none'"));
        Assert.That(answer.Headers["Cache-Control"], Is.EqualTo("no-store"));
        Assert.That(answer.Headers["Permissions-Policy"], Is.EqualTo("geolocation=(), camera=(), microphone=()"));
        Assert.That(answer.Headers.ContainsKey("Server"), Is.False);
        using var problem = JsonDocument.Parse(answer.Body);
        var root = problem.RootElement;
        Assert.That(root.GetProperty("status").GetInt32(), Is.EqualTo(status));
        Assert.That(root.GetProperty("title").GetString(), Is.EqualTo(title));
        Assert.That(root.GetProperty("type").GetString(), Does.StartWith("https://tools.ietf.org/html/rfc"));
        Assert.That(root.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { part }));
        Assert.That(root.GetProperty("detail").GetString(), Is.Not.Empty);
        Assert.That(answer.Body, Does.Not.Contain("abc").And.Not.Contain("aaaa"), "the refused request is not echoed");
    }

    [Test]
    public async Task Well_formed_requests_on_the_same_connection_are_answered_by_the_application_unchanged()
    {
        var answers = await SendRaw(Ascii(
            "GET /v1/resources/nearest?lat=abc&lon=-92.3 HTTP/1.1\r\nHost: localhost\r\n\r\n" +
            "GET /v1/resources/does-not-exist HTTP/1.1\r\nHost: localhost\r\n\r\n" +
            "GET /v1/hotlines?lat=38.58&lon=-92.17 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        Assert.That(answers.Select(a => a.Status), Is.EqualTo(new[] { 400, 404, 200 }));
        using var invalid = JsonDocument.Parse(answers[0].Body);
        Assert.That(invalid.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "lat" }));
        Assert.That(invalid.RootElement.TryGetProperty("traceId", out _), Is.True, "the application's own problem, untouched");
        Assert.That(answers[2].Headers["Content-Type"], Does.StartWith("application/json"));
        Assert.That(answers[2].Body, Does.Contain("1-888-373-7888"));
    }
}
