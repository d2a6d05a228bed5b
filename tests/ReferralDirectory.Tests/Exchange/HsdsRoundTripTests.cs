using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Listings;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Exchange;

/// <summary>
/// No silent loss: every official HSDS 3.0 example that can be imported (organization and service documents, alone or
/// in their list pages) is imported through the admin route, exported through /hsds, and compared value by value
/// (JSON path → value): every value comes back unchanged, apart from those under a path the import warned about.
/// </summary>
[TestFixture]
public sealed class HsdsRoundTripTests : DemoAppTests
{
    protected override DirectoryApp CreateApp() => new(seedDemo: false);

    private static string ExamplePath(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Exchange", "HsdsExamples", name);

    public static readonly string[] Importable = ["organization_full.json", "organization_list.json", "service_full.json", "service_list.json"];

    /// <summary>Every leaf (scalar, empty array, empty object) by its JSON path.</summary>
    private static Dictionary<string, JsonNode?> Leaves(JsonNode? node, string path = "$", Dictionary<string, JsonNode?>? into = null)
    {
        into ??= new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                foreach (var (k, v) in o) Leaves(v, $"{path}.{k}", into);
                break;
            case JsonArray a when a.Count > 0:
                for (var i = 0; i < a.Count; i++) Leaves(a[i], $"{path}[{i}]", into);
                break;
            default:
                into[path] = node;
                break;
        }
        return into;
    }

    private static bool Under(string path, string warned) =>
        path == warned || (path.StartsWith(warned, StringComparison.Ordinal) && path[warned.Length] is '.' or '[');

    private async Task<JsonElement> Import(string document)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/import/hsds").With(TestTokens.For(Roles.Editor));
        request.Content = new StringContent(document, Encoding.UTF8, "application/json");
        using var response = await Client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.GetRawText());
        return body;
    }

    [TestCaseSource(nameof(Importable))]
    public async Task Every_value_comes_back_unchanged_apart_from_what_the_import_warned_about(string example)
    {
        var root = JsonNode.Parse(await File.ReadAllTextAsync(ExamplePath(example)))!;
        var documents = root["contents"] is JsonArray page ? [.. page.Select(d => d!)] : new List<JsonNode> { root };
        int values = 0, equal = 0, warnedCount = 0;
        var lost = new List<string>();
        foreach (var doc in documents)
        {
            var isService = HsdsDocumentType.Of(JsonDocument.Parse(doc.ToJsonString()).RootElement) == HsdsDocumentType.Service;
            var report = await Import(doc.ToJsonString());
            var warned = report.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("column").GetString()!).ToList();
            Assert.That(report.GetProperty("warningCount").GetInt32(), Is.EqualTo(warned.Count), "every warning is listed");
            var exported = await Client.GetJsonAsync(isService ? $"/hsds/services/{doc["id"]}" : $"/hsds/organizations/{doc["id"]}");
            Assert.That(HsdsSchemaValidator.Default.Validate(exported, isService ? "service" : "organization"), Is.Empty, exported.GetRawText());
            var back = Leaves(JsonNode.Parse(exported.GetRawText()));
            foreach (var (path, value) in Leaves(doc))
            {
                values++;
                if (back.TryGetValue(path, out var b) && JsonNode.DeepEquals(b, value)) equal++;
                else if (warned.Any(w => Under(path, w))) warnedCount++;
                else lost.Add($"{path}: {value?.ToJsonString() ?? "null"} came back as {(back.TryGetValue(path, out var x) ? x?.ToJsonString() ?? "null" : "nothing")}");
            }
        }
        TestContext.Out.WriteLine($"{example}: {values} values, {equal} unchanged, {warnedCount} not kept with a warning, {lost.Count} lost silently");
        Assert.That(lost, Is.Empty, string.Join("\n", lost));
        Assert.That(equal + warnedCount, Is.EqualTo(values));
    }

    [Test]
    public async Task Nested_ids_are_kept_and_importing_the_export_again_changes_nothing()
    {
        var doc = JsonNode.Parse(await File.ReadAllTextAsync(ExamplePath("organization_full.json")))!;
        foreach (var loc in doc["locations"]!.AsArray()) { loc!["latitude"] = 38.9517; loc["longitude"] = -92.3341; }
        var first = await Import(doc.ToJsonString());
        Assert.That(first.GetProperty("created").GetInt32() + first.GetProperty("updated").GetInt32(), Is.EqualTo(1));
        var id = doc["id"]!.GetValue<string>();
        var exported = await Client.GetJsonAsync($"/hsds/organizations/{id}");
        string Ids(JsonElement e, string array) => string.Join(",", e.Items(array).Select(x => x.GetProperty("id").GetString()));
        string OriginalIds(JsonNode n, string array) => string.Join(",", n[array]!.AsArray().Select(x => x!["id"]!.GetValue<string>()));
        Assert.That(Ids(exported, "phones"), Is.EqualTo(OriginalIds(doc, "phones")));
        Assert.That(Ids(exported, "locations"), Is.EqualTo(OriginalIds(doc, "locations")));
        var service = exported.Items("services").Single();
        var original = doc["services"]![0]!;
        foreach (var array in new[] { "schedules", "languages", "phones", "service_areas", "cost_options", "required_documents", "contacts", "funding" })
            Assert.That(Ids(service, array), Is.EqualTo(OriginalIds(original, array)), array);
        Assert.That(exported.Items("locations").Single().Items("addresses").Single().GetProperty("id").GetString(),
            Is.EqualTo(doc["locations"]![0]!["addresses"]![0]!["id"]!.GetValue<string>()));

        var again = await Import(exported.GetRawText());
        Assert.That(again.GetProperty("unchanged").GetInt32(), Is.EqualTo(1), again.GetRawText());
        Assert.That((await Client.GetJsonAsync($"/hsds/organizations/{id}")).GetRawText(), Is.EqualTo(exported.GetRawText()));
    }

    [Test]
    public async Task Kept_data_of_a_location_that_becomes_confidential_is_never_exported()
    {
        // Every id made new, so no other test's import holds them.
        var fresh = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = System.Text.RegularExpressions.Regex.Replace(await File.ReadAllTextAsync(ExamplePath("organization_full.json")),
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", m => fresh.TryGetValue(m.Value, out var n) ? n : fresh[m.Value] = Guid.NewGuid().ToString());
        var doc = JsonNode.Parse(text)!;
        foreach (var loc in doc["locations"]!.AsArray()) { loc!["latitude"] = 39.0030; loc["longitude"] = -92.1564; }
        // An organization phone that names the location (kept data outside the location itself).
        doc["phones"]![0]!["location_id"] = doc["locations"]![0]!["id"]!.GetValue<string>();
        await Import(doc.ToJsonString());
        var id = doc["id"]!.GetValue<string>();
        var before = (await Client.GetJsonAsync($"/hsds/organizations/{id}")).GetRawText();
        var location = doc["locations"]![0]!;
        var secrets = new[]
        {
            location["id"]!.GetValue<string>(), location["addresses"]![0]!["id"]!.GetValue<string>(), location["addresses"]![0]!["address_1"]!.GetValue<string>(),
            location["accessibility"]![0]!["id"]!.GetValue<string>(), location["external_identifier"]!.GetValue<string>(),
        };
        foreach (var s in secrets) Assert.That(before, Does.Contain(s), "kept while the location is public");

        var store = App.Service<IDirectoryStore>();
        var stored = (await store.GetAsync(id))!;
        await App.Service<DirectoryService>().ReplaceAsync(stored.Listing with { Locations = [.. stored.Listing.Locations.Select(l => l with { Confidential = true })] }, stored.ETag);
        var serviceId = doc["services"]![0]!["id"]!.GetValue<string>();
        foreach (var url in new[] { $"/hsds/organizations/{id}", $"/hsds/services/{serviceId}", $"/hsds/service_at_locations?organization_id={id}&full=true",
                     $"/hsds/services?organization_id={id}&full=true", "/hsds/organizations?full=true", "/hsds/services?format=ndjson&full=true" })
        {
            using var response = await Client.GetAsync(url);
            var raw = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), url);
            foreach (var s in secrets.Append("39.003").Append("-92.1564")) Assert.That(raw, Does.Not.Contain(s), url);
        }
        var after = await Client.GetJsonAsync($"/hsds/organizations/{id}");
        Assert.That(after.Items("locations").Single().GetProperty("name").GetString(), Is.EqualTo("Confidential location"));
        // What was kept for the organization itself (not location data) is still there.
        Assert.That(after.GetProperty("tax_status").GetString(), Is.EqualTo(doc["tax_status"]!.GetValue<string>()));
    }

    [Test]
    public async Task An_edit_through_the_admin_api_wins_and_the_kept_hsds_data_stays()
    {
        var (org, service, phone, location, address, cost) = ("5a1e0000-0000-4000-8000-000000000001", "5a1e0000-0000-4000-8000-000000000002",
            "5a1e0000-0000-4000-8000-000000000003", "5a1e0000-0000-4000-8000-000000000004", "5a1e0000-0000-4000-8000-000000000005", "5a1e0000-0000-4000-8000-000000000006");
        var doc = new JsonObject
        {
            ["id"] = org, ["name"] = "Kept Data Agency", ["description"] = "An agency.", ["tax_status"] = "501(c)(3)",
            ["attributes"] = new JsonArray(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["link_type"] = "referral-directory-kinds", ["value"] = "victim-service-agency" }),
            ["phones"] = new JsonArray(new JsonObject { ["id"] = phone, ["number"] = "573-555-0100" }),
            ["locations"] = new JsonArray(new JsonObject
            {
                ["id"] = location, ["location_type"] = "physical", ["latitude"] = 38.9517, ["longitude"] = -92.3341,
                ["addresses"] = new JsonArray(new JsonObject
                {
                    ["id"] = address, ["address_1"] = "1 Main St", ["city"] = "Columbia", ["state_province"] = "MO", ["postal_code"] = "65201",
                    ["country"] = "US", ["address_type"] = "physical",
                }),
            }),
            ["services"] = new JsonArray(new JsonObject
            {
                ["id"] = service, ["name"] = "Advocacy", ["status"] = "active",
                ["attributes"] = new JsonArray(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["link_type"] = "referral-directory-services", ["value"] = "victim-advocacy" }),
                ["cost_options"] = new JsonArray(new JsonObject { ["id"] = cost, ["service_id"] = service, ["amount"] = 10, ["currency"] = "USD" }),
            }),
        };
        await Import(doc.ToJsonString());
        var editor = TestTokens.For(Roles.Editor);
        var current = await Client.SendAsync(HttpMethod.Get, $"/v1/admin/listings/{org}", editor);
        var input = JsonNode.Parse(current.Body.GetProperty("listing").GetRawText())!.AsObject();
        input["name"] = "Renamed Agency";
        var put = await Client.SendAsync(HttpMethod.Put, $"/v1/admin/listings/{org}", editor, input, ifMatch: current.ETag);
        Assert.That(put.Status, Is.EqualTo(HttpStatusCode.OK), put.Body.ToString());

        var exported = await Client.GetJsonAsync($"/hsds/organizations/{org}");
        Assert.That(exported.GetProperty("name").GetString(), Is.EqualTo("Renamed Agency"));
        Assert.That(exported.GetProperty("tax_status").GetString(), Is.EqualTo("501(c)(3)"));
        Assert.That(exported.Items("phones").Single().GetProperty("id").GetString(), Is.EqualTo(phone));
        Assert.That(exported.Items("locations").Single().Items("addresses").Single().GetProperty("id").GetString(), Is.EqualTo(address));
        var cost0 = exported.Items("services").Single().Items("cost_options").Single();
        Assert.That((cost0.GetProperty("id").GetString(), cost0.GetProperty("amount").GetInt32(), cost0.GetProperty("currency").GetString()), Is.EqualTo((cost, 10, "USD")));
    }
}
