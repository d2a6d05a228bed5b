using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Model;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ReferralDirectory.Tests.Web;

/// <summary>Imports and exports in a real browser (/staff/admin/imports): a CSV's dry run lists exactly its problems by
/// line and column and writes nothing; fixed, it imports in the background with a progress bar that reaches 100 %, the
/// listings are in public search and one audit entry holds the summary; an export of one state downloads that state's
/// listings (CSV, and HSDS from the API); editors only; English and Spanish; axe on every page.</summary>
public sealed class AdminImportPageTests : StaffConsoleTests
{
    /// <summary>A CSV in the import's columns: one row per listing, each a few columns over empty ones.</summary>
    private static string Csv(params Dictionary<string, string>[] rows)
    {
        var text = new StringBuilder(CsvListingColumns.Header).Append('\n');
        foreach (var row in rows) text.Append(string.Join(',', CsvListingColumns.Names.Select(n => CsvListingWriter.Cell(row.GetValueOrDefault(n))))).Append('\n');
        return text.ToString();
    }

    private static Dictionary<string, string> Agency(string externalId, string name, string city, string state, string zip, string phone) => new()
    {
        ["external_id"] = externalId, ["kind"] = "victim-service-agency", ["name"] = name, ["services"] = "case-management;victim-advocacy",
        ["location_name"] = "Main office", ["city"] = city, ["state"] = state, ["postal_code"] = zip, ["phone"] = phone, ["phone_type"] = "voice",
        ["languages"] = "en;es", ["populations"] = "adults", ["trafficking_types"] = "sex;labor",
    };

    private static Dictionary<string, string>[] GoodRows(string prefix) =>
    [
        Agency($"{prefix}-1", $"Prairie Light Services {prefix}", "Wichita", "KS", "67202", "316-555-0110"),
        Agency($"{prefix}-2", $"Sunflower Survivor Network {prefix}", "Topeka", "KS", "66603", "785-555-0111"),
        Agency($"{prefix}-3", $"Ozark Bridge Center {prefix}", "Springfield", "MO", "65806", "417-555-0112"),
        Agency($"{prefix}-4", $"Heartland Safe Harbor {prefix}", "Lawrence", "KS", "66044", "785-555-0113"),
        Agency($"{prefix}-5", $"Gateway Hope House {prefix}", "Columbia", "MO", "65201", "573-555-0114"),
    ];

    private static FilePayload CsvFile(string name, string text) => new() { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(text) };

    private async Task UploadAsync(FilePayload file, string button)
    {
        await Page.Locator("input#file[type=file]").SetInputFilesAsync(file);
        await Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
    }

    private async Task<int> PublicTotalAsync(string name, string state)
    {
        using var client = App.Client();
        return (await client.GetJsonAsync($"/v1/resources?q={Uri.EscapeDataString(name)}&state={state}")).GetProperty("total").GetInt32();
    }

    [Test]
    public async Task A_csv_with_3_bad_rows_shows_those_3_problems_and_writes_nothing_then_fixed_it_imports_to_100_percent_with_one_audit_entry()
    {
        var good = GoodRows("ui-import");
        var bad = GoodRows("ui-import");
        bad[1]["kind"] = "shelter-house";   // line 3
        bad[2]["phone"] = "555-0112";       // line 4: no area code
        bad[4]["services"] = "shelter";     // line 6: not a service code

        await SignInAsync("Editor", "Imogen Importer");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Imports", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Url("/staff/admin/imports"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Imports and exports");
        await AssertAccessibleAsync(Page, "the imports page");

        await UploadAsync(CsvFile("listings-bad.csv", Csv(bad)), "Check");
        await Expect(Page.Locator("#check-title")).ToHaveTextAsync("Check of listings-bad.csv");
        await Expect(Page.Locator(".import-check [role=status]")).ToHaveTextAsync("3 problems in 5 rows. Nothing was written: fix them and check the file again.");
        var problems = Page.GetByRole(AriaRole.Table, new() { Name = "Problems" });
        await Expect(problems.Locator("thead th")).ToHaveTextAsync(["Line", "Column", "Problem"]);
        var rows = await problems.Locator("tbody tr").EvaluateAllAsync<string[][]>("rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))");
        Assert.That(rows, Is.EqualTo(new[]
        {
            new[] { "3", "kind", $"Unknown kind 'shelter-house'. Use one of: {string.Join(", ", ListingKinds.All.Select(k => k.Code))}." },
            new[] { "4", "phone", "Must be a phone number such as (573) 555-0100, 1-888-373-7888, +1 202 555 0100 x12, or a short code such as 233733 or *55." },
            new[] { "6", "services", "Unknown service code: shelter." },
        }));
        await AssertAccessibleAsync(Page, "the imports page with a check's problems");
        var store = App.Service<IDirectoryStore>();
        Assert.That(await store.GetByExternalIdsAsync([.. good.Select(r => r["external_id"])]), Is.Empty, "a check writes nothing");
        Assert.That(await PublicTotalAsync("Prairie Light Services ui-import", "KS"), Is.Zero);

        // Fixed: the check is clean, and the import runs to 100 %.
        await UploadAsync(CsvFile("listings-fixed.csv", Csv(good)), "Check");
        await Expect(Page.Locator(".import-ok")).ToHaveTextAsync("No problems in 5 rows: the file is ready to import. Nothing was written.");
        await UploadAsync(CsvFile("listings-fixed.csv", Csv(good)), "Import");
        await Expect(Page).ToHaveURLAsync(new Regex("/staff/admin/imports/[0-9a-f]{32}$"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Import of listings-fixed.csv");
        var progress = Page.Locator("progress#import-progress");
        await Expect(progress).ToHaveAttributeAsync("max", "5");
        await Expect(progress).ToHaveAttributeAsync("value", "5");
        Assert.That(await progress.EvaluateAsync<double[]>("p => [p.value, p.max, p.position]"), Is.EqualTo(new[] { 5.0, 5.0, 1.0 }), "100 %");
        await Expect(Page.Locator("#import-progress-text")).ToHaveTextAsync("5 of 5 rows");
        await Expect(Page.Locator("#import-progress-text")).ToHaveAttributeAsync("aria-live", "polite");
        await Expect(Page.Locator(".import-job [role=status]")).ToHaveTextAsync("The import is finished.");
        await Expect(Page.Locator("#summary-created")).ToHaveTextAsync("5");
        await Expect(Page.Locator("#summary-updated")).ToHaveTextAsync("0");
        await Expect(Page.Locator("#summary-unchanged")).ToHaveTextAsync("0");
        await Expect(Page.Locator("#summary-failed")).ToHaveTextAsync("0");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Refresh progress" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync(Page, "a finished import's page");
        // The JSON the page's script polls.
        var status = await Context.APIRequest.GetAsync(Page.Url + "/status");
        Assert.That(status.Status, Is.EqualTo(200));
        Assert.That(status.Headers["cache-control"], Is.EqualTo("no-store, private"));
        var json = (await status.JsonAsync())!.Value;
        Assert.That((json.GetProperty("state").GetString(), json.GetProperty("over").GetBoolean(), json.GetProperty("value").GetInt64(), json.GetProperty("max").GetInt64(), json.GetProperty("text").GetString()),
            Is.EqualTo(("finished", true, 5L, 5L, "5 of 5 rows")));

        // In public search.
        Assert.That(await PublicTotalAsync("Prairie Light Services ui-import", "KS"), Is.EqualTo(1));
        Assert.That(await PublicTotalAsync("Ozark Bridge Center ui-import", "MO"), Is.EqualTo(1));
        Assert.That(await store.GetByExternalIdsAsync([.. good.Select(r => r["external_id"])]), Has.Count.EqualTo(5));

        // One audit entry with the counts, in the editor's name (and none for the checks).
        var summaries = (await store.QueryAuditAsync(new AuditQuery { Action = "import-summary", Limit = 50 }))
            .Where(e => e.Note?.Contains("listings-fixed.csv", StringComparison.Ordinal) == true || e.Note?.Contains("listings-bad.csv", StringComparison.Ordinal) == true).ToList();
        Assert.That(summaries, Has.Count.EqualTo(1));
        var summary = summaries[0];
        Assert.That(summary.Actor.Name, Is.EqualTo("Imogen Importer"));
        Assert.That(summary.ListingId, Is.Null);
        Assert.That(summary.Changes.Select(c => (c.Field, c.After)), Is.EqualTo(new[] { ("rows", "5"), ("created", "5"), ("updated", "0"), ("unchanged", "0"), ("failed", "0") }));
        Assert.That(summary.Note, Is.EqualTo("CSV file listings-fixed.csv: 5 rows; 5 created, 0 updated, 0 unchanged, 0 failed."));

        // The same file again: every row unchanged.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Back to imports and exports" }).ClickAsync();
        await UploadAsync(CsvFile("listings-again.csv", Csv(good)), "Import");
        await Expect(Page.Locator("#import-progress-text")).ToHaveTextAsync("5 of 5 rows");
        await Expect(Page.Locator("#summary-unchanged")).ToHaveTextAsync("5");
        await Expect(Page.Locator("#summary-created")).ToHaveTextAsync("0");
    }

    [Test]
    public async Task Importing_a_file_with_problems_writes_nothing_and_its_job_page_lists_them()
    {
        var rows = GoodRows("ui-refused");
        rows[0]["state"] = "ZZ";
        await SignInAsync("Admin", "Imogen Importer");
        await Page.GotoAsync(Url("/staff/admin/imports"));
        await UploadAsync(CsvFile("listings-refused.csv", Csv(rows)), "Import");
        await Expect(Page.Locator(".import-job [role=status]")).ToHaveTextAsync("Nothing was written: 1 problem in 1 row. Fix it (Check lists every problem) and import the file again.");
        await Expect(Page.Locator("#import-progress-text")).ToHaveTextAsync("Nothing was written: the file has problems.");
        await Expect(Page.Locator("progress")).ToHaveCountAsync(0);
        var cells = await Page.GetByRole(AriaRole.Table, new() { Name = "Problems" }).Locator("tbody td").AllTextContentsAsync();
        Assert.That(cells.Take(2), Is.EqualTo(new[] { "2", "state" }));
        Assert.That(cells[2], Is.EqualTo("Must be a two-letter US state code such as MO."));
        await Expect(Page.Locator("#summary-failed")).ToHaveTextAsync("1");
        await AssertAccessibleAsync(Page, "a refused import's page");
        Assert.That(await App.Service<IDirectoryStore>().GetByExternalIdsAsync([.. rows.Select(r => r["external_id"])]), Is.Empty);
        var summaries = (await App.Service<IDirectoryStore>().QueryAuditAsync(new AuditQuery { Action = "import-summary", Limit = 50 }))
            .Where(e => e.Note?.Contains("listings-refused.csv", StringComparison.Ordinal) == true).ToList();
        Assert.That(summaries, Has.Count.EqualTo(1));
        Assert.That(summaries[0].Note, Is.EqualTo("CSV file listings-refused.csv: 5 rows; nothing was written: 1 problem in 1 row."));
    }

    [Test]
    public async Task A_missing_file_and_text_that_is_not_utf8_are_refused_with_messages_beside_the_field()
    {
        await SignInAsync("Editor", "Imogen Importer");
        await Page.GotoAsync(Url("/staff/admin/imports"));
        ExpectConsoleError("the server responded with a status of 400");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Check", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#file")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.Locator("#file-error")).ToHaveTextAsync("Choose a file to upload.");
        await Expect(Page.Locator(".error-summary")).ToContainTextAsync("Choose a file to upload.");
        await AssertAccessibleAsync(Page, "the imports page with a missing file");

        var latin1 = Encoding.UTF8.GetBytes(CsvListingColumns.Header + "\n").Concat(new byte[] { 0x43, 0x61, 0x66, 0xE9, 0x0A }).ToArray();
        await Page.GetByLabel("File", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "latin1.csv", MimeType = "text/csv", Buffer = latin1 });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Check", Exact = true }).ClickAsync();
        await Expect(Page.Locator(".import-check [role=status]")).ToHaveTextAsync("The file cannot be read; nothing was read from it and nothing was written.");
        var cells = await Page.GetByRole(AriaRole.Table, new() { Name = "Problems" }).Locator("tbody td").AllTextContentsAsync();
        Assert.That(cells, Is.EqualTo(new[] { "2", "—", "The file is not UTF-8 text. Save it as UTF-8 and upload it again." }));
    }

    [Test]
    public async Task An_export_of_one_state_downloads_that_states_listings_as_csv_and_the_api_exports_hsds()
    {
        var rows = GoodRows("ui-export");
        await SignInAsync("Editor", "Imogen Importer");
        await Page.GotoAsync(Url("/staff/admin/imports"));
        await UploadAsync(CsvFile("listings-export.csv", Csv(rows)), "Import");
        await Expect(Page.Locator(".import-job [role=status]")).ToHaveTextAsync("The import is finished.");

        await Page.GotoAsync(Url("/staff/admin/imports"));
        await Page.GetByLabel("CSV (the import's columns)").CheckAsync();
        await Page.GetByLabel("State (where a location is)").SelectOptionAsync("KS");
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Download" }).ClickAsync());
        Assert.That(download.SuggestedFilename, Is.EqualTo("listings-KS.csv"));
        var path = await download.PathAsync();
        var exported = ReadCsv(await System.IO.File.ReadAllTextAsync(path));

        // Every live listing with a location in Kansas, from the store (not from the export's own selection).
        var store = App.Service<IDirectoryStore>();
        var expected = new List<string>();
        foreach (var l in App.Service<DirectoryIndex>().Current.AllListings())
        {
            var stored = await store.GetAsync(l.Id);
            if (stored is { Retired: false } && stored.Listing.Locations.Any(x => x.Address?.State == "KS")) expected.Add(l.Id);
        }
        Assert.That(expected, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(exported.Select(r => r["id"]), Is.EquivalentTo(expected));
        Assert.That(exported.All(r => r["state"] == "KS"), Is.True);
        Assert.That(exported.Where(r => r["external_id"].StartsWith("ui-export-", StringComparison.Ordinal)).Select(r => r["external_id"]),
            Is.EquivalentTo(new[] { "ui-export-1", "ui-export-2", "ui-export-4" }));
        var exportAudit = await store.QueryAuditAsync(new AuditQuery { Action = "export", Limit = 5 });
        Assert.That(exportAudit[0].Actor.Name, Is.EqualTo("Imogen Importer"));
        Assert.That(exportAudit[0].Note, Is.EqualTo($"{expected.Count} listings exported as CSV (listings-KS.csv)."));

        // The API: HSDS organizations of Kansas's victim service agencies, one a line, uncached; editors only.
        using var client = App.Client();
        var token = DevToken(Roles.Editor, "export-test", "Export Test");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/export?format=hsds&state=ks&kind=victim-service-agency").With(token);
        using var answer = await client.SendAsync(request);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(answer.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/x-ndjson"));
        Assert.That(answer.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(answer.Content.Headers.ContentDisposition?.FileName?.Trim('"'), Is.EqualTo("listings-KS-victim-service-agency.ndjson"));
        var names = (await answer.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("name").GetString()).ToList();
        Assert.That(names.Where(n => n!.EndsWith("ui-export", StringComparison.Ordinal)),
            Is.EquivalentTo(new[] { "Prairie Light Services ui-export", "Sunflower Survivor Network ui-export", "Heartland Safe Harbor ui-export" }));
        var refused = await client.SendAsync(HttpMethod.Get, "/v1/admin/export?format=pdf&state=XX", token);
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(refused.Body.GetProperty("errors").GetProperty("state")[0].GetString(), Is.EqualTo("Must be a two-letter US state code such as MO."));
        Assert.That(refused.Body.GetProperty("errors").GetProperty("format")[0].GetString(), Is.EqualTo("Must be csv or hsds."));
        var caseworker = DevToken(Roles.Caseworker, "export-cw", "Caseworker");
        Assert.That((await client.SendAsync(HttpMethod.Get, "/v1/admin/export", caseworker)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task An_hsds_document_is_checked_and_an_unknown_import_is_a_404_page()
    {
        await SignInAsync("Editor", "Imogen Importer");
        await Page.GotoAsync(Url("/staff/admin/imports"));
        var doc = await System.IO.File.ReadAllBytesAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Exchange", "HsdsExamples", "organization_full.json"));
        await Page.GetByLabel("HSDS 3.0 JSON (one document, a list, or a page)").CheckAsync();
        await Page.Locator("input#file[type=file]").SetInputFilesAsync(new FilePayload { Name = "organization_full.json", MimeType = "application/json", Buffer = doc });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Check", Exact = true }).ClickAsync();
        await Expect(Page.Locator(".import-ok")).ToHaveTextAsync("No problems in 1 document: the file is ready to import. Nothing was written.");
        await Expect(Page.GetByLabel("HSDS 3.0 JSON (one document, a list, or a page)")).ToBeCheckedAsync();
        await AssertAccessibleAsync(Page, "an HSDS check");

        ExpectConsoleError("the server responded with a status of 404");
        var response = await Page.GotoAsync(Url("/staff/admin/imports/0123456789abcdef0123456789abcdef"));
        Assert.That(response!.Status, Is.EqualTo(404));
        await Expect(Page.Locator(".import-message")).ToHaveTextAsync("That import is not known here: imports are kept until the service restarts. The audit log has every import's summary.");
        await AssertAccessibleAsync(Page, "an unknown import");
    }

    [Test]
    public async Task A_file_over_the_size_limit_is_refused_with_a_clear_message()
    {
        await SignInAsync("Editor", "Imogen Importer");
        await Page.GotoAsync(Url("/staff/admin/imports"));
        var token = await Page.Locator("form.import-form input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        var cookies = string.Join("; ", (await Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token!), "__RequestVerificationToken" }, { new StringContent("csv"), "format" }, { new StringContent("check"), "action" },
            { new ByteArrayContent(new byte[ReferralDirectory.Api.Admin.ImportFiles.MaxUploadBytes + 1]), "file", "huge.csv" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/staff/admin/imports") { Content = form };
        request.Headers.Add("Cookie", cookies);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("<p class=\"error\" id=\"file-error\">The file is larger than 64 MB. Split it into smaller files and upload each one.</p>"));
        Assert.That(html, Does.Contain("aria-invalid=\"true\""));
    }

    private static List<Dictionary<string, string>> ReadCsv(string text)
    {
        using var reader = new CsvRecordReader(new StringReader(text));
        var header = reader.Read()!.Fields;
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read() is { } record)
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++) row[header[i]] = record.Fields[i];
            rows.Add(row);
        }
        return rows;
    }

    [Test]
    public async Task The_imports_page_in_Spanish_passes_axe_and_a_caseworker_gets_403_and_no_link()
    {
        await SignInAsync("Editor", "Imogen Importer");
        await Page.GotoAsync(Url("/staff/admin/imports?lang=es"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Importaciones y exportaciones");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Revisar", Exact = true })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Importaciones", Exact = true })).ToBeVisibleAsync();
        await AssertAccessibleAsync(Page, "the imports page in Spanish");
        await UploadAsync(CsvFile("listados.csv", Csv(GoodRows("ui-es"))), "Revisar");
        await Expect(Page.Locator(".import-ok")).ToHaveTextAsync("No hay problemas en 5 filas: el archivo está listo para importar. No se escribió nada.");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await AssertAccessibleAsync(Page, "a check in Spanish");

        await Context.ClearCookiesAsync();
        await SignInAsync("Caseworker", "Casey Worker");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Imports" })).ToHaveCountAsync(0);
        ExpectConsoleError("the server responded with a status of 403");
        var response = await Page.GotoAsync(Url("/staff/admin/imports"));
        Assert.That(response!.Status, Is.EqualTo(403));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("You do not have access to this page");
        await AssertAccessibleAsync(Page, "the imports page's 403 for a caseworker");
        var posted = await Context.APIRequest.PostAsync(Url("/staff/admin/imports"), new()
        {
            Multipart = Context.APIRequest.CreateFormData().Set("format", "csv").Set("action", "import")
                .Set("file", new FilePayload { Name = "x.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(CsvListingColumns.Header + "\n") }),
        });
        Assert.That(posted.Status, Is.EqualTo(403));
        Assert.That((await Context.APIRequest.GetAsync(Url("/staff/admin/imports/export?state=MO"))).Status, Is.EqualTo(403));
        Assert.That((await Context.APIRequest.GetAsync(Url("/staff/admin/imports/00000000000000000000000000000000/status"))).Status, Is.EqualTo(403));
    }

    [Test]
    public async Task Signed_out_the_imports_page_redirects_to_sign_in_and_a_form_without_its_token_is_refused()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };
        using var response = await client.GetAsync("/staff/admin/imports");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/staff/sign-in?ReturnUrl=%2Fstaff%2Fadmin%2Fimports"));

        await SignInAsync("Editor", "Imogen Importer");
        var forged = await Context.APIRequest.PostAsync(Url("/staff/admin/imports"), new()
        {
            Multipart = Context.APIRequest.CreateFormData().Set("format", "csv").Set("action", "import")
                .Set("file", new FilePayload { Name = "x.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(CsvListingColumns.Header + "\n") }),
        });
        Assert.That(forged.Status, Is.EqualTo(400));
    }
}
