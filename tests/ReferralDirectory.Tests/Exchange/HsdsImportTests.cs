using System.Text.Json;
using System.Text.Json.Nodes;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Listings;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Exchange;

/// <summary>HSDS import: schema validation, the HSDS example documents, and the round trip import → store →
/// GET /hsds (the read mapping) without losing any field the model holds.</summary>
[TestFixture]
public sealed class HsdsImportTests
{
    private static string Example(string name) => File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Exchange", "HsdsExamples", name));

    /// <summary>The example organization with its location moved onto Earth (the example has latitude 100).</summary>
    private static string PatchedOrganization()
    {
        var doc = JsonNode.Parse(Example("organization_full.json"))!.AsObject();
        foreach (var loc in doc["locations"]!.AsArray())
        {
            loc!["latitude"] = 38.9517;
            loc["longitude"] = -92.3341;
        }
        return doc.ToJsonString();
    }

    [Test]
    public void The_example_organization_imports_with_warnings_for_what_the_model_cannot_keep()
    {
        var result = new HsdsImporter().ImportOrganization(Example("organization_full.json"));
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Listing, Is.Not.Null);
        var warnings = result.Warnings.Select(w => w.ToString()).ToArray();
        Assert.That(warnings, Does.Contain("$.locations[0]: Latitude 100 / longitude 101 is not a point on Earth; location not kept."));
        Assert.That(warnings, Does.Contain("$.attributes: No listing kind given; imported as victim-service-agency."));
        Assert.That(warnings, Has.Some.StartsWith("$.services[0].attributes[0]: Taxonomy term 'code' is not one of this directory's service codes"));
        Assert.That(warnings, Has.Some.StartsWith("$.services[0].service_areas[0].extent: The GeoJSON extent is not usable"));
        var l = result.Listing!;
        Assert.That((l.Id, l.ExternalId, l.Name, l.Kind), Is.EqualTo(("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "Example Organization Inc.", "victim-service-agency")));
        Assert.That(l.Locations, Is.Empty);
        var hours = l.Hours!;
        Assert.That(hours.TimeZone, Is.EqualTo("Etc/GMT-3"), "timezone 3 is UTC+3");
        Assert.That(hours.Periods.Select(p => $"{p.Day} {p.Opens:HH:mm}-{p.Closes:HH:mm}"), Is.EqualTo(new[] { "Thursday 10:00-18:00", "Friday 10:00-18:00" }));
    }

    [Test]
    public async Task Organization_round_trip_through_the_store_and_the_hsds_read_api_keeps_every_field_the_model_holds()
    {
        var json = PatchedOrganization();
        var result = new HsdsImporter().ImportOrganization(json);
        Assert.That(result.Errors, Is.Empty);
        var app = new DirectoryApp(seedDemo: false);
        try
        {
            using var client = app.Client();
            await app.Service<DirectoryService>().CreateAsync(result.Listing!);
            var original = JsonDocument.Parse(json).RootElement;
            var exported = await client.GetJsonAsync($"/hsds/organizations/{original.GetProperty("id").GetString()}");
            Assert.That(HsdsSchemaValidator.Default.Validate(exported, "organization"), Is.Empty);

            void Same(JsonElement a, JsonElement b, params string[] fields)
            {
                foreach (var f in fields)
                    Assert.That(b.TryGetProperty(f, out var v) ? v.ToString() : null, Is.EqualTo(a.GetProperty(f).ToString()), f);
            }
            Same(original, exported, "id", "name", "alternate_name", "description", "email", "website");

            var (p0, p1) = (original.Items("phones").Single(), exported.Items("phones").Single());
            Same(p0, p1, "number", "extension", "type", "description");
            Assert.That(p1.Items("languages").Select(x => x.GetProperty("code").GetString()), Is.EqualTo(p0.Items("languages").Select(x => x.GetProperty("code").GetString())));

            var (l0, l1) = (original.Items("locations").Single(), exported.Items("locations").Single());
            Same(l0, l1, "id", "name", "description", "transportation", "latitude", "longitude");
            var (a0, a1) = (l0.Items("addresses").Single(), l1.Items("addresses").Single());
            Same(a0, a1, "address_1", "address_2", "city", "region", "state_province", "postal_code", "country");

            var (s0, s1) = (original.Items("services").Single(), exported.Items("services").Single());
            Same(s0, s1, "id", "name", "alternate_name", "description", "url", "email", "status", "application_process",
                "fees_description", "eligibility_description", "minimum_age", "maximum_age", "assured_date");
            Assert.That(s1.Items("languages").Select(x => x.GetProperty("code").GetString()), Is.EqualTo(s0.Items("languages").Select(x => x.GetProperty("code").GetString())));
            var (h0, h1) = (s0.Items("schedules").Single(), s1.Items("schedules").Single());
            Same(h0, h1, "byday", "timezone", "notes", "freq");
            Same(h0, h1, "opens_at", "closes_at"); // 10:00:00 and 18:00:00 as imported (the model keeps 10:00 and 18:00)

            // Importing the export again gives the same listing.
            var again = new HsdsImporter().ImportOrganization(exported.GetRawText());
            Assert.That(again.Errors, Is.Empty);
            Assert.That(ReferralDirectory.Storage.StoreJson.Serialize(again.Listing! with { Kind = result.Listing!.Kind }),
                Is.EqualTo(ReferralDirectory.Storage.StoreJson.Serialize(result.Listing!)));
        }
        finally
        {
            app.Dispose();
        }
    }

    [Test]
    public void Service_areas_populations_and_kinds_survive_export_and_import()
    {
        var listing = ReferralDirectory.Demo.DemoDirectory.Create(new DateOnly(2026, 11, 1)).First(l => l.Id == "central-missouri-stop-human-trafficking-coalition");
        var exported = JsonSerializer.Serialize(HsdsMapper.Organization(listing, withServices: true), HsdsJson.Options);
        var back = new HsdsImporter().ImportOrganization(exported);
        Assert.That(back.Errors, Is.Empty);
        var l = back.Listing!;
        Assert.That(l.Kind, Is.EqualTo(listing.Kind));
        Assert.That(l.Populations, Is.EqualTo(listing.Populations));
        Assert.That(l.TraffickingTypes, Is.EqualTo(listing.TraffickingTypes));
        Assert.That(l.ServiceAreas.Select(a => (a.Type, a.Code)), Is.EqualTo(listing.ServiceAreas.Select(a => (a.Type, a.Code))));
        Assert.That(l.Services.Select(s => s.TaxonomyCodes), Is.EqualTo(listing.Services.Select(s => s.TaxonomyCodes)));
    }

    [Test]
    public void The_example_service_document_imports_with_its_organization()
    {
        var result = new HsdsImporter().ImportService(Example("service_full.json"));
        Assert.That(result.Errors, Is.Empty);
        var l = result.Listing!;
        Assert.That(l.Name, Is.EqualTo("Example Organization Inc."));
        Assert.That(l.Services.Single().Name, Is.EqualTo("Community Counselling"));
        Assert.That(l.Services.Single().MinimumAge, Is.EqualTo(12));
        Assert.That(l.Phones.Select(p => p.Number), Does.Contain("\"+44 1234 234567\""));
    }

    [TestCase("""{"name":"x","description":"y"}""", "$.id: Required.")]
    [TestCase("""{"id":"not-a-uuid","name":"x","description":"y"}""", "$.id: Must be a valid uuid.")]
    [TestCase("""{"id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610","name":42,"description":"y"}""", "$.name: Must be a string, not a number.")]
    [TestCase("""{"id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610","name":"x","description":"y","email":"nope"}""", "$.email: Must be an e-mail address such as help@example.org.")]
    [TestCase("""{"id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610","name":"x","description":"y","phones":[{"id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c611"}]}""", "$.phones[0].number: Required.")]
    [TestCase("""{"id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610","name":"x","description":"y","services":[{"id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c612","name":"s","status":"open"}]}""", "$.services[0].status: Must be one of: active, inactive, defunct, temporarily closed.")]
    [TestCase("""{"id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610","name":"x","description":"y","locations":{"id":1}}""", "$.locations: Must be an array, not an object.")]
    [TestCase("""[1,2,3]""", "$: Must be an object, not an array.")]
    [TestCase("""{"id": "x", """, "$: Not valid JSON (line 1).")]
    [TestCase("""{"id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610","name":"x","description":"y","website":"javascript alert"}""", "$.website: Must be a valid uri.")]
    public void Invalid_documents_are_refused_with_their_json_path(string json, string problem)
    {
        var result = new HsdsImporter().ImportOrganization(json);
        Assert.That(result.Listing, Is.Null);
        Assert.That(result.Errors.Select(e => e.ToString()), Does.Contain(problem));
    }

    [Test]
    public void Hostile_documents_fail_cleanly()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        Assert.That(new HsdsImporter().ImportOrganization(deep).Errors.Single().Message, Does.StartWith("Not valid JSON"));
        var huge = "{\"description\":\"" + new string('x', HsdsImporter.MaxDocumentBytes) + "\"}";
        Assert.That(new HsdsImporter().ImportOrganization(huge).Errors.Single().Message, Does.StartWith("The document is larger than"));
        var injection = """{"id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610","name":"'); DROP TABLE listings;--","description":"<script>alert(1)</script>"}""";
        var ok = new HsdsImporter().ImportOrganization(injection);
        Assert.That(ok.Listing!.Name, Is.EqualTo("'); DROP TABLE listings;--"));
    }
}
