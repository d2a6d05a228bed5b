using System.ComponentModel;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Exchange;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Listings;
using ReferralDirectory.Places;
using ReferralDirectory.Search;

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
    public const long MaxUploadBytes = ImportFiles.MaxUploadBytes;

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
        app.MapGet("/v1/admin/export", Export).WithTags("Admin: export").RequireAuthorization(Policies.Edit).AddEndpointFilter<NoStoreFilter>()
            .WithName("AdminExport")
            .WithSummary("Export the live listings, or those with a location in a state and/or of a kind: CSV in the import's columns (what editors see, confidential addresses included) or HSDS 3.0 organization documents as NDJSON (the public view)")
            .Produces<string>(StatusCodes.Status200OK, "text/csv", "application/x-ndjson").ProducesValidationProblem();
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

    private static async Task<IResult> ImportCsv(HttpContext http, DirectoryService directory, Gazetteer gazetteer, DirectoryMetrics metrics, CancellationToken ct)
    {
        var dryRun = DryRun(http.Request, out var error);
        if (error is not null) return error;
        if (http.Request.ContentType?.Split(';')[0].Trim() is not ("text/csv" or "text/plain"))
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Send the CSV file as the body.", "Use Content-Type: text/csv.");
        return await ImportAsync(http, directory, gazetteer, metrics, ImportFormat.Csv, dryRun, ct);
    }

    private static async Task<IResult> ImportHsds(HttpContext http, DirectoryService directory, Gazetteer gazetteer, DirectoryMetrics metrics, CancellationToken ct)
    {
        var dryRun = DryRun(http.Request, out var error);
        if (error is not null) return error;
        var media = http.Request.ContentType?.Split(';')[0].Trim();
        if (media is not ("application/json" or "application/x-ndjson"))
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Send HSDS documents as the body.", "Use Content-Type: application/json or application/x-ndjson.");
        return await ImportAsync(http, directory, gazetteer, metrics, media == "application/x-ndjson" ? ImportFormat.HsdsNdjson : ImportFormat.HsdsJson, dryRun, ct);
    }

    private static async Task<IResult> ImportAsync(HttpContext http, DirectoryService directory, Gazetteer gazetteer, DirectoryMetrics metrics, ImportFormat format, bool dryRun, CancellationToken ct)
    {
        var path = await ImportFiles.SaveAsync(http.Request.Body, ct);
        try
        {
            // A file that does not say one thing (a field given twice, text that is no text) is a bad request, before any import.
            if (await ImportFiles.CheckReadableAsync(path, format, ct) is { } bad) return Unreadable(bad);
            var outcome = await ImportFiles.RunAsync(directory, gazetteer, metrics, http.User.ToActor(), path, format, dryRun, ct: ct);
            return Answer(outcome.Report, outcome.Warnings, outcome.WarningCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<IResult> Export(HttpContext http, DirectoryService directory, DirectoryIndex index, ListingReader reader,
        [FromQuery, Description("csv (default): the import's columns; hsds: HSDS 3.0 organization documents with their services, one a line")] string? format,
        [FromQuery, Description("Only listings with a location in this state (two-letter code such as MO)")] string? state,
        [FromQuery, Description("Only listings of this kind: victim-service-agency, coalition, funding-source, hotline, training-resource or government")] string? kind)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var request = ListingExport.Parse(format, state, kind, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var listings = ListingExport.Select(index, request);
        await ListingExport.AuditAsync(directory, http.User.ToActor(), request, listings.Count, http.RequestAborted);
        return ListingExport.Download(request, listings, reader);
    }

    private static async Task<IResult> ValidateHsds(HttpContext http, CancellationToken ct)
    {
        var media = http.Request.ContentType?.Split(';')[0].Trim();
        if (media is not ("application/json" or "application/x-ndjson"))
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Send HSDS documents as the body.", "Use Content-Type: application/json or application/x-ndjson.");
        var path = await ImportFiles.SaveAsync(http.Request.Body, ct);
        try
        {
            if (await ImportFiles.NotUtf8Async(path, ct) is { } bad) return Unreadable(bad);
            var report = new HsdsFeedValidator().Validate(() => new StreamReader(path, Encoding.UTF8), ndjson: media == "application/x-ndjson", ct);
            return TypedResults.Ok(new HsdsValidationResponse(report.Valid, report.Documents, report.Types, report.ProblemCount,
                [.. report.Problems.Select(p => new ImportProblemResponse(p.Line, p.Column, p.Message))]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A 400 for a file that cannot be read (<see cref="ImportFiles.CheckReadableAsync"/>).</summary>
    private static ValidationProblem Unreadable(UnreadableFile bad) => bad.NotUtf8
        ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = [$"Line {bad.Line}: the file is not UTF-8 text. Save it as UTF-8 and upload it again."] },
            title: "The file is not UTF-8 text; nothing was read from it.")
        : TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [Problems.FieldOf(bad.JsonPath!)] = [bad.Line is { } l ? $"Line {l}: {bad.Message}" : bad.Message!] },
            title: "The file has invalid fields; nothing was read from it.");

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
