using System.Text.Json;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Exchange.Hsds;

namespace ReferralDirectory.Api.Hsds;

/// <summary>
/// HSDS <c>format=ndjson</c>: every result of a list, one JSON document a line (<c>application/x-ndjson</c>), without
/// a page wrapper, streamed: the rows are turned into documents a batch at a time (the batch's listings read from the
/// store together) and each batch is flushed, so memory does not grow with the directory. Public, like every /hsds
/// answer (<c>Cache-Control: public, max-age=60</c>); not kept in the answer cache (it has no size bound). HEAD answers the
/// headers only.
/// </summary>
public sealed class HsdsNdjson<TRow>(IReadOnlyList<TRow> rows, Func<IReadOnlyList<TRow>, CancellationToken, Task<IEnumerable<object>>> documents) : IResult
{
    public const string ContentType = "application/x-ndjson";
    private const int BatchSize = 100;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "public, max-age=60";
        PublicAnswer.MergeVary(response.Headers, "Accept, Accept-Encoding");
        if (HttpMethods.IsHead(httpContext.Request.Method)) return;
        var ct = httpContext.RequestAborted;
        var newline = "\n"u8.ToArray();
        for (var start = 0; start < rows.Count; start += BatchSize)
        {
            var batch = new List<TRow>(Math.Min(BatchSize, rows.Count - start));
            for (var i = start; i < rows.Count && batch.Count < BatchSize; i++) batch.Add(rows[i]);
            foreach (var doc in await documents(batch, ct))
            {
                await JsonSerializer.SerializeAsync(response.Body, doc, doc.GetType(), HsdsJson.Options, ct);
                await response.Body.WriteAsync(newline, ct);
            }
            await response.Body.FlushAsync(ct);
        }
    }
}

/// <summary>Endpoint metadata: the list also answers <c>format=ndjson</c>, one <see cref="ItemType"/> a line (documented in OpenAPI).</summary>
public sealed record HsdsNdjsonOutput(Type ItemType);
