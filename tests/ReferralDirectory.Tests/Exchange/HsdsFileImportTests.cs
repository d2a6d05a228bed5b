using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Listings;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Exchange;

/// <summary>Bulk HSDS import (NDJSON / JSON arrays / HSDS pages) into the running service, idempotently.</summary>
[TestFixture]
public sealed class HsdsFileImportTests : DemoAppTests
{

    private static string Example(string name) => File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Exchange", "HsdsExamples", name));

    protected override DirectoryApp CreateApp() => new DirectoryApp(seedDemo: false);

    private static string Organization(string id, string name, double lat, double lon) => new JsonObject
    {
        ["id"] = id, ["name"] = name, ["description"] = "An agency.",
        ["attributes"] = new JsonArray(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["link_type"] = "referral-directory-kinds", ["value"] = "victim-service-agency" }),
        ["locations"] = new JsonArray(new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(), ["location_type"] = "physical", ["latitude"] = lat, ["longitude"] = lon,
            ["addresses"] = new JsonArray(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(), ["address_1"] = "1 Main St", ["city"] = "Columbia", ["state_province"] = "MO",
                ["postal_code"] = "65201", ["country"] = "US", ["address_type"] = "physical",
            }),
        }),
    }.ToJsonString();

    [Test]
    public async Task Ndjson_imports_then_importing_again_changes_nothing()
    {
        var a = "aaaaaaaa-0000-4000-8000-000000000001";
        var b = "aaaaaaaa-0000-4000-8000-000000000002";
        var ndjson = "\uFEFF" + Organization(a, "First Agency", 38.95, -92.33) + "\n\n" + Organization(b, "Second Agency", 38.6, -90.2) + "\n";
        var importer = new HsdsFileImporter(App.Service<DirectoryService>());
        var first = await importer.ImportAsync(() => new StringReader(ndjson), ndjson: true, dryRun: false);
        Assert.That(first.Import.Problems, Is.Empty);
        Assert.That((first.Import.Rows, first.Import.Created), Is.EqualTo((2L, 2)));
        var found = await Client.GetJsonAsync("/v1/resources/nearest?zip=65201&limit=1");
        Assert.That(found.Ids("results"), Is.EqualTo(new[] { a }));
        var org = await Client.GetJsonAsync($"/hsds/organizations/{b}");
        Assert.That(org.GetProperty("name").GetString(), Is.EqualTo("Second Agency"));

        var again = await importer.ImportAsync(() => new StringReader(ndjson), ndjson: true, dryRun: false);
        Assert.That((again.Import.Created, again.Import.Updated, again.Import.Unchanged), Is.EqualTo((0, 0, 2)));
        Assert.That((await App.Service<IDirectoryStore>().GetAsync(a))!.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task An_hsds_page_imports_and_a_file_with_an_invalid_document_writes_nothing()
    {
        var importer = new HsdsFileImporter(App.Service<DirectoryService>());
        var page = await importer.ImportAsync(() => new StringReader(Example("organization_list.json")), ndjson: false, dryRun: true);
        Assert.That(page.Import.Problems, Is.Empty);
        Assert.That(page.Import.Rows, Is.EqualTo(1));
        Assert.That(page.Warnings.Select(w => w.Message), Does.Contain("No listing kind given; imported as victim-service-agency."));

        var c = "aaaaaaaa-0000-4000-8000-000000000003";
        var bad = "[" + Organization(c, "Good", 38.9, -92.3) + ",{\"id\":\"nope\",\"name\":1}]";
        var r = await importer.ImportAsync(() => new StringReader(bad), ndjson: false, dryRun: false);
        Assert.That(r.Import.Problems.Select(p => p.ToString()), Is.EquivalentTo(new[]
        {
            "line 2, column $.id: Must be a valid uuid.",
            "line 2, column $.name: Must be a string, not a number.",
            "line 2, column $.description: Required.",
        }));
        await Client.GetJsonAsync($"/hsds/organizations/{c}", 404);
        var broken = await importer.ImportAsync(() => new StringReader("[{\"id\": "), ndjson: false, dryRun: false);
        Assert.That(broken.Import.Problems.Single().Message, Is.EqualTo("The file is not valid JSON."));
    }

    [TestCase("taxonomy.json", "taxonomy")]
    [TestCase("taxonomy_term_list.json", "taxonomy_term")]
    [TestCase("service_at_location_full.json", "service_at_location")]
    public async Task A_document_of_another_hsds_type_is_refused_with_its_type_named(string example, string type)
    {
        var importer = new HsdsFileImporter(App.Service<DirectoryService>());
        var json = Example(example);
        using var doc = JsonDocument.Parse(json);
        var expected = doc.RootElement.TryGetProperty("contents", out var contents) ? contents.GetArrayLength() : 1;
        Assert.That(expected, Is.GreaterThan(0));
        var before = await App.Service<IDirectoryStore>().CountAsync();
        var r = await importer.ImportAsync(() => new StringReader(json), ndjson: false, dryRun: false);
        var message = $"This is an HSDS {type} document. This import takes HSDS organization documents, or service documents that nest their organization (one, a list, or a page of them).";
        Assert.That(r.Import.Problems.Select(p => (p.Column, p.Message)), Is.EqualTo(Enumerable.Repeat(("$", message), expected)));
        Assert.That(r.Import.Created + r.Import.Updated, Is.Zero);
        Assert.That(await App.Service<IDirectoryStore>().CountAsync(), Is.EqualTo(before), "nothing written: no listing named after a taxonomy");
    }

    [TestCase("organization_full.json")]
    [TestCase("organization_list.json")]
    [TestCase("service_full.json")]
    [TestCase("service_list.json")]
    public async Task Organization_and_service_examples_are_read_as_their_type(string example)
    {
        var importer = new HsdsFileImporter(App.Service<DirectoryService>());
        var r = await importer.ImportAsync(() => new StringReader(Example(example)), ndjson: false, dryRun: true);
        Assert.That(r.Import.Problems.Select(p => p.Message), Has.None.StartsWith("This is an HSDS"));
        Assert.That(r.Import.Rows, Is.GreaterThan(0));
    }

    [Test]
    public void Command_line_imports_hsds_ndjson()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rd-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
            var tool = Path.Combine(RepoFiles.Root, "tools", "ReferralDirectory.Import", "bin", configuration, "net10.0", "rd-import.dll");
            var file = Path.Combine(dir, "orgs.ndjson");
            File.WriteAllText(file, Organization("aaaaaaaa-0000-4000-8000-000000000009", "Cli Agency", 38.9, -92.3) + "\n");
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { tool, file, "--db", Path.Combine(dir, "s.db") }) psi.ArgumentList.Add(arg);
            psi.Environment["NO_COLOR"] = "1";
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.That(p.ExitCode, Is.EqualTo(0), output);
            Assert.That(output, Does.Match(@"Created\s*│\s*1"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
