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
}
