using System.Text.Json;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Exchange.Hsds;

/// <summary>
/// Bulk import of HSDS documents: NDJSON (one organization or service document per line) or JSON (one document, an
/// array of documents, or an HSDS page with <c>contents</c>). A service document must nest its organization. Every
/// document is validated first (problems as (line or document number, JSON path, message)); a file with any error
/// writes nothing. Then listings are upserted by external id (the HSDS organization id), as the CSV import does.
/// Warnings (parts not kept) are counted and listed but do not stop the import.
/// </summary>
public sealed class HsdsFileImporter(DirectoryService directory, HsdsImporter? importer = null)
{
    private readonly HsdsImporter _importer = importer ?? new HsdsImporter();

    public int BatchSize { get; init; } = 1000;
    /// <summary>Recorded in the audit log for every listing the import writes.</summary>
    public Actor Actor { get; init; } = ListingUpsert.CommandLineActor;
    /// <summary>Told the documents validated (when all are) and then the documents written, batch by batch.</summary>
    public IProgress<ImportProgress>? Progress { get; init; }

    public sealed record Report(ImportReport Import, IReadOnlyList<ImportProblem> Warnings, int WarningCount);

    public async Task<Report> ImportAsync(Func<TextReader> open, bool ndjson, bool dryRun, CancellationToken ct = default)
    {
        var problems = new List<ImportProblem>();
        var warnings = new List<ImportProblem>();
        int problemCount = 0, warningCount = 0;
        void Add(List<ImportProblem> list, ImportProblem p, ref int count)
        {
            count++;
            if (list.Count < CsvImporter.MaxProblemsListed) list.Add(p);
        }

        var listings = new List<(long Line, Listing Listing)>();
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        long documents = 0;
        foreach (var (line, json) in Documents(open, ndjson, problems, ref problemCount))
        {
            ct.ThrowIfCancellationRequested();
            documents++;
            if (StrictJson.Check(System.Text.Encoding.UTF8.GetBytes(json)) is { } bad)
            {
                Add(problems, new ImportProblem(line, bad.Path, bad.Message), ref problemCount);
                continue;
            }
            var result = _importer.ImportDocument(json);
            foreach (var e in result.Errors) Add(problems, new ImportProblem(line, e.Path, e.Message), ref problemCount);
            foreach (var w in result.Warnings) Add(warnings, new ImportProblem(line, w.Path, w.Message), ref warningCount);
            if (result.Listing is not { } l) continue;
            if (seen.TryGetValue(l.ExternalId!, out var first))
            {
                Add(problems, new ImportProblem(line, "$.id", $"The same organization is in document {first}; give each organization once (with all its services)."), ref problemCount);
                continue;
            }
            seen[l.ExternalId!] = line;
            // NDJSON may be large: keep only what the write needs when this is a real run.
            if (!dryRun) listings.Add((line, l));
        }
        Progress?.Report(new ImportProgress("validate", documents));
        if (dryRun || problemCount > 0)
            return new Report(new ImportReport(dryRun, documents, 0, 0, 0, problems, problemCount), warnings, warningCount);

        int created = 0, updated = 0, unchanged = 0;
        for (var i = 0; i < listings.Count; i += BatchSize)
        {
            var batch = listings.GetRange(i, Math.Min(BatchSize, listings.Count - i));
            var r = await ListingUpsert.WriteBatchAsync(directory, batch, Actor, ct);
            if (r.Problem is { } p) { Add(problems, p, ref problemCount); break; }
            created += r.Created; updated += r.Updated; unchanged += r.Unchanged;
            Progress?.Report(new ImportProgress("write", i + batch.Count));
        }
        return new Report(new ImportReport(false, documents, created, updated, unchanged, problems, problemCount), warnings, warningCount);
    }

    /// <summary>The documents with their line (NDJSON) or position (JSON arrays, from 1).</summary>
    internal static List<(long Line, string Json)> Documents(Func<TextReader> open, bool ndjson, List<ImportProblem> problems, ref int problemCount)
    {
        var docs = new List<(long, string)>();
        using var reader = open();
        if (ndjson)
        {
            long line = 0;
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (line == 1 && text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
                if (!string.IsNullOrWhiteSpace(text)) docs.Add((line, text));
            }
            return docs;
        }
        var all = reader.ReadToEnd();
        try
        {
            using var d = JsonDocument.Parse(all, new JsonDocumentOptions { MaxDepth = 64 });
            var root = d.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("contents", out var contents) && contents.ValueKind == JsonValueKind.Array) root = contents;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var e in root.EnumerateArray()) docs.Add((++i, e.GetRawText()));
            }
            else docs.Add((1, root.GetRawText()));
        }
        catch (JsonException e)
        {
            problemCount++;
            problems.Add(new ImportProblem((e.LineNumber ?? 0) + 1, "$", "The file is not valid JSON."));
        }
        return docs;
    }
}
