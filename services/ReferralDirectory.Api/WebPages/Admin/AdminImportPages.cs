using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Metadata;
using ReferralDirectory.Api.Admin;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Api.WebPages.Staff;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Listings;
using ReferralDirectory.Places;
using ReferralDirectory.Search;
using static ReferralDirectory.Api.WebPages.Staff.StaffLayout;

namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>
/// Imports and exports in the browser, for editors and admins (<c>/staff/admin/imports</c>, <see cref="AdminImports"/>):
/// upload a CSV or HSDS file (multipart, anti-forgery checked, at most <see cref="ImportFiles.MaxUploadBytes"/>);
/// "Check" runs the importer's dry run and lists every problem by line and column, writing nothing; "Import" starts a
/// background job (<see cref="ImportJobs"/>, one at a time per instance) whose page (<see cref="AdminImportJob"/>) shows
/// a progress bar that <c>/js/admin-import.js</c> keeps current from the job's JSON status (without the script, a
/// "Refresh progress" link), then the summary, which the job writes to the audit log. Exports download the directory or
/// a filter of it as CSV or HSDS (<see cref="ListingExport"/>, the same as <c>GET /v1/admin/export</c>). The import rules
/// are the API's (<see cref="ImportFiles"/>); the problems' messages are the importers' own (English).
/// </summary>
public static class AdminImportPages
{
    public const string Path = "/staff/admin/imports";

    /// <summary>What a multipart form adds to its file (boundaries, the other fields): the request limit is the file's plus this.</summary>
    private const long FormSlack = 1024 * 1024;

    public static IEndpointRouteBuilder MapAdminImportPages(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var jobs = new ImportJobs(services.GetRequiredService<DirectoryService>(), services.GetRequiredService<Gazetteer>(),
            services.GetRequiredService<DirectoryMetrics>(), services.GetRequiredService<ILogger<ImportJobs>>(),
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);

        app.MapGet(Path, async (HttpContext http) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, Path) is { } refused) return refused;
            return Form(http, L, new ImportsModel { Running = jobs.Running });
        }).ExcludeFromDescription();

        app.MapPost(Path, async (HttpContext http, IAntiforgery af, DirectoryService directory, Gazetteer gazetteer, DirectoryMetrics metrics) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, Path) is { } refused) return refused;
            var tooLarge = L.T($"The file is larger than {ImportFiles.MaxUploadBytes / (1024 * 1024)} MB. Split it into smaller files and upload each one.",
                $"El archivo tiene más de {ImportFiles.MaxUploadBytes / (1024 * 1024)} MB. Divídalo en archivos más pequeños y súbalos uno por uno.");
            if (http.Request.ContentLength > ImportFiles.MaxUploadBytes + FormSlack)
                return Form(http, L, new ImportsModel { Running = jobs.Running, Errors = { ["file"] = tooLarge } }, StatusCodes.Status413PayloadTooLarge);
            IFormCollection form;
            try
            {
                if (await RefuseForgeryAsync(http, af) is { } forged) return forged;
                form = await http.Request.ReadFormAsync(http.RequestAborted);
            }
            catch (Exception e) when (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or InvalidDataException)
            {
                return Form(http, L, new ImportsModel { Running = jobs.Running, Errors = { ["file"] = tooLarge } }, StatusCodes.Status413PayloadTooLarge);
            }
            L = StaffText.For(http, form);
            var model = new ImportsModel { Running = jobs.Running, Format = form["format"].ToString() };
            var format = model.Format switch { "csv" => ImportFormat.Csv, "hsds-json" => ImportFormat.HsdsJson, "hsds-ndjson" => ImportFormat.HsdsNdjson, _ => (ImportFormat?)null };
            if (format is null) model.Errors["format"] = L.T("Choose the file's format.", "Elija el formato del archivo.");
            var file = form.Files.GetFile("file");
            if (file is null || file.Length == 0) model.Errors["file"] = L.T("Choose a file to upload.", "Elija un archivo para subir.");
            else if (file.Length > ImportFiles.MaxUploadBytes) model.Errors["file"] = tooLarge;
            if (model.Errors.Count > 0)
                return Form(http, L, model, model.Errors.ContainsKey("file") && file is { Length: > 0 } ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);

            var fileName = ShownName(file!.FileName);
            var importing = form["action"] == "import";
            var path = await ImportFiles.SaveAsync(file.OpenReadStream(), http.RequestAborted);
            var keep = false;
            try
            {
                if (await ImportFiles.CheckReadableAsync(path, format!.Value, http.RequestAborted) is { } bad)
                {
                    model.Checked = new CheckResult(fileName, format.Value, 0, [Unreadable(bad, L)], 1, [], 0, Unreadable: true);
                    return Form(http, L, model, StatusCodes.Status400BadRequest);
                }
                if (!importing)
                {
                    var outcome = await ImportFiles.RunAsync(directory, gazetteer, metrics, http.User.ToActor(), path, format.Value, dryRun: true, ct: http.RequestAborted);
                    var r = outcome.Report;
                    model.Checked = new CheckResult(fileName, format.Value, r.Rows, r.Problems, r.ProblemCount, outcome.Warnings, outcome.WarningCount, Unreadable: false);
                    return Form(http, L, model);
                }
                if (jobs.Start(path, fileName, format.Value, http.User.ToActor()) is not { } job)
                {
                    model.Message = L.T("Another import is running. Wait for it to finish, then import this file.",
                        "Hay otra importación en curso. Espere a que termine y luego importe este archivo.");
                    return Form(http, L, model, StatusCodes.Status409Conflict);
                }
                keep = true; // the job deletes the file
                return Results.Redirect(Localized($"{Path}/{job.Id}", L), permanent: false, preserveMethod: false);
            }
            finally
            {
                if (!keep) File.Delete(path);
            }
        }).WithMetadata(new UploadLimit()).ExcludeFromDescription();

        app.MapGet(Path + "/template.csv", async (HttpContext http) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, Path) is { } refused) return refused;
            http.Response.Headers.CacheControl = CacheControl;
            http.Response.Headers.ContentDisposition = "attachment; filename=\"import-template.csv\"";
            return Results.Text(CsvListingColumns.Header + "\r\n", "text/csv; charset=utf-8");
        }).ExcludeFromDescription();

        app.MapGet(Path + "/export", async (HttpContext http, DirectoryService directory, DirectoryIndex index, ListingReader reader) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, Path) is { } refused) return refused;
            var q = http.Request.Query;
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var request = ListingExport.Parse(q["format"], q["state"], q["kind"], errors);
            if (errors.Count > 0)
            {
                var model = new ImportsModel { Running = jobs.Running, Export = request with { Format = q["format"].ToString() } };
                if (errors.ContainsKey("format")) model.Errors["export-format"] = L.T("Choose CSV or HSDS.", "Elija CSV o HSDS.");
                if (errors.ContainsKey("state")) model.Errors["export-state"] = L.T("Choose a state from the list.", "Elija un estado de la lista.");
                if (errors.ContainsKey("kind")) model.Errors["export-kind"] = L.T("Choose a kind from the list.", "Elija un tipo de la lista.");
                return Form(http, L, model, StatusCodes.Status400BadRequest);
            }
            var listings = ListingExport.Select(index, request);
            await ListingExport.AuditAsync(directory, http.User.ToActor(), request, listings.Count, http.RequestAborted);
            return ListingExport.Download(request, listings, reader);
        }).ExcludeFromDescription();

        app.MapGet(Path + "/{jobId}", async (HttpContext http, string jobId) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, $"{Path}/{jobId}") is { } refused) return refused;
            if (jobs.Get(jobId) is not { } job)
            {
                return Form(http, L, new ImportsModel
                {
                    Running = jobs.Running,
                    Message = L.T("That import is not known here: imports are kept until the service restarts. The audit log has every import's summary.",
                        "Esa importación no se conoce aquí: las importaciones se guardan hasta que el servicio se reinicia. El registro de auditoría tiene el resumen de cada importación."),
                }, StatusCodes.Status404NotFound);
            }
            return Page<AdminImportJob>(http, new Dictionary<string, object?> { ["L"] = L, ["User"] = http.User, ["Job"] = job });
        }).ExcludeFromDescription();

        app.MapGet(Path + "/{jobId}/status", async (HttpContext http, string jobId) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, $"{Path}/{jobId}") is { } refused) return refused;
            http.Response.Headers.CacheControl = CacheControl;
            if (jobs.Get(jobId) is not { } job) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such import.");
            var (value, max) = ProgressValues(job);
            return Results.Json(new ImportJobStatus(StateName(job.State), job.Over, job.Done, job.Total, value, max, ProgressText(job, L)));
        }).ExcludeFromDescription();
        return app;
    }

    private sealed class UploadLimit : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => ImportFiles.MaxUploadBytes + FormSlack;
    }

    private static IResult Form(HttpContext http, StaffText L, ImportsModel model, int status = StatusCodes.Status200OK) =>
        Page<AdminImports>(http, new Dictionary<string, object?> { ["L"] = L, ["User"] = http.User, ["Model"] = model }, status);

    /// <summary>The uploaded file's own name, without folders, at most 100 characters (shown on pages and in the audit log).</summary>
    private static string ShownName(string name)
    {
        var shown = System.IO.Path.GetFileName(name.Replace('\\', '/')).Trim();
        shown = new string([.. shown.Where(c => !char.IsControl(c))]);
        return shown.Length == 0 ? "upload" : shown.Length > 100 ? shown[..100] : shown;
    }

    private static Exchange.Csv.ImportProblem Unreadable(UnreadableFile bad, StaffText L) => bad.NotUtf8
        ? new(bad.Line ?? 1, null, L.T("The file is not UTF-8 text. Save it as UTF-8 and upload it again.", "El archivo no es texto UTF-8. Guárdelo como UTF-8 y vuelva a subirlo."))
        : new(bad.Line ?? 1, bad.JsonPath, bad.Message ?? "");

    public static string StateName(ImportJobState state) => state.ToString().ToLowerInvariant();

    /// <summary>The progress bar's value and maximum (null: not known yet, the bar is indeterminate).</summary>
    public static (long? Value, long? Max) ProgressValues(ImportJobView job) => job switch
    {
        { State: ImportJobState.Checking } => (null, null),
        { Total: 0 } => (1, 1),
        { Total: { } t } => (Math.Min(job.Done, t), t),
        _ => (null, null),
    };

    /// <summary>What the progress bar says in words ("120 of 300 rows").</summary>
    public static string ProgressText(ImportJobView job, StaffText L)
    {
        string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        return job.State switch
        {
            ImportJobState.Checking => L.T($"Checking the file: {N(job.Done)} rows read.", $"Revisando el archivo: {N(job.Done)} filas leídas."),
            ImportJobState.Refused => L.T("Nothing was written: the file has problems.", "No se escribió nada: el archivo tiene problemas."),
            _ => L.T($"{N(job.Done)} of {N(job.Total ?? job.Done)} rows", $"{N(job.Done)} de {N(job.Total ?? job.Done)} filas"),
        };
    }
}

/// <summary>The imports page's state: the form's values and messages, a check's result, and any running import.</summary>
public sealed class ImportsModel
{
    public string? Format { get; init; }
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    public CheckResult? Checked { get; set; }
    public string? Message { get; set; }
    public ImportJobView? Running { get; init; }
    public ExportRequest? Export { get; init; }
}

/// <summary>A dry run's result: the rows read and the problems (the first <see cref="CsvImporter.MaxProblemsListed"/>), nothing written.</summary>
public sealed record CheckResult(string FileName, ImportFormat Format, long Rows, IReadOnlyList<Exchange.Csv.ImportProblem> Problems, int ProblemCount,
    IReadOnlyList<Exchange.Csv.ImportProblem> Warnings, int WarningCount, bool Unreadable);

/// <summary>The JSON the job page's script polls.</summary>
public sealed record ImportJobStatus(string State, bool Over, long Done, long? Total, long? Value, long? Max, string Text);
