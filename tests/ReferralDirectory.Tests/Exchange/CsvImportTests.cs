using System.Diagnostics;
using System.Text;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Exchange;

/// <summary>CSV bulk import into the running service's store and index; results checked over HTTP.</summary>
[TestFixture]
public sealed class CsvImportTests
{
    private DirectoryApp _app = null!;
    private HttpClient _client = null!;
    private CsvImporter _importer = null!;

    private static string RepoFile(string relative) => RepoFiles.Path(relative);

    private static readonly string Header = CsvListingColumns.Header;

    /// <summary>A CSV with the full header and rows given as column=value pairs.</summary>
    private static string Csv(params Dictionary<string, string>[] rows)
    {
        var sb = new StringBuilder(Header + "\r\n");
        foreach (var r in rows)
            sb.Append(string.Join(',', CsvListingColumns.Names.Select(n => CsvListingWriter.Cell(r.GetValueOrDefault(n))))).Append("\r\n");
        return sb.ToString();
    }

    private static Dictionary<string, string> Row(string ext, string name, params (string Column, string Value)[] more)
    {
        var r = new Dictionary<string, string> { ["external_id"] = ext, ["kind"] = "victim-service-agency", ["name"] = name };
        foreach (var (c, v) in more) r[c] = v;
        return r;
    }

    private Task<ImportReport> Import(string csv, bool dryRun = false) => _importer.ImportAsync(() => new StringReader(csv), dryRun);

    [OneTimeSetUp]
    public void Start()
    {
        _app = new DirectoryApp(seedDemo: false);
        _client = _app.Client();
        _importer = new CsvImporter(_app.Service<DirectoryService>(), Gazetteer.Default) { BatchSize = 2 };
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Test, Order(1)]
    public async Task The_committed_template_is_valid_and_imports_idempotently()
    {
        var path = RepoFile("docs/import-template.csv");
        var header = File.ReadLines(path).First();
        Assert.That(header, Is.EqualTo(Header), "the template's header lists the documented columns");
        TextReader Open() => new StreamReader(path, Encoding.UTF8);

        var dry = await _importer.ImportAsync(Open, dryRun: true);
        Assert.That(dry.Problems, Is.Empty);
        Assert.That((dry.Rows, dry.Created), Is.EqualTo((2L, 0)));
        await _client.GetJsonAsync("/v1/resources/ext-agency-0042", 404); // the dry run wrote nothing

        var first = await _importer.ImportAsync(Open, dryRun: false);
        Assert.That((first.Rows, first.Created, first.Updated, first.Unchanged, first.ProblemCount), Is.EqualTo((2L, 2, 0, 0, 0)));
        var agency = await _client.GetJsonAsync("/v1/resources/ext-agency-0042");
        Assert.That(agency.GetProperty("name").GetString(), Is.EqualTo("Hope Harbor Center"));
        Assert.That(agency.Items("serviceAreas").Select(a => a.GetProperty("code").GetString()), Is.EqualTo(new[] { "29019", "29027" }));
        var hotline = await _client.GetJsonAsync("/v1/resources/ext-hotline-001");
        Assert.That(hotline.GetProperty("name").GetString(), Is.EqualTo("Example \"24/7\" Help Line, Statewide"));
        Assert.That(hotline.GetProperty("description").GetString(), Is.EqualTo("Call or text any time.\nInterpreters available."));
        Assert.That(hotline.GetProperty("is24x7").GetBoolean(), Is.True);
        // Imported listings are searchable at once (store first, then index).
        var near = await _client.GetJsonAsync("/v1/resources/nearest?zip=65201&limit=1");
        Assert.That(near.Ids("results"), Is.EqualTo(new[] { "ext-agency-0042" }));
        Assert.That(near.Items("hotlines").Select(h => h.GetProperty("id").GetString()), Does.Contain("ext-hotline-001"));

        var store = _app.Service<IDirectoryStore>();
        var etag = (await store.GetAsync("ext-agency-0042"))!.ETag;
        var again = await _importer.ImportAsync(Open, dryRun: false);
        Assert.That((again.Created, again.Updated, again.Unchanged), Is.EqualTo((0, 0, 2)));
        var after = (await store.GetAsync("ext-agency-0042"))!;
        Assert.That((after.ETag, after.Version), Is.EqualTo((etag, 1L)), "an unchanged row is not rewritten");
    }

    [Test, Order(2)]
    public async Task A_changed_row_updates_the_same_listing_and_others_stay_untouched()
    {
        var csv1 = Csv(Row("upd-1", "First Name", ("city", "Columbia"), ("state", "MO"), ("postal_code", "65201")), Row("upd-2", "Other"));
        var r1 = await Import(csv1);
        Assert.That((r1.Created, r1.Updated, r1.Unchanged), Is.EqualTo((2, 0, 0)));
        // No coordinates given: the ZIP code's centre is used.
        var zip = Gazetteer.Default.FindZip("65201")!;
        var loc = (await _client.GetJsonAsync("/v1/resources/ext-upd-1")).Items("locations").Single();
        Assert.That((loc.GetProperty("latitude").GetDouble(), loc.GetProperty("longitude").GetDouble()), Is.EqualTo((zip.Latitude, zip.Longitude)));

        var csv2 = Csv(Row("upd-1", "Second Name", ("city", "Columbia"), ("state", "MO"), ("postal_code", "65201")), Row("upd-2", "Other"));
        var r2 = await Import(csv2);
        Assert.That((r2.Created, r2.Updated, r2.Unchanged), Is.EqualTo((0, 1, 1)));
        Assert.That((await _client.GetJsonAsync("/v1/resources/ext-upd-1")).GetProperty("name").GetString(), Is.EqualTo("Second Name"));
        var stored = await _app.Service<IDirectoryStore>().GetAsync("ext-upd-1");
        Assert.That(stored!.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Cells_escaped_for_spreadsheets_import_as_the_values_written()
    {
        // Written through the spreadsheet-safe writer: these cells get an apostrophe in front; the importer takes it off.
        const string name = "=HYPERLINK(\"http://evil.example\",\"Open\")";
        const string description = "-- Call first: +1 573-555-0100 @ the front desk";
        var csv = Csv(Row("formula-1", name, ("description", description), ("alternate_name", "'Tis the season"),
            ("city", "Columbia"), ("state", "MO"), ("latitude", "38.9517"), ("longitude", "-92.3341")));
        Assert.That(csv, Does.Contain("\"'=HYPERLINK(").And.Contain("\"'-- Call first").And.Contain("\"''Tis the season\"").And.Contain(",-92.3341,"));
        var r = await Import(csv);
        Assert.That(r.Problems, Is.Empty);
        Assert.That(r.Created, Is.EqualTo(1));
        var listing = await _client.GetJsonAsync("/v1/resources/ext-formula-1");
        Assert.That(listing.GetProperty("name").GetString(), Is.EqualTo(name));
        Assert.That(listing.GetProperty("description").GetString(), Is.EqualTo(description));
        Assert.That(listing.GetProperty("alternateName").GetString(), Is.EqualTo("'Tis the season"));
        Assert.That(listing.Items("locations").Single().GetProperty("longitude").GetDouble(), Is.EqualTo(-92.3341));
    }

    [Test]
    public async Task Wrong_types_and_unknown_codes_are_reported_per_line_and_column_and_nothing_is_written()
    {
        var csv = Csv(
            Row("bad-1", "Fine Agency", ("city", "Columbia"), ("state", "MO"), ("latitude", "abc"), ("longitude", "-92.3")),
            Row("bad-2", "Agency", ("kind", "shelter"), ("free_of_charge", "maybe"), ("last_verified", "2026-13-01")),
            Row("bad-3", "Agency", ("email", "not-an-email"), ("website", "javascript:alert(1)"), ("services", "emergency-shelter;teleportation")),
            Row("bad-4", "Agency", ("state", "ZZ"), ("city", "Nowhere"), ("county_fips", "99999"), ("service_areas", "county:12;planet:earth")),
            Row("bad-5", "", ("latitude", "91"), ("longitude", "0"), ("city", "X"), ("state", "MO")),
            Row("bad-1", "Duplicate external id"),
            Row("ok-1", "'); DROP TABLE listings;--", ("description", "<script>alert(1)</script>")));
        var report = await Import(csv);
        var got = report.Problems.Select(p => $"{p.Line}|{p.Column}|{p.Message}").ToArray();
        Assert.That(got, Is.EquivalentTo(new[]
        {
            "2|latitude|Must be a number, not 'abc'.",
            "3|free_of_charge|Must be true or false, not 'maybe'.",
            "3|kind|Unknown kind 'shelter'. Use one of: victim-service-agency, coalition, funding-source, hotline, training-resource, government.",
            "3|last_verified|Must be a date YYYY-MM-DD, not '2026-13-01'.",
            "4|email|Must be an e-mail address such as help@example.org.",
            "4|services|Unknown service code: teleportation.",
            "4|website|Must be an absolute http or https address such as https://example.org.",
            "5|county_fips|" + FieldRules.CountyHint,
            "5|service_areas|'county:12' is not an area: use nationwide, state:XX or county:FIPS.",
            "5|service_areas|'planet:earth' is not an area: use nationwide, state:XX or county:FIPS.",
            "5|state|" + FieldRules.StateHint,
            "6|latitude|Must be between -90 and 90.",
            "6|name|Required.",
            "7|external_id|The same external id is on line 2.",
        }));
        Assert.That(report.ProblemCount, Is.EqualTo(14));
        Assert.That((report.Created, report.Updated), Is.EqualTo((0, 0)));
        await _client.GetJsonAsync("/v1/resources/ext-ok-1", 404); // a file with problems writes nothing, not even its good rows

        // The injection strings are just text: alone, the row imports and reads back literally.
        var ok = await Import(Csv(Row("ok-1", "'); DROP TABLE listings;--", ("description", "<script>alert(1)</script>"))));
        Assert.That(ok.Created, Is.EqualTo(1));
        var listing = await _client.GetJsonAsync("/v1/resources/ext-ok-1");
        Assert.That(listing.GetProperty("name").GetString(), Is.EqualTo("'); DROP TABLE listings;--"));
        Assert.That(await _app.Service<IDirectoryStore>().CountAsync(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Broken_quoting_and_wrong_field_counts_are_reported_with_their_lines()
    {
        var csv = Header + "\r\n"
                  + "q-1,,victim-service-agency,\"Unclosed quote" + new string(',', CsvListingColumns.Names.Count - 4) + "\r\n";
        var r1 = await Import(csv);
        Assert.That(r1.Problems.Select(p => p.ToString()), Is.EqualTo(new[] { "line 2: A quoted field opened on line 2 is never closed." }));

        var csv2 = Header + "\r\n" + "q-2,,victim-service-agency,Name\"With quote" + new string(',', CsvListingColumns.Names.Count - 4) + "\r\n"
                   + "q-3,,victim-service-agency,Short row\r\n";
        var r2 = await Import(csv2);
        Assert.That(r2.Problems.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "line 2: A quote inside a field that does not start with a quote: put the whole field in quotes and double the quote (\"\").",
            $"line 3: The row has 4 fields; the header has {CsvListingColumns.Names.Count}.",
        }));
    }

    [Test]
    public async Task An_id_taken_by_another_listing_is_reported_and_its_batch_not_written()
    {
        var first = await Import(Csv(Row("collide-a", "Agency A", ("id", "shared-id"))));
        Assert.That(first.Created, Is.EqualTo(1));
        var second = await Import(Csv(Row("collide-b", "Agency B", ("id", "shared-id"))));
        Assert.That(second.Problems.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "line 2, column id: Id 'shared-id' already belongs to another listing (with a different external id). Nothing from line 2 on was written.",
        }));
        Assert.That((await _client.GetJsonAsync("/v1/resources/shared-id")).GetProperty("name").GetString(), Is.EqualTo("Agency A"));
    }

    [Test]
    public async Task Header_problems_stop_the_file()
    {
        var r = await Import("external_id,name,colour\r\nx,y,z\r\n");
        Assert.That(r.Problems.Select(p => (p.Line, p.Column)), Is.EqualTo(new (long, string?)[] { (1, "colour"), (1, "kind") }));
        Assert.That(r.Problems[1].Message, Is.EqualTo("Required column missing from the header."));
        var empty = await Import("");
        Assert.That(empty.Problems.Single().Message, Does.StartWith("The file is empty"));
        var bomOnly = await Import("\uFEFF");
        Assert.That(bomOnly.Problems.Single().Message, Does.StartWith("The file is empty"));
    }

    [Test]
    public async Task Command_line_importer_dry_run_then_import_then_nothing_changes()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rd-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            // Built by the test project's reference, in the same configuration (bin/<configuration>/net10.0).
            var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
            var tool = RepoFile(Path.Combine("tools", "ReferralDirectory.Import", "bin", configuration, "net10.0", "rd-import.dll"));
            Assert.That(File.Exists(tool), Is.True, tool);
            var csv = Path.Combine(dir, "gen.csv");
            var db = Path.Combine(dir, "store.db");
            (int Code, string Out) Run(params string[] args)
            {
                var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
                psi.ArgumentList.Add(tool);
                foreach (var a in args) psi.ArgumentList.Add(a);
                psi.Environment["NO_COLOR"] = "1";
                using var p = Process.Start(psi)!;
                var output = p.StandardOutput.ReadToEndAsync();
                var error = p.StandardError.ReadToEndAsync();
                Assert.That(p.WaitForExit(120_000), Is.True);
                return (p.ExitCode, output.Result + error.Result);
            }

            Assert.That(Run("generate", "--rows", "300", "--out", csv).Code, Is.EqualTo(0));
            var dry = Run(csv, "--db", db, "--dry-run", "--batch-size", "100");
            Assert.That(dry.Code, Is.EqualTo(0), dry.Out);
            Assert.That(dry.Out, Does.Contain("Dry run: the file is valid. Nothing was written."));
            // Without a terminal the bars are not drawn; their final state is printed: every pass ends at 100 %.
            Assert.That(dry.Out, Does.Contain("Validating: 100 % (300 rows)").And.Not.Contain("Writing:"));
            var first = Run(csv, "--db", db, "--batch-size", "100");
            Assert.That(first.Code, Is.EqualTo(0), first.Out);
            Assert.That(first.Out, Does.Contain("Validating: 100 % (300 rows)").And.Contain("Writing: 100 % (300 rows)"));
            var store = new SqliteDirectoryStore(db, TimeProvider.System);
            Assert.That(await store.CountAsync(), Is.EqualTo(300));
            var again = Run(csv, "--db", db, "--batch-size", "100");
            Assert.That(again.Out, Does.Match(@"Unchanged\s*│\s*300"));
            var all = new List<StoredListing>();
            await foreach (var s in store.ReadAllAsync()) all.Add(s);
            Assert.That(all.All(s => s.Version == 1), Is.True, "nothing rewritten");

            File.WriteAllText(Path.Combine(dir, "bad.csv"), "external_id,kind,name\r\nx,nonsense,\"broken\r\n");
            var bad = Run(Path.Combine(dir, "bad.csv"), "--db", db);
            Assert.That(bad.Code, Is.EqualTo(1), bad.Out);
            Assert.That(bad.Out, Does.Contain("never closed"));
            Assert.That(Run("--db").Code, Is.EqualTo(2));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
