using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Exchange;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Listings;
using ReferralDirectory.Places;

namespace ReferralDirectory.Api.Admin;

public sealed record ImportProblemResponse(long Line, string? Column, string Message);

/// <summary>The outcome of an import. <c>written</c> is false for a dry run and whenever there were problems.</summary>
public sealed record ImportResponse(bool DryRun, bool Written, long Rows, int Created, int Updated, int Unchanged, int ProblemCount,
    IReadOnlyList<ImportProblemResponse> Problems, int WarningCount, IReadOnlyList<ImportProblemResponse> Warnings);

/// <summary>A feed check: documents read, how many of each HSDS type, and every problem against the official schemas
/// (<c>line</c>: the NDJSON line or the document's place in a JSON array; <c>column</c>: the JSON path).</summary>
public sealed record HsdsValidationResponse(bool Valid, long Documents, IReadOnlyDictionary<string, int> Types, int ProblemCount, IReadOnlyList<ImportProblemResponse> Problems);

/// <summary>
/// Bulk imports for admins and editors: a CSV file (columns in the README, template <c>docs/import-template.csv</c>,
/// also served here) or HSDS 3.0 JSON documents. <c>dryRun=true</c> reports every problem (line, column, message)
/// and writes nothing; a real run writes nothing either if any row has a problem, otherwise upserts by external id
/// (running it twice changes nothing) with an audit entry per listing written, in the caller's name.
/// </summary>
public static class AdminImportEndpoints
{
    public const long MaxUploadBytes = 64L * 1024 * 1024;

    public static IEndpointRouteBuilder MapAdminImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/import").WithTags("Admin: import").RequireAuthorization(Policies.Edit).AddEndpointFilter<NoStoreFilter>();

        group.MapPost("/csv", ImportCsv).WithName("AdminImportCsv")
            .WithSummary("Import listings from a CSV file (text/csv body); dryRun=true to only report problems")
            .Accepts<string>("text/csv").WithMetadata(new UploadLimit())
            .Produces<ImportResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/hsds", ImportHsds).WithName("AdminImportHsds")
            .WithSummary("Import Open Referral HSDS 3.0 organization or service documents (application/json: one, an array or a page; application/x-ndjson: one per line)")
            .Accepts<string>("application/json", "application/x-ndjson").WithMetadata(new UploadLimit())
            .Produces<ImportResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/hsds/validate", ValidateHsds).WithName("AdminValidateHsds")
            .WithSummary("Check HSDS 3.0 documents of any type against the official schemas (every problem with its JSON path); writes nothing")
            .Accepts<string>("application/json", "application/x-ndjson").WithMetadata(new UploadLimit())
            .Produces<HsdsValidationResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/csv/template", () => Results.Text(CsvListingColumns.Header + "\n", "text/csv", Encoding.UTF8))
            .WithName("AdminImportCsvTemplate").WithSummary("The CSV template: the header line with every column")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        return app;
    }

    private sealed class UploadLimit : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => MaxUploadBytes;
    }

    private static bool DryRun(HttpRequest request, out IResult? error)
    {
        var r = new QueryReader(request.Query);
        var dry = r.Bool("dryRun");
        error = r.Errors.Count > 0 ? TypedResults.ValidationProblem(r.Errors) : null;
        return dry;
    }

    /// <summary>The importers read a file twice (validate, then write): keep the upload in a temp file.</summary>
    private static async Task<string> SaveUploadAsync(HttpRequest request, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), "rd-import-" + Guid.NewGuid().ToString("N"));
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await request.Body.CopyToAsync(file, ct);
        return path;
    }

    private static async Task<IResult> ImportCsv(HttpContext http, DirectoryService directory, Gazetteer gazetteer, DirectoryMetrics metrics, CancellationToken ct)
    {
        var dryRun = DryRun(http.Request, out var error);
        if (error is not null) return error;
        if (http.Request.ContentType?.Split(';')[0].Trim() is not ("text/csv" or "text/plain"))
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Send the CSV file as the body.", "Use Content-Type: text/csv.");
        var path = await SaveUploadAsync(http.Request, ct);
        try
        {
            if (await NotUtf8(path, ct) is { } bad) return bad;
            var importer = new CsvImporter(directory, gazetteer) { Actor = http.User.ToActor() };
            var report = await importer.ImportAsync(() => new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true), dryRun, null, ct);
            metrics.RecordImport("csv", report);
            return Answer(report, [], 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<IResult> ImportHsds(HttpContext http, DirectoryService directory, DirectoryMetrics metrics, CancellationToken ct)
    {
        var dryRun = DryRun(http.Request, out var error);
        if (error is not null) return error;
        var media = http.Request.ContentType?.Split(';')[0].Trim();
        if (media is not ("application/json" or "application/x-ndjson"))
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Send HSDS documents as the body.", "Use Content-Type: application/json or application/x-ndjson.");
        var path = await SaveUploadAsync(http.Request, ct);
        try
        {
            // A file that does not say one thing (a field given twice, text that is no text) is a bad request, before any import.
            if ((await NotUtf8(path, ct) ?? await MalformedJson(path, ndjson: media == "application/x-ndjson", ct)) is { } bad) return bad;
            var importer = new HsdsFileImporter(directory) { Actor = http.User.ToActor() };
            var report = await importer.ImportAsync(() => new StreamReader(path, Encoding.UTF8), ndjson: media == "application/x-ndjson", dryRun, ct);
            metrics.RecordImport("hsds", report.Import);
            return Answer(report.Import, report.Warnings, report.WarningCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<IResult> ValidateHsds(HttpContext http, CancellationToken ct)
    {
        var media = http.Request.ContentType?.Split(';')[0].Trim();
        if (media is not ("application/json" or "application/x-ndjson"))
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Send HSDS documents as the body.", "Use Content-Type: application/json or application/x-ndjson.");
        var path = await SaveUploadAsync(http.Request, ct);
        try
        {
            if (await NotUtf8(path, ct) is { } bad) return bad;
            var report = new HsdsFeedValidator().Validate(() => new StreamReader(path, Encoding.UTF8), ndjson: media == "application/x-ndjson", ct);
            return TypedResults.Ok(new HsdsValidationResponse(report.Valid, report.Documents, report.Types, report.ProblemCount,
                [.. report.Problems.Select(p => new ImportProblemResponse(p.Line, p.Column, p.Message))]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Text that is not UTF-8 would be read with replacement characters, quietly changing names and numbers: a 400.</summary>
    private static async Task<IResult?> NotUtf8(string path, CancellationToken ct)
    {
        var bytes = await File.ReadAllBytesAsync(path, ct);
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return null;
        // Where the first invalid sequence starts: decode in chunks until the decoder stops on it.
        var chars = new char[64 * 1024];
        var at = 0;
        while (at < bytes.Length)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes.AsSpan(at, Math.Min(32 * 1024, bytes.Length - at)), chars, out var read, out _, replaceInvalidSequences: false, isFinalBlock: at + 32 * 1024 >= bytes.Length);
            at += read;
            if (status == System.Buffers.OperationStatus.InvalidData) break;
            if (read == 0) break;
        }
        var line = 1 + bytes.AsSpan(0, at).Count((byte)'\n');
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = [$"Line {line}: the file is not UTF-8 text. Save it as UTF-8 and upload it again."] },
            title: "The file is not UTF-8 text; nothing was read from it.");
    }

    private static async Task<IResult?> MalformedJson(string path, bool ndjson, CancellationToken ct)
    {
        if (!ndjson)
        {
            var bytes = await File.ReadAllBytesAsync(path, ct);
            return StrictJson.Check(bytes) is { } v ? Bad(v.Path, v.Message, null) : null;
        }
        long line = 0;
        foreach (var text in File.ReadLines(path, Encoding.UTF8))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (StrictJson.Check(Encoding.UTF8.GetBytes(text)) is { } v) return Bad(v.Path, v.Message, line);
        }
        return null;

        static IResult Bad(string jsonPath, string message, long? line) => TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [Problems.FieldOf(jsonPath)] = [line is { } l ? $"Line {l}: {message}" : message] },
            title: "The file has invalid fields; nothing was read from it.");
    }

    private static IResult Answer(ImportReport r, IReadOnlyList<ImportProblem> warnings, int warningCount)
    {
        var response = new ImportResponse(r.DryRun, !r.DryRun && r.ProblemCount == 0, r.Rows, r.Created, r.Updated, r.Unchanged, r.ProblemCount,
            [.. r.Problems.Select(p => new ImportProblemResponse(p.Line, p.Column, p.Message))], warningCount,
            [.. warnings.Select(p => new ImportProblemResponse(p.Line, p.Column, p.Message))]);
        if (r.DryRun || r.ProblemCount == 0) return TypedResults.Ok(response);
        // Problems in a real run: nothing was written; a problem detail (RFC 9457) says why, row by row.
        return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The file has problems; nothing was written.",
            Detail = $"{r.ProblemCount} problem(s) in {r.Rows} row(s). Fix them (a dry run lists them all) and import the file again.",
            Extensions =
            {
                ["dryRun"] = false, ["written"] = false, ["rows"] = r.Rows, ["problemCount"] = r.ProblemCount,
                ["problems"] = response.Problems, ["warningCount"] = warningCount, ["warnings"] = response.Warnings,
            },
        });
    }
}
