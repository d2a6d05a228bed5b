using System.Net;
using System.Text;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Admin;

/// <summary>Bulk imports over HTTP: dry run, problems by line and column, idempotent real runs, audit, HSDS documents.</summary>
public sealed class AdminImportTests : DemoAppTests
{
    private static string RepoFile(params string[] parts) => RepoFiles.Path(parts);

    private async Task<AdminClient.Answer> Upload(string url, string body, string contentType, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url).With(token);
        request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new AdminClient.Answer(response.StatusCode, text.Length == 0 ? default : System.Text.Json.JsonDocument.Parse(text).RootElement.Clone(), null, response);
    }

    [Test]
    public async Task Csv_dry_run_then_real_run_then_again_changes_nothing_and_is_audited()
    {
        var editor = TestTokens.Mint([Roles.Editor], oid: "00000000-0000-0000-0000-0000000000c5", name: "Casey Importer");
        var csv = (await File.ReadAllTextAsync(RepoFile("docs", "import-template.csv")))
            .Replace("agency-0042", "http-import-1", StringComparison.Ordinal).Replace("hotline-001", "http-import-2", StringComparison.Ordinal);

        var dry = await Upload("/v1/admin/import/csv?dryRun=true", csv, "text/csv", editor);
        Assert.That(dry.Status, Is.EqualTo(HttpStatusCode.OK), dry.Body.ToString());
        Assert.That(dry.Body.GetProperty("written").GetBoolean(), Is.False);
        Assert.That(dry.Body.GetProperty("rows").GetInt64(), Is.EqualTo(2));
        Assert.That(dry.Body.GetProperty("problemCount").GetInt32(), Is.Zero);
        Assert.That((await Client.GetJsonAsync("/v1/resources?q=Hope%20Harbor&state=MO")).GetProperty("total").GetInt32(), Is.Zero, "a dry run writes nothing");

        var real = await Upload("/v1/admin/import/csv", csv, "text/csv", editor);
        Assert.That(real.Status, Is.EqualTo(HttpStatusCode.OK), real.Body.ToString());
        Assert.That(real.Body.GetProperty("created").GetInt32(), Is.EqualTo(2));
        var found = await Client.GetJsonAsync("/v1/resources?q=Hope%20Harbor&state=MO");
        Assert.That(found.GetProperty("total").GetInt32(), Is.EqualTo(1));

        var again = await Upload("/v1/admin/import/csv", csv, "text/csv", editor);
        Assert.That(again.Body.GetProperty("created").GetInt32(), Is.Zero);
        Assert.That(again.Body.GetProperty("updated").GetInt32(), Is.Zero);
        Assert.That(again.Body.GetProperty("unchanged").GetInt32(), Is.EqualTo(2));

        var audit = await Client.SendAsync(HttpMethod.Get, "/v1/admin/audit?action=import&actor=00000000-0000-0000-0000-0000000000c5", TestTokens.For(Roles.Admin));
        var entries = audit.Body.GetProperty("entries").EnumerateArray().ToArray();
        Assert.That(entries, Has.Length.EqualTo(2), "one entry per listing written, none for the unchanged second run");
        Assert.That(entries.All(e => e.GetProperty("actorName").GetString() == "Casey Importer"), Is.True);
    }

    [Test]
    public async Task Csv_problems_are_reported_by_line_and_column_and_nothing_is_written()
    {
        var header = File.ReadAllLines(RepoFile("docs", "import-template.csv"))[0];
        var good = File.ReadAllLines(RepoFile("docs", "import-template.csv"))[1].Replace("agency-0042", "http-bad-1", StringComparison.Ordinal);
        var bad = good.Replace("http-bad-1", "http-bad-2", StringComparison.Ordinal).Replace("38.9517", "123.4", StringComparison.Ordinal)
            .Replace("emergency-shelter;case-management", "shelter", StringComparison.Ordinal)
            .Replace("573-555-0100", "555-0100", StringComparison.Ordinal); // no area code: the admin API refuses it, so must the import
        var csv = header + "\n" + good + "\n" + bad + "\n";
        var answer = await Upload("/v1/admin/import/csv", csv, "text/csv", TestTokens.For(Roles.Admin));
        Assert.That((int)answer.Status, Is.EqualTo(422));
        Assert.That(answer.Body.GetProperty("written").GetBoolean(), Is.False);
        var problems = answer.Body.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("line").GetInt64(), p.GetProperty("column").GetString())).ToArray();
        Assert.That(problems, Does.Contain((3L, "latitude")).And.Contain((3L, "services")).And.Contain((3L, "phone")));
        Assert.That((await Client.SendAsync(HttpMethod.Get, "/v1/admin/audit?action=import", TestTokens.For(Roles.Admin))).Body.GetProperty("entries").EnumerateArray()
            .Any(e => e.GetProperty("listingId").GetString()?.Contains("bad", StringComparison.Ordinal) == true), Is.False);
    }

    [Test]
    public async Task Hsds_documents_import_and_read_back()
    {
        // The HSDS 3.0 example document, copied into the repository with its licence (Exchange/HsdsExamples).
        var doc = await File.ReadAllTextAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Exchange", "HsdsExamples", "organization_full.json"));
        var dry = await Upload("/v1/admin/import/hsds?dryRun=true", doc, "application/json", TestTokens.For(Roles.Editor));
        Assert.That(dry.Status, Is.EqualTo(HttpStatusCode.OK), dry.Body.ToString());
        Assert.That(dry.Body.GetProperty("rows").GetInt64(), Is.EqualTo(1));
        var real = await Upload("/v1/admin/import/hsds", doc, "application/json", TestTokens.For(Roles.Editor));
        Assert.That(real.Status, Is.EqualTo(HttpStatusCode.OK), real.Body.ToString());
        Assert.That(real.Body.GetProperty("created").GetInt32(), Is.EqualTo(1));
        var broken = await Upload("/v1/admin/import/hsds", "{\"id\": 5}", "application/json", TestTokens.For(Roles.Editor));
        Assert.That((int)broken.Status, Is.EqualTo(422));
        Assert.That(broken.Body.GetProperty("problemCount").GetInt32(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Imports_need_an_editor_and_the_right_content_type()
    {
        Assert.That((await Upload("/v1/admin/import/csv?dryRun=true", "x", "text/csv", null)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Upload("/v1/admin/import/csv?dryRun=true", "x", "text/csv", TestTokens.For(Roles.Caseworker))).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Upload("/v1/admin/import/csv?dryRun=true", "x", "application/pdf", TestTokens.For(Roles.Admin))).Status, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That((await Upload("/v1/admin/import/csv?dryRun=perhaps", "x", "text/csv", TestTokens.For(Roles.Admin))).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/import/csv/template").With(TestTokens.For(Roles.Editor));
        using var template = await Client.SendAsync(request);
        Assert.That(template.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That((await template.Content.ReadAsStringAsync()).TrimEnd(), Is.EqualTo(File.ReadAllLines(RepoFile("docs", "import-template.csv"))[0]));
    }
}
