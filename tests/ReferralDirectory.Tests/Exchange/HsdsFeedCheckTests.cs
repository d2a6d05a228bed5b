using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Exchange;

/// <summary>The feed check a publisher runs before anything is written: <c>rd-import validate FILE</c>, <c>POST
/// /v1/admin/import/hsds/validate</c> and the import's dry run, against the official HSDS 3.0 schemas.</summary>
[TestFixture]
public sealed class HsdsFeedCheckTests : DemoAppTests
{
    private static string ExamplePath(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Exchange", "HsdsExamples", name);

    public static readonly string[] Examples =
        ["organization_full.json", "organization_list.json", "service_full.json", "service_list.json", "service_at_location_full.json", "taxonomy.json", "taxonomy_term_list.json"];

    /// <summary>The official organization example with three known problems: a status HSDS does not have, an id that
    /// is no UUID, and an address without its required city.</summary>
    private static string ThreeProblems()
    {
        var doc = JsonNode.Parse(File.ReadAllText(ExamplePath("organization_full.json")))!.AsObject();
        doc["services"]![0]!["status"] = "open";
        doc["id"] = "not-a-uuid";
        doc["locations"]![0]!["addresses"]![0]!.AsObject().Remove("city");
        return doc.ToJsonString();
    }

    private static readonly (long Line, string Path)[] ThreePaths =
        [(1, "$.id"), (1, "$.locations[0].addresses[0].city"), (1, "$.services[0].status")];

    private static (long, string)[] Paths(IEnumerable<(long Line, string? Path)> problems) => [.. problems.Select(p => (p.Line, p.Path!)).Order()];

    [Test]
    public void A_document_with_three_known_problems_gives_exactly_those_three_paths_with_plain_messages()
    {
        var report = new HsdsFeedValidator().Validate(() => new StringReader(ThreeProblems()), ndjson: false);
        Assert.That(Paths(report.Problems.Select(p => (p.Line, p.Column))), Is.EqualTo(ThreePaths), string.Join("\n", report.Problems));
        Assert.That(report.Problems.Select(p => $"{p.Column}: {p.Message}").Order(), Is.EqualTo(new[]
        {
            "$.id: Must be a valid uuid.",
            "$.locations[0].addresses[0].city: Required.",
            "$.services[0].status: Must be one of: active, inactive, defunct, temporarily closed.",
        }));
        Assert.That((report.Valid, report.ProblemCount, report.Documents), Is.EqualTo((false, 3, 1L)));
    }

    [TestCaseSource(nameof(Examples))]
    public void Every_official_example_is_valid_and_told_its_type(string example)
    {
        var report = new HsdsFeedValidator().Validate(() => new StreamReader(ExamplePath(example)), ndjson: false);
        Assert.That(report.Problems, Is.Empty);
        var expected = example.Replace("_full.json", "").Replace("_list.json", "").Replace(".json", "");
        Assert.That(report.Types, Is.EqualTo(new Dictionary<string, int> { [expected] = 1 }));
    }

    [Test]
    public void Ndjson_problems_name_their_line()
    {
        var ndjson = File.ReadAllText(ExamplePath("taxonomy.json")).ReplaceLineEndings(" ") + "\n\n" + ThreeProblems() + "\n" + "[1]\n";
        var report = new HsdsFeedValidator().Validate(() => new StringReader(ndjson), ndjson: true);
        Assert.That(Paths(report.Problems.Select(p => (p.Line, p.Column))),
            Is.EqualTo(new[] { (3L, "$.id"), (3L, "$.locations[0].addresses[0].city"), (3L, "$.services[0].status"), (4L, "$") }));
        Assert.That(report.Types, Is.EqualTo(new Dictionary<string, int> { ["organization"] = 1, ["taxonomy"] = 1 }));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(string url, string body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url).With(TestTokens.For(Roles.Editor));
        request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await Client.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static (long, string)[] Paths(JsonElement body) =>
        Paths(body.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("line").GetInt64(), p.GetProperty("column").GetString())));

    [Test]
    public async Task The_admin_validate_route_and_the_dry_run_report_the_problems_and_write_nothing()
    {
        var store = App.Service<IDirectoryStore>();
        var (count, sequence) = (await store.CountAsync(), await store.LatestSequenceAsync());

        var check = await Post("/v1/admin/import/hsds/validate", ThreeProblems(), "application/json");
        Assert.That(check.Status, Is.EqualTo(HttpStatusCode.OK), check.Body.GetRawText());
        Assert.That(check.Body.GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(check.Body.GetProperty("problemCount").GetInt32(), Is.EqualTo(3));
        Assert.That(Paths(check.Body), Is.EqualTo(ThreePaths));

        var dry = await Post("/v1/admin/import/hsds?dryRun=true", ThreeProblems(), "application/json");
        Assert.That(dry.Status, Is.EqualTo(HttpStatusCode.OK), dry.Body.GetRawText());
        Assert.That(dry.Body.GetProperty("written").GetBoolean(), Is.False);
        Assert.That(Paths(dry.Body), Is.EqualTo(ThreePaths));

        // A valid feed of several types: 0 problems, counted by type; a good organization in a dry run is not written either.
        // (NDJSON: one document a line, so the pages' contents.)
        var ndjson = string.Join("\n", Examples.SelectMany(e => JsonNode.Parse(File.ReadAllText(ExamplePath(e)))!.AsObject() is var d && d["contents"] is JsonArray items
            ? items.Select(i => i!.ToJsonString()) : [d.ToJsonString()])) + "\n";
        var valid = await Post("/v1/admin/import/hsds/validate", ndjson, "application/x-ndjson");
        Assert.That(valid.Body.GetProperty("valid").GetBoolean(), Is.True, valid.Body.GetRawText());
        Assert.That(valid.Body.GetProperty("documents").GetInt64(), Is.EqualTo(7));
        Assert.That(valid.Body.GetProperty("types").GetRawText(),
            Is.EqualTo("""{"organization":2,"service":2,"service_at_location":1,"taxonomy":1,"taxonomy_term":1}"""));
        var goodDry = await Post("/v1/admin/import/hsds?dryRun=true", File.ReadAllText(ExamplePath("organization_full.json")), "application/json");
        Assert.That(goodDry.Body.GetProperty("problemCount").GetInt32(), Is.Zero, goodDry.Body.GetRawText());

        Assert.That((await store.CountAsync(), await store.LatestSequenceAsync()), Is.EqualTo((count, sequence)), "nothing was written");
        Assert.That((await Post("/v1/admin/import/hsds/validate", "{}", "text/csv")).Status, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    private static (int Exit, string Output) RdImport(params string[] args)
    {
        var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
        var tool = Path.Combine(RepoFiles.Root, "tools", "ReferralDirectory.Import", "bin", configuration, "net10.0", "rd-import.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args.Prepend(tool)) psi.ArgumentList.Add(arg);
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    [Test]
    public void Rd_import_validate_lists_every_problem_and_reads_no_store()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rd-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var bad = Path.Combine(dir, "feed.json");
            File.WriteAllText(bad, ThreeProblems());
            var (exit, output) = RdImport("validate", bad);
            Assert.That(exit, Is.EqualTo(1), output);
            Assert.That(output.ReplaceLineEndings("\n"), Is.EqualTo("""
                Documents: 1 (1 organization)
                Problems: 3
                  document 1, $.id: Must be a valid uuid.
                  document 1, $.locations[0].addresses[0].city: Required.
                  document 1, $.services[0].status: Must be one of: active, inactive, defunct, temporarily closed.
                Not valid. Nothing was written.

                """));
            var (okExit, okOutput) = RdImport("validate", ExamplePath("service_at_location_full.json"));
            Assert.That(okExit, Is.EqualTo(0), okOutput);
            Assert.That(okOutput, Does.StartWith("Documents: 1 (1 service_at_location)\nProblems: 0\nValid"));
            Assert.That(Directory.GetFiles(dir), Is.EqualTo(new[] { bad }), "no store file was made");
            Assert.That(RdImport("validate").Exit, Is.EqualTo(2));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
