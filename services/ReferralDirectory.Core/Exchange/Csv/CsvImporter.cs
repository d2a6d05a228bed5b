using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Exchange.Csv;

/// <summary>The outcome of an import (or of a dry run, which writes nothing).</summary>
public sealed record ImportReport(bool DryRun, long Rows, int Created, int Updated, int Unchanged, IReadOnlyList<ImportProblem> Problems, int ProblemCount)
{
    public bool Succeeded => ProblemCount == 0;
}

/// <summary>Progress: rows validated (first pass) or written (second pass).</summary>
public sealed record ImportProgress(string Phase, long Rows);

/// <summary>
/// Bulk import of listings from CSV (see <see cref="CsvListingColumns"/>). A run first validates the WHOLE file and
/// writes nothing if any row has a problem (so a dry run and a real run report the same problems). It then upserts by
/// external id in batches, one store transaction per batch, through <see cref="DirectoryService"/> (store first, then
/// index). Rows whose listing is unchanged are not rewritten, so importing the same file twice changes nothing.
/// </summary>
public sealed class CsvImporter(DirectoryService directory, Gazetteer gazetteer)
{
    /// <summary>At most this many problems are listed (all are counted).</summary>
    public const int MaxProblemsListed = 1000;

    public int BatchSize { get; init; } = 10_000;
    /// <summary>Recorded in the audit log for every listing the import writes.</summary>
    public Actor Actor { get; init; } = ListingUpsert.CommandLineActor;

    /// <summary>Validates (and unless <paramref name="dryRun"/>, imports) the file that <paramref name="open"/> opens;
    /// it is opened once per pass.</summary>
    public async Task<ImportReport> ImportAsync(Func<TextReader> open, bool dryRun, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var problems = new List<ImportProblem>();
        var problemCount = 0;
        void Add(IEnumerable<ImportProblem> ps)
        {
            foreach (var p in ps)
            {
                problemCount++;
                if (problems.Count < MaxProblemsListed) problems.Add(p);
            }
        }

        // Pass 1: validate every row.
        long rows = 0;
        using (var reader = open())
        {
            var externalIds = new Dictionary<string, long>(StringComparer.Ordinal);
            var ids = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (line, listing, rowProblems, externalId) in Rows(reader))
            {
                ct.ThrowIfCancellationRequested();
                if (line > 0) rows++;
                Add(rowProblems);
                if (externalId is not null)
                {
                    if (externalIds.TryGetValue(externalId, out var first)) Add([new ImportProblem(line, "external_id", $"The same external id is on line {first}.")]);
                    else externalIds[externalId] = line;
                }
                if (listing is null) continue;
                if (ids.TryGetValue(listing.Id, out var firstId)) Add([new ImportProblem(line, "id", $"Id '{listing.Id}' is also on line {firstId}.")]);
                else ids[listing.Id] = line;
                if (rows % 10_000 == 0) progress?.Report(new ImportProgress("validate", rows));
            }
            progress?.Report(new ImportProgress("validate", rows));
        }
        if (dryRun || problemCount > 0) return new ImportReport(dryRun, rows, 0, 0, 0, problems, problemCount);

        // Pass 2: upsert in batches.
        int created = 0, updated = 0, unchanged = 0;
        long written = 0;
        using (var reader = open())
        {
            var batch = new List<(long Line, Listing Listing)>(BatchSize);
            async Task<bool> Flush()
            {
                if (batch.Count == 0) return true;
                var r = await ListingUpsert.WriteBatchAsync(directory, batch, Actor, ct);
                if (r.Problem is { } p) { Add([p]); return false; }
                created += r.Created;
                updated += r.Updated;
                unchanged += r.Unchanged;
                written += batch.Count;
                progress?.Report(new ImportProgress("write", written));
                batch.Clear();
                return true;
            }

            foreach (var (line, listing, rowProblems, _) in Rows(reader))
            {
                ct.ThrowIfCancellationRequested();
                if (rowProblems.Count > 0 || listing is null)
                {
                    // The file changed between the passes.
                    Add(rowProblems.Count > 0 ? rowProblems : [new ImportProblem(line, null, "The file changed during the import.")]);
                    break;
                }
                batch.Add((line, listing));
                if (batch.Count >= BatchSize && !await Flush()) break;
            }
            if (problemCount == 0) await Flush();
        }
        return new ImportReport(false, rows, created, updated, unchanged, problems, problemCount);
    }

    /// <summary>Validates a file: the same problems a real import would report, and nothing is written.</summary>

    /// <summary>Reads the header and then the rows. A header problem is reported with line 1 and stops the file.
    /// Yields line 0 for the header problems.</summary>
    private IEnumerable<(long Line, Listing? Listing, List<ImportProblem> Problems, string? ExternalId)> Rows(TextReader reader)
    {
        using var csv = new CsvRecordReader(reader);
        var header = csv.Read();
        if (header is null)
        {
            yield return (0, null, [new ImportProblem(1, null, "The file is empty: the first line must be the header (see docs/import-template.csv).")], null);
            yield break;
        }
        var headerProblems = new List<ImportProblem>();
        if (csv.Error is { } he) headerProblems.Add(new ImportProblem(header.Line, null, he));
        var names = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToArray();
        var known = new HashSet<string>(CsvListingColumns.Names, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in names)
        {
            var shown = EchoedValue.Shown(n);
            if (!known.Contains(n)) headerProblems.Add(new ImportProblem(header.Line, shown, $"Unknown column '{shown}'. Columns: {string.Join(", ", CsvListingColumns.Names)}."));
            else if (!seen.Add(n)) headerProblems.Add(new ImportProblem(header.Line, n, "The column appears twice."));
        }
        foreach (var c in CsvListingColumns.All.Where(c => c.Required && !names.Contains(c.Name)))
            headerProblems.Add(new ImportProblem(header.Line, c.Name, "Required column missing from the header."));
        if (headerProblems.Count > 0)
        {
            yield return (0, null, headerProblems, null);
            yield break;
        }

        // Records are read in order; mapping them (validation, the county of each location) runs on every core, a
        // chunk at a time, and the rows come out in file order.
        const int Chunk = 2048;
        var chunk = new List<(CsvRecord Record, string? Error)>(Chunk);
        var results = new (long Line, Listing? Listing, List<ImportProblem> Problems, string? ExternalId)[Chunk];
        while (true)
        {
            chunk.Clear();
            while (chunk.Count < Chunk && csv.Read() is { } record) chunk.Add((record, csv.Error));
            if (chunk.Count == 0) yield break;
            Parallel.For(0, chunk.Count, () => new CsvRowMapper(gazetteer), (i, _, mapper) =>
            {
                results[i] = MapRecord(chunk[i].Record, chunk[i].Error, names, mapper);
                return mapper;
            }, _ => { });
            for (var i = 0; i < chunk.Count; i++) yield return results[i];
        }
    }

    private static (long Line, Listing? Listing, List<ImportProblem> Problems, string? ExternalId) MapRecord(CsvRecord record, string? error, string[] names, CsvRowMapper mapper)
    {
        var problems = new List<ImportProblem>();
        if (error is not null)
        {
            problems.Add(new ImportProblem(record.Line, null, error));
            return (record.Line, null, problems, null);
        }
        if (record.Fields.Length != names.Length)
        {
            problems.Add(new ImportProblem(record.Line, null, $"The row has {record.Fields.Length} fields; the header has {names.Length}."));
            return (record.Line, null, problems, null);
        }
        var row = new Dictionary<string, string>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++) row[names[i]] = record.Fields[i];
        var listing = mapper.Map(record.Line, row, problems);
        var ext = row.GetValueOrDefault("external_id")?.Trim();
        return (record.Line, listing, problems, string.IsNullOrEmpty(ext) ? null : ext);
    }
}

/// <summary>Opens an embedded store file for a command-line import. Writes go through <see cref="DirectoryService"/>
/// (validated, audited, store first) exactly as in the service, but nothing searches the command line's process, so
/// its index keeps nothing (<see cref="Search.DirectoryIndex.Detached"/>): memory stays flat however large the file.
/// The service reads everything from the store when it starts.</summary>
public static class CsvImportTarget
{
    public static async Task<DirectoryService> OpenSqliteAsync(string path, CancellationToken ct = default)
    {
        var store = new SqliteDirectoryStore(path, TimeProvider.System);
        await store.InitializeAsync(ct);
        return new DirectoryService(store, Search.DirectoryIndex.Detached(), TimeProvider.System);
    }
}
