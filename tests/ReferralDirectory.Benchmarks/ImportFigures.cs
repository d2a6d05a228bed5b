using System.Diagnostics;
using System.Text;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Generation;
using ReferralDirectory.Places;

namespace ReferralDirectory.Benchmarks;

/// <summary>
/// Bulk CSV import figures: generates an N-row file from <see cref="DirectoryGenerator"/> (seed 42), then times a
/// dry run, a first import into an empty embedded store (all rows created) and a second import of the same file
/// (all rows unchanged, nothing rewritten), the way the command-line importer runs.
/// </summary>
public static class ImportFigures
{
    public static async Task RunAsync(int rows, int batchSize)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rd-import-figures", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var csv = Path.Combine(dir, "listings.csv");
            var sw = Stopwatch.StartNew();
            await using (var w = new StreamWriter(csv, false, new UTF8Encoding(true), 1 << 16))
            {
                using var writer = new CsvListingWriter(w);
                writer.WriteHeader();
                foreach (var l in new DirectoryGenerator(42).Generate(rows)) writer.WriteRow(l);
            }
            Console.WriteLine($"generate {rows:N0} rows: {sw.Elapsed.TotalSeconds:N2} s ({new FileInfo(csv).Length / 1e6:N1} MB)");
            _ = Gazetteer.Default.FindZip("63101"); // load the gazetteer outside the timings

            var db = Path.Combine(dir, "directory.db");
            TextReader Open() => new StreamReader(csv, Encoding.UTF8, true, 1 << 16);
            foreach (var (label, dryRun) in new[] { ("dry run", true), ("import (all created)", false), ("import again (all unchanged)", false) })
            {
                sw.Restart();
                var directory = await CsvImportTarget.OpenSqliteAsync(db);
                var report = await new CsvImporter(directory, Gazetteer.Default) { BatchSize = batchSize }.ImportAsync(Open, dryRun);
                Console.WriteLine($"{label,-30} {sw.Elapsed.TotalSeconds,6:N2} s  rows {report.Rows:N0}, created {report.Created:N0}, updated {report.Updated:N0}, unchanged {report.Unchanged:N0}, problems {report.ProblemCount}");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
