using System.Diagnostics;
using System.Globalization;
using System.Text;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Generation;
using ReferralDirectory.Places;
using ReferralDirectory.Storage;
using Spectre.Console;

// rd-import: bulk import of listings from CSV into the embedded store file.
//   rd-import FILE.csv --db PATH [--dry-run] [--batch-size N]
//   rd-import FILE.json|FILE.ndjson --db PATH [--dry-run]        (Open Referral HSDS 3.0 documents)
//   rd-import validate FILE.json|FILE.ndjson                     (check an HSDS feed against the official schemas; no store)
//   rd-import generate --rows N --out FILE.csv [--seed S]     (a large made-up file, for trials and benchmarks)
// Exit codes: 0 done, 1 the file has problems (nothing written), 2 wrong usage.
// Relative paths start from the working directory, as for the API's copy-store (ReferralDirectory.Storage.LocalPaths).

const string Usage = """
    Usage:
      rd-import FILE.csv --db PATH [--dry-run] [--batch-size N]
          Validates every row, then (unless --dry-run) upserts the listings by external_id into the SQLite store
          at PATH, one transaction per batch (default 10000 rows). A file with any problem writes nothing.
      rd-import FILE.json|FILE.ndjson --db PATH [--dry-run] [--format hsds]
          Imports Open Referral HSDS 3.0 organization documents (or service documents nesting their organization):
          NDJSON one per line, or JSON: one document, an array, or an HSDS page. Validated against the HSDS schemas.
      rd-import validate FILE.json|FILE.ndjson
          Checks Open Referral HSDS 3.0 documents of any type (organization, service, service_at_location, location,
          taxonomy, taxonomy_term) against the official schemas and lists every problem with its JSON path.
          Reads no store and writes nothing. Exit code 0 valid, 1 problems.
      rd-import generate --rows N --out FILE.csv [--seed S]
          Writes N made-up listings in the import format (deterministic for a seed).
    Columns: see docs/import-template.csv and the README.
    Relative paths start from the folder you run the command in.
    """;

try
{
    return await Run(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

static async Task<int> Run(string[] args)
{
    if (args.Length == 0 || args[0] is "-h" or "--help") { Console.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
    var options = Options.Parse(args);
    if (options.Positional.FirstOrDefault() == "generate")
    {
        var rows = options.Int("--rows") ?? throw new UsageException("generate needs --rows N.");
        var output = LocalPaths.FromCommandLine(options.Value("--out") ?? throw new UsageException("generate needs --out FILE.csv."));
        var seed = options.Int("--seed") ?? 42;
        var sw = Stopwatch.StartNew();
        await using (var w = new StreamWriter(output, false, new UTF8Encoding(true), 1 << 16))
        {
            using var csv = new CsvListingWriter(w);
            csv.WriteHeader();
            foreach (var l in new DirectoryGenerator(seed).Generate(rows)) csv.WriteRow(l);
        }
        AnsiConsole.MarkupLine($"Wrote [green]{rows:N0}[/] rows to [blue]{Markup.Escape(output)}[/] in {sw.Elapsed.TotalSeconds:N1} s.");
        return 0;
    }

    if (options.Positional.FirstOrDefault() == "validate")
    {
        if (options.Positional.Count != 2) throw new UsageException("validate needs one file: rd-import validate FILE.json|FILE.ndjson.");
        var feed = LocalPaths.FromCommandLine(options.Positional[1]);
        if (!File.Exists(feed)) throw new UsageException($"No such file: {options.Positional[1]} ({feed})");
        var check = new HsdsFeedValidator().Validate(() => new StreamReader(feed, Encoding.UTF8, true, 1 << 16),
            ndjson: Path.GetExtension(feed).ToLowerInvariant() is ".ndjson" or ".jsonl");
        var types = string.Join(", ", check.Types.Select(t => $"{t.Value:N0} {t.Key}"));
        Console.WriteLine($"Documents: {check.Documents:N0}{(types.Length > 0 ? $" ({types})" : "")}");
        Console.WriteLine($"Problems: {check.ProblemCount:N0}");
        foreach (var p in check.Problems) Console.WriteLine($"  document {p.Line}, {p.Column}: {p.Message}");
        if (check.ProblemCount > check.Problems.Count) Console.WriteLine($"  … and {check.ProblemCount - check.Problems.Count:N0} more.");
        Console.WriteLine(check.Valid ? "Valid: the feed matches the HSDS 3.0 schemas. Nothing was written." : "Not valid. Nothing was written.");
        return check.Valid ? 0 : 1;
    }

    if (options.Positional.Count != 1) throw new UsageException("Give one CSV file.");
    var file = LocalPaths.FromCommandLine(options.Positional[0]);
    if (!File.Exists(file)) throw new UsageException($"No such file: {options.Positional[0]} ({file})");
    var dbArgument = options.Value("--db") ?? throw new UsageException("Give the store file with --db PATH.");
    // --db PATH, or sqlite:PATH as copy-store writes it.
    var db = LocalPaths.SqliteStoreFromCommandLine(dbArgument) ?? LocalPaths.FromCommandLine(dbArgument);
    var dryRun = options.Flag("--dry-run");
    var batchSize = options.Int("--batch-size") ?? 10_000;
    if (batchSize is < 1 or > 100_000) throw new UsageException("--batch-size must be 1 to 100000.");

    var format = options.Value("--format") ?? (Path.GetExtension(file).ToLowerInvariant() is ".json" or ".ndjson" or ".jsonl" ? "hsds" : "csv");
    if (format is not ("csv" or "hsds")) throw new UsageException("--format must be csv or hsds.");

    var total = Stopwatch.StartNew();
    var gazetteer = Gazetteer.Default;
    var directory = await CsvImportTarget.OpenSqliteAsync(db);
    if (format == "hsds")
    {
        var hsds = await new HsdsFileImporter(directory) { BatchSize = batchSize }.ImportAsync(
            () => new StreamReader(file, Encoding.UTF8, true, 1 << 16), ndjson: Path.GetExtension(file).ToLowerInvariant() is ".ndjson" or ".jsonl", dryRun);
        return Summarize(hsds.Import, total.Elapsed, dryRun, hsds.Warnings, hsds.WarningCount, "Documents");
    }
    var importer = new CsvImporter(directory, gazetteer) { BatchSize = batchSize };
    TextReader Open() => new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
    var lines = CountRecordsEstimate(file);

    ImportReport report = null!;
    var bars = new List<ProgressTask>();
    await AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .StartAsync(async ctx =>
        {
            var validate = ctx.AddTask("Validating", maxValue: Math.Max(1, lines));
            var write = dryRun ? null : ctx.AddTask("Writing", autoStart: false, maxValue: Math.Max(1, lines));
            bars.Add(validate);
            if (write is not null) bars.Add(write);
            // Reported on the importer's own thread, in order (Progress<T> would post each report to the thread pool, and
            // a late one could set a bar back after it was completed).
            var progress = new ImmediateProgress<ImportProgress>(p =>
            {
                if (p.Phase == "validate") validate.Value = Math.Min(p.Rows, validate.MaxValue);
                else if (write is not null) { Complete(validate); write.StartTask(); write.Value = Math.Min(p.Rows, write.MaxValue); }
            });
            report = await importer.ImportAsync(Open, dryRun, progress);
            // The line count is an upper bound of the records (a quoted cell may span lines): a finished pass is 100 %.
            Complete(validate);
            if (write is not null && report.Succeeded) Complete(write);
            ctx.Refresh();
        });
    // Without a terminal (a pipe, a CI log) the bars are not drawn: say where each ended, in plain lines.
    if (!AnsiConsole.Profile.Capabilities.Interactive)
        foreach (var bar in bars) AnsiConsole.WriteLine($"{bar.Description}: {bar.Percentage.ToString("0", CultureInfo.InvariantCulture)} % ({bar.Value:N0} rows)");

    return Summarize(report, total.Elapsed, dryRun, [], 0, "Rows");
}

static void Complete(ProgressTask task)
{
    task.MaxValue = Math.Max(1, task.Value);
    task.Value = task.MaxValue;
    task.StopTask();
}

static int Summarize(ImportReport report, TimeSpan elapsed, bool dryRun, IReadOnlyList<ImportProblem> warnings, int warningCount, string unit)
{
    var table = new Table().AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
    table.AddRow(unit, report.Rows.ToString("N0"));
    table.AddRow("Created", report.Created.ToString("N0"));
    table.AddRow("Updated", report.Updated.ToString("N0"));
    table.AddRow("Unchanged", report.Unchanged.ToString("N0"));
    table.AddRow("Problems", report.ProblemCount.ToString("N0"));
    if (warningCount > 0) table.AddRow("Warnings", warningCount.ToString("N0"));
    table.AddRow("Time", $"{elapsed.TotalSeconds:N2} s");
    AnsiConsole.Write(table);
    foreach (var w in warnings.Take(20)) AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(w.ToString())}[/]");
    foreach (var p in report.Problems.Take(50)) AnsiConsole.MarkupLine($"[red]{Markup.Escape(p.ToString())}[/]");
    if (report.ProblemCount > 50) AnsiConsole.MarkupLine($"… and {report.ProblemCount - 50:N0} more.");
    if (!report.Succeeded) { AnsiConsole.MarkupLine("[red]Nothing was written.[/]" + (report.Created + report.Updated > 0 ? " (except the batches counted above)" : "")); return 1; }
    AnsiConsole.MarkupLine(dryRun ? "[green]Dry run: the file is valid. Nothing was written.[/]" : "[green]Done.[/]");
    return 0;
}

// Physical lines, a cheap upper bound of the records for the progress bar.
static long CountRecordsEstimate(string file)
{
    long n = 0;
    using var s = File.OpenRead(file);
    var buf = new byte[1 << 16];
    int read;
    while ((read = s.Read(buf, 0, buf.Length)) > 0) n += buf.AsSpan(0, read).Count((byte)'\n');
    return Math.Max(0, n - 1);
}

internal sealed class UsageException(string message) : Exception(message);

/// <summary>An <see cref="IProgress{T}"/> that calls its handler at once, on the reporting thread.</summary>
internal sealed class ImmediateProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}

internal sealed class Options
{
    public List<string> Positional { get; } = [];
    private readonly Dictionary<string, string?> _named = new(StringComparer.Ordinal);
    private static readonly HashSet<string> Flags = ["--dry-run"];
    private static readonly HashSet<string> Valued = ["--db", "--batch-size", "--rows", "--out", "--seed", "--format"];

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (Flags.Contains(a)) o._named[a] = null;
            else if (Valued.Contains(a))
            {
                if (i + 1 >= args.Length) throw new UsageException($"{a} needs a value.");
                o._named[a] = args[++i];
            }
            else if (a.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"Unknown option {a}.");
            else o.Positional.Add(a);
        }
        return o;
    }

    public bool Flag(string name) => _named.ContainsKey(name);
    public string? Value(string name) => _named.GetValueOrDefault(name);
    public int? Int(string name) => Value(name) is { } v ? (int.TryParse(v, out var i) && i >= 0 ? i : throw new UsageException($"{name} must be a whole number.")) : null;
}
