using System.Text;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Exchange;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Listings;
using ReferralDirectory.Places;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Admin;

/// <summary>The file formats an import reads: CSV (the bulk import columns), HSDS JSON (one document, an array or a page)
/// or HSDS NDJSON (one document a line).</summary>
public enum ImportFormat { Csv, HsdsJson, HsdsNdjson }

/// <summary>Why a file was refused before any of it was read as listings: text that is not UTF-8 (the line where it stops
/// being UTF-8), or JSON that does not say one thing (the line, when NDJSON, and the JSON path).</summary>
public sealed record UnreadableFile(bool NotUtf8, long? Line, string? JsonPath, string? Message);

/// <summary>What an import of a file found and did; warnings are HSDS parts not kept.</summary>
public sealed record ImportOutcome(ImportReport Report, IReadOnlyList<ImportProblem> Warnings, int WarningCount);

/// <summary>
/// How an uploaded file is imported, the same for the API (<see cref="AdminImportEndpoints"/>) and the staff imports page
/// and its background jobs (<see cref="ImportJobs"/>): the upload kept in a temp file (the importers read a file twice,
/// to validate and then to write), refused when it is not UTF-8 or its JSON is malformed, then validated by the CSV or
/// HSDS importer and, unless a dry run, written (nothing when any row has a problem), counted in the import metrics.
/// </summary>
public static class ImportFiles
{
    /// <summary>The largest file an import reads.</summary>
    public const long MaxUploadBytes = 64L * 1024 * 1024;

    /// <summary>Batches of a job run from the staff pages: small enough that its progress moves (one store transaction each).</summary>
    public const int JobBatchSize = 250;

    public static string MetricName(ImportFormat format) => format == ImportFormat.Csv ? "csv" : "hsds";

    /// <summary>Copies <paramref name="content"/> into a new temp file and returns its path (the caller deletes it).</summary>
    public static async Task<string> SaveAsync(Stream content, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), "rd-import-" + Guid.NewGuid().ToString("N"));
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await content.CopyToAsync(file, ct);
        return path;
    }

    /// <summary>Null when the file can be read; else why not.</summary>
    public static async Task<UnreadableFile?> CheckReadableAsync(string path, ImportFormat format, CancellationToken ct) =>
        await NotUtf8Async(path, ct) ?? (format == ImportFormat.Csv ? null : await MalformedJsonAsync(path, format == ImportFormat.HsdsNdjson, ct));

    /// <summary>Text that is not UTF-8 would be read with replacement characters, quietly changing names and numbers.</summary>
    public static async Task<UnreadableFile?> NotUtf8Async(string path, CancellationToken ct)
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
        return new UnreadableFile(true, 1 + bytes.AsSpan(0, at).Count((byte)'\n'), null, null);
    }

    /// <summary>A file that does not say one thing (a field given twice, a broken document): the first such place.</summary>
    public static async Task<UnreadableFile?> MalformedJsonAsync(string path, bool ndjson, CancellationToken ct)
    {
        if (!ndjson)
        {
            var bytes = await File.ReadAllBytesAsync(path, ct);
            return StrictJson.Check(bytes) is { } v ? new UnreadableFile(false, null, v.Path, v.Message) : null;
        }
        long line = 0;
        foreach (var text in File.ReadLines(path, Encoding.UTF8))
        {
            ct.ThrowIfCancellationRequested();
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (StrictJson.Check(Encoding.UTF8.GetBytes(text)) is { } v) return new UnreadableFile(false, line, v.Path, v.Message);
        }
        return null;
    }

    /// <summary>Validates the file and, unless <paramref name="dryRun"/>, imports it in <paramref name="actor"/>'s name.</summary>
    public static async Task<ImportOutcome> RunAsync(DirectoryService directory, Gazetteer gazetteer, DirectoryMetrics metrics, Actor actor, string path,
        ImportFormat format, bool dryRun, IProgress<ImportProgress>? progress = null, int? batchSize = null, CancellationToken ct = default)
    {
        ImportOutcome outcome;
        if (format == ImportFormat.Csv)
        {
            var importer = batchSize is { } b ? new CsvImporter(directory, gazetteer) { Actor = actor, BatchSize = b } : new CsvImporter(directory, gazetteer) { Actor = actor };
            var report = await importer.ImportAsync(() => new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true), dryRun, progress, ct);
            outcome = new ImportOutcome(report, [], 0);
        }
        else
        {
            var importer = batchSize is { } b ? new HsdsFileImporter(directory) { Actor = actor, Progress = progress, BatchSize = b } : new HsdsFileImporter(directory) { Actor = actor, Progress = progress };
            var report = await importer.ImportAsync(() => new StreamReader(path, Encoding.UTF8), ndjson: format == ImportFormat.HsdsNdjson, dryRun, ct);
            outcome = new ImportOutcome(report.Import, report.Warnings, report.WarningCount);
        }
        metrics.RecordImport(MetricName(format), outcome.Report);
        return outcome;
    }

    /// <summary>Rows not written because of problems: the rows (or documents) that have one.</summary>
    public static int FailedRows(ImportReport report) =>
        report.ProblemCount == 0 ? 0 : Math.Max(1, report.Problems.Select(p => p.Line).Distinct().Count());
}
