using System.Text;
using System.Text.Json;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Admin;

/// <summary>What to export: every live listing, or those with a location in <see cref="State"/> and/or of <see cref="Kind"/>.</summary>
public sealed record ExportRequest(string Format, string? State, string? Kind)
{
    public const string Csv = "csv";
    public const string Hsds = "hsds";
}

/// <summary>
/// The directory exported for editors, by the API (<c>GET /v1/admin/export</c>) and the staff imports page alike: live
/// listings in id order, all or a filter (a location in a state, a kind), as
/// <list type="bullet">
/// <item><b>CSV</b>, the bulk import's columns (<see cref="CsvListingWriter"/>: first location, first phone, the formula
/// escape), so an exported file imports back to the same listings: it holds what editors see, confidential locations'
/// addresses and points included;</item>
/// <item><b>HSDS</b> 3.0 organization documents with their services, one a line (NDJSON, what the HSDS import reads),
/// as the public HSDS API shows them: confidential locations by their county only.</item>
/// </list>
/// Written a batch at a time (the full listings read from the store), never cached (<c>no-store</c>), as a download.
/// </summary>
public static class ListingExport
{
    private const int BatchSize = 200;

    /// <summary>Reads and checks the request's parameters (<c>format</c>, <c>state</c>, <c>kind</c>); errors by parameter name.</summary>
    public static ExportRequest Parse(string? format, string? state, string? kind, Dictionary<string, string[]> errors)
    {
        format = string.IsNullOrWhiteSpace(format) ? ExportRequest.Csv : format.Trim().ToLowerInvariant();
        if (format is not (ExportRequest.Csv or ExportRequest.Hsds)) errors["format"] = ["Must be csv or hsds."];
        state = string.IsNullOrWhiteSpace(state) ? null : state.Trim().ToUpperInvariant();
        if (state is not null && !FieldRules.IsStateCode(state)) errors["state"] = [FieldRules.StateHint];
        kind = string.IsNullOrWhiteSpace(kind) ? null : kind.Trim().ToLowerInvariant();
        if (kind is not null && !ListingKinds.All.Any(k => k.Code == kind))
            errors["kind"] = [$"Must be one of {string.Join(", ", ListingKinds.All.Select(k => k.Code))}."];
        return new ExportRequest(format, state, kind);
    }

    /// <summary>The listings exported, in id order.</summary>
    public static List<IndexedListing> Select(DirectoryIndex index, ExportRequest request) =>
        [.. index.Current.AllListings()
            .Where(l => (request.State is null || l.LocationStates.Contains(request.State)) && (request.Kind is null || l.Kind == request.Kind))
            .OrderBy(l => l.Id, StringComparer.Ordinal)];

    /// <summary>The download's file name: <c>listings[-MO][-hotline].csv</c> or <c>.ndjson</c>.</summary>
    public static string FileName(ExportRequest request) =>
        "listings" + (request.State is { } s ? "-" + s : "") + (request.Kind is { } k ? "-" + k : "") + (request.Format == ExportRequest.Csv ? ".csv" : ".ndjson");

    public static string ContentType(ExportRequest request) => request.Format == ExportRequest.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson";

    /// <summary>One audit entry per export (action <c>export</c>): who took which listings, and how many.</summary>
    public static Task AuditAsync(DirectoryService directory, Actor actor, ExportRequest request, int count, CancellationToken ct) =>
        directory.Store.AppendAuditAsync(directory.Audit(actor, "export", null,
            [new("format", null, JsonSerializer.Serialize(request.Format)), new("state", null, JsonSerializer.Serialize(request.State)),
             new("kind", null, JsonSerializer.Serialize(request.Kind)), new("listings", null, count.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            $"{count} listings exported as {(request.Format == ExportRequest.Csv ? "CSV" : "HSDS")} ({FileName(request)})."), ct);

    /// <summary>The export as a download.</summary>
    public static IResult Download(ExportRequest request, IReadOnlyList<IndexedListing> listings, ListingReader reader) => new DownloadResult(request, listings, reader);

    private sealed class DownloadResult(ExportRequest request, IReadOnlyList<IndexedListing> listings, ListingReader reader) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            var ct = httpContext.RequestAborted;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType(request);
            response.Headers.CacheControl = "no-store";
            response.Headers.ContentDisposition = $"attachment; filename=\"{FileName(request)}\"";
            if (request.Format == ExportRequest.Csv)
            {
                await WriteAsync(response.Body, CsvListingColumns.Header + "\r\n", ct);
            }
            for (var start = 0; start < listings.Count; start += BatchSize)
            {
                var batch = await reader.GetManyAsync(listings.Skip(start).Take(BatchSize), ct);
                var text = new StringBuilder();
                if (request.Format == ExportRequest.Csv)
                {
                    using var sw = new StringWriter(text);
                    using (var csv = new CsvListingWriter(sw))
                    {
                        foreach (var (_, l) in batch) csv.WriteRow(l);
                    }
                }
                else
                {
                    foreach (var (_, l) in batch) text.Append(JsonSerializer.Serialize(HsdsMapper.Organization(l, withServices: true), HsdsJson.Options)).Append('\n');
                }
                await WriteAsync(response.Body, text.ToString(), ct);
            }
        }

        private static async Task WriteAsync(Stream body, string text, CancellationToken ct)
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            await body.FlushAsync(ct);
        }
    }
}
