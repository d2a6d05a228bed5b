using System.Text.Json;
using System.Text.Json.Nodes;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Api;

/// <summary>The committed OpenAPI document is the contract: the running service must serve exactly it.
/// After a deliberate API change, regenerate it with UPDATE_OPENAPI=1 (see README).</summary>
public sealed class OpenApiDocumentTests
{
    /// <summary>openapi/referral-directory.v1.json in the repository.</summary>
    internal static string CommittedPath() => RepoFiles.Path("openapi", "referral-directory.v1.json");

    [Test]
    public async Task Running_service_serves_the_committed_document()
    {
        using var app = new DirectoryApp();
        using var client = app.Client();
        var served = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var pretty = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var path = CommittedPath();
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, pretty);
            Assert.Pass("Wrote " + path);
        }
        Assert.That(File.Exists(path), Is.True, "openapi/referral-directory.v1.json is missing: run the tests with UPDATE_OPENAPI=1");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.That(JsonNode.DeepEquals(served, committed), Is.True,
            "The running service's OpenAPI document differs from openapi/referral-directory.v1.json. If the change is intended, run the tests with UPDATE_OPENAPI=1 and commit the file.");
        // Every operation is documented.
        foreach (var (_, item) in served["paths"]!.AsObject())
        {
            foreach (var (_, op) in item!.AsObject())
            {
                Assert.That(op!["summary"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty);
                foreach (var p in op["parameters"]?.AsArray() ?? [])
                    Assert.That(p!["description"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, p["name"]!.ToString());
            }
        }
    }

    [Test]
    public async Task Search_limits_and_defaults_in_the_document_are_the_configured_ones()
    {
        using var app = new DirectoryApp(settings: new Dictionary<string, string?>
        {
            ["Search:MaxResults"] = "30", ["Search:DefaultResults"] = "7", ["Search:MaxPageSize"] = "60", ["Search:DefaultPageSize"] = "15",
            ["Search:MaxRadiusKm"] = "400", ["Search:DefaultBrowseRadiusKm"] = "25", ["Search:DefaultServingInNearest"] = "2", ["Search:MaxTextLength"] = "120",
        });
        using var client = app.Client();
        var paths = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!["paths"]!;
        JsonNode Parameter(string path, string name) => paths[path]!["get"]!["parameters"]!.AsArray().Single(p => (string)p!["name"]! == name)!;
        string Described(string path, string name) => (string)Parameter(path, name)["description"]!;
        string? Default(string path, string name) => Parameter(path, name)["schema"]!["default"]?.ToJsonString();

        Assert.That(Described("/v1/resources/nearest", "limit"), Is.EqualTo("How many nearest listings to return (1 to 30)."));
        Assert.That(Default("/v1/resources/nearest", "limit"), Is.EqualTo("7"));
        Assert.That(Described("/v1/resources/nearest", "radiusKm"), Is.EqualTo("Only listings within this many kilometres (up to 400)."));
        Assert.That(Default("/v1/resources/nearest", "servingLimit"), Is.EqualTo("2"));
        Assert.That(Described("/v1/resources/serving", "limit"), Is.EqualTo("Page size (1 to 60)."));
        Assert.That(Default("/v1/resources/serving", "limit"), Is.EqualTo("15"));
        Assert.That(Default("/v1/resources", "radiusKm"), Is.EqualTo("25"));
        Assert.That(Described("/v1/resources", "q"), Does.EndWith("At most 120 characters."));

        // And the service behaves as documented.
        using var nearest = JsonDocument.Parse(await client.GetStringAsync("/v1/resources/nearest?lat=38.95&lon=-92.33"));
        Assert.That(nearest.RootElement.GetProperty("results").GetArrayLength(), Is.EqualTo(7));
        var tooMany = await client.GetAsync("/v1/resources/nearest?lat=38.95&lon=-92.33&limit=31");
        Assert.That(JsonNode.Parse(await tooMany.Content.ReadAsStringAsync())!["errors"]!["limit"]![0]!.GetValue<string>(), Is.EqualTo("'limit' must be between 1 and 30."));
    }
}
