using System.Text.Json;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Exchange;

/// <summary>The Open Referral HSDS 3.0 read API under /hsds, over real HTTP, against the demo directory.</summary>
[TestFixture]
public sealed class HsdsApiTests : DemoAppTests
{

    private static readonly string[] PageFields = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"];

    private static void AssertPage(JsonElement page, int total, int pageNumber, int perPage)
    {
        Assert.That(page.EnumerateObject().Select(p => p.Name), Is.EqualTo(PageFields));
        var pages = (total + perPage - 1) / perPage;
        var size = Math.Max(0, Math.Min(perPage, total - (pageNumber - 1) * perPage));
        Assert.That(page.GetProperty("total_items").GetInt32(), Is.EqualTo(total));
        Assert.That(page.GetProperty("total_pages").GetInt32(), Is.EqualTo(pages));
        Assert.That(page.GetProperty("page_number").GetInt32(), Is.EqualTo(pageNumber));
        Assert.That(page.GetProperty("size").GetInt32(), Is.EqualTo(size));
        Assert.That(page.GetProperty("contents").GetArrayLength(), Is.EqualTo(size));
        Assert.That(page.GetProperty("first_page").GetBoolean(), Is.EqualTo(pageNumber == 1));
        Assert.That(page.GetProperty("last_page").GetBoolean(), Is.EqualTo(pageNumber >= pages));
        Assert.That(page.GetProperty("empty").GetBoolean(), Is.EqualTo(size == 0));
    }

    [Test]
    public async Task Organizations_page_through_every_listing_with_hsds_fields()
    {
        var count = (await Client.GetJsonAsync("/v1/resources?includeNationwide=true&limit=1&state=MO")).GetProperty("total").GetInt32();
        var all = new List<JsonElement>();
        var first = await Client.GetJsonAsync("/hsds/organizations?per_page=7");
        var total = first.GetProperty("total_items").GetInt32();
        Assert.That(total, Is.GreaterThanOrEqualTo(count));
        for (var p = 1; p <= first.GetProperty("total_pages").GetInt32(); p++)
        {
            var page = await Client.GetJsonAsync($"/hsds/organizations?per_page=7&page={p}");
            AssertPage(page, total, p, 7);
            all.AddRange(page.Items("contents"));
        }
        Assert.That(all.Select(o => o.GetProperty("id").GetString()).Distinct().Count(), Is.EqualTo(total));
        var past = await Client.GetJsonAsync($"/hsds/organizations?per_page=7&page={first.GetProperty("total_pages").GetInt32() + 1}");
        AssertPage(past, total, first.GetProperty("total_pages").GetInt32() + 1, 7);

        // Every organization is valid against the HSDS organization schema (services: against the service schema).
        foreach (var o in all) Assert.That(HsdsSchemaValidator.Default.Validate(o, "organization"), Is.Empty, o.GetRawText());
    }

    [Test]
    public async Task One_organization_has_its_services_phones_locations_and_taxonomy_attributes()
    {
        var id = HsdsIds.Of("organization", "national-human-trafficking-hotline");
        var org = await Client.GetJsonAsync($"/hsds/organizations/{id}");
        Assert.That(org.GetProperty("id").GetString(), Is.EqualTo(id));
        Assert.That(org.GetProperty("name").GetString(), Is.EqualTo("National Human Trafficking Hotline"));
        Assert.That(org.Items("phones").Select(p => p.GetProperty("number").GetString()), Does.Contain("1-888-373-7888"));
        var service = org.Items("services").Single();
        Assert.That(service.GetProperty("status").GetString(), Is.EqualTo("active"));
        Assert.That(service.GetProperty("organization_id").GetString(), Is.EqualTo(id));
        var codes = service.Items("attributes").Select(a => a.GetProperty("taxonomy_term").GetProperty("code").GetString());
        Assert.That(codes, Is.EqualTo(new[] { "crisis-hotline", "law-enforcement-reporting", "interpretation" }));
        var schedule = service.Items("schedules").Single();
        Assert.That((schedule.GetProperty("byday").GetString(), schedule.GetProperty("opens_at").GetString(), schedule.GetProperty("closes_at").GetString()),
            Is.EqualTo(("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")));
        Assert.That(service.Items("service_areas").Single().GetProperty("extent").GetString(), Is.EqualTo("nationwide"));
        var kind = org.Items("attributes").Single(a => a.GetProperty("link_type").GetString() == "referral-directory-kinds");
        Assert.That(kind.GetProperty("value").GetString(), Is.EqualTo("hotline"));
        Assert.That(HsdsSchemaValidator.Default.Validate(service, "service"), Is.Empty);

        var byService = await Client.GetJsonAsync($"/hsds/services/{service.GetProperty("id").GetString()}");
        Assert.That(byService.GetProperty("organization").GetProperty("id").GetString(), Is.EqualTo(id));
        Assert.That(HsdsSchemaValidator.Default.Validate(byService, "service"), Is.Empty, byService.GetRawText());

        await Client.GetJsonAsync($"/hsds/organizations/{Guid.Empty}", 404);
        await Client.GetJsonAsync("/hsds/services/not-a-uuid", 404);
        await Client.GetJsonAsync($"/hsds/organizations/{new string('a', 5000)}", 404);
    }

    [Test]
    public async Task A_confidential_location_has_no_street_postal_code_or_coordinates()
    {
        var id = HsdsIds.Of("organization", "demo-boone-county-safe-house");
        using var response = await Client.GetAsync($"/hsds/organizations/{id}");
        var raw = await response.Content.ReadAsStringAsync();
        var loc = JsonDocument.Parse(raw).RootElement.Items("locations").Single();
        Assert.That(loc.GetProperty("name").GetString(), Is.EqualTo("Confidential location"));
        Assert.That(loc.TryGetProperty("latitude", out _), Is.False);
        Assert.That(loc.TryGetProperty("longitude", out _), Is.False);
        var address = loc.Items("addresses").Single();
        Assert.That(address.GetProperty("address_1").GetString(), Is.Empty);
        Assert.That(address.GetProperty("postal_code").GetString(), Is.Empty);
        Assert.That(address.GetProperty("city").GetString(), Is.Empty, "a town would locate a small-town shelter");
        Assert.That(address.GetProperty("region").GetString(), Is.EqualTo("Boone County"));
        Assert.That(address.GetProperty("state_province").GetString(), Is.EqualTo("MO"));
        Assert.That(raw, Does.Not.Contain("39.003").And.Not.Contain("-92.1564").And.Not.Contain("Route B").And.Not.Contain("Hallsville").And.Not.Contain("65255"));

        // Nor through services or service_at_locations.
        var sal = await Client.GetAsync($"/hsds/service_at_locations?organization_id={id}");
        var salRaw = await sal.Content.ReadAsStringAsync();
        Assert.That(salRaw, Does.Not.Contain("39.003").And.Not.Contain("-92.1564").And.Not.Contain("Route B").And.Not.Contain("Hallsville"));
        var salPage = JsonDocument.Parse(salRaw).RootElement;
        Assert.That(salPage.GetProperty("total_items").GetInt32(), Is.GreaterThan(0));
        var one = salPage.Items("contents").First();
        using var single = await Client.GetAsync($"/hsds/service_at_locations/{one.GetProperty("id").GetString()}");
        var singleRaw = await single.Content.ReadAsStringAsync();
        Assert.That(JsonDocument.Parse(singleRaw).RootElement.GetProperty("location").GetProperty("name").GetString(), Is.EqualTo("Confidential location"));
        Assert.That(singleRaw, Does.Not.Contain("39.003").And.Not.Contain("-92.1564").And.Not.Contain("Route B").And.Not.Contain("Hallsville"));
    }

    [Test]
    public async Task Services_filter_by_taxonomy_term_taxonomy_and_organization()
    {
        var term = HsdsIds.Of("taxonomy_term", "referral-directory-services:immigration-legal-services");
        var page = await Client.GetJsonAsync($"/hsds/services?taxonomy_term_id={term}&per_page=100");
        var expected = (await Client.GetJsonAsync("/v1/resources?state=MO&service=immigration-legal-services&includeNationwide=true&limit=100")).Ids("results");
        var orgIds = page.Items("contents").Select(s => s.GetProperty("organization_id").GetString()).Distinct().ToArray();
        Assert.That(orgIds, Is.EquivalentTo(expected.Select(e => HsdsIds.Of("organization", e))));
        foreach (var s in page.Items("contents"))
            Assert.That(s.Items("attributes").Select(a => a.GetProperty("taxonomy_term_id").GetString()), Does.Contain(term));

        var terms = await Client.GetJsonAsync($"/hsds/taxonomy_terms?taxonomy_id={HsdsIds.Of("taxonomy", "referral-directory-services")}&per_page=100");
        Assert.That(terms.GetProperty("total_items").GetInt32(), Is.EqualTo(ReferralDirectory.Model.Taxonomy.All.Count));
        Assert.That(terms.Items("contents").First().GetProperty("code").GetString(), Is.EqualTo("crisis-hotline"));
        var termId = terms.Items("contents").First().GetProperty("id").GetString();
        Assert.That((await Client.GetJsonAsync($"/hsds/taxonomy_terms/{termId}")).GetProperty("code").GetString(), Is.EqualTo("crisis-hotline"));
        Assert.That((await Client.GetJsonAsync($"/hsds/taxonomies/{HsdsIds.Of("taxonomy", "referral-directory-services")}")).GetProperty("name").GetString(),
            Is.EqualTo("Referral Directory services"));
        await Client.GetJsonAsync($"/hsds/taxonomies/{Guid.Empty}", 404);
        var taxonomies = await Client.GetJsonAsync("/hsds/taxonomies");
        AssertPage(taxonomies, 4, 1, 50);
        var info = await Client.GetJsonAsync("/hsds/");
        Assert.That(info.GetProperty("version").GetString(), Is.EqualTo("3.0"));
        Assert.That(info.GetProperty("openapi_url").GetString(), Does.EndWith("/openapi/v1.json"));
    }

    [Test]
    public async Task Service_at_locations_by_postcode_and_proximity()
    {
        // Proximity: metres from the ZIP area's centre, nearest first; public distances match the v1 search.
        var zip = ReferralDirectory.Places.Gazetteer.Default.FindZip("63101")!;
        var page = await Client.GetJsonAsync("/hsds/service_at_locations?postcode=63101&proximity=5000&per_page=100");
        var near = await Client.GetJsonAsync($"/v1/resources?lat={zip.Latitude}&lon={zip.Longitude}&radiusKm=5&limit=100");
        var orgs = page.Items("contents").Select(c => c.GetProperty("service").GetProperty("organization_id").GetString()).Distinct();
        Assert.That(orgs, Is.EquivalentTo(near.Ids("results").Select(e => HsdsIds.Of("organization", e))));
        Assert.That(page.GetProperty("total_items").GetInt32(), Is.GreaterThan(0));

        // Postcode alone: who serves that ZIP (by service area).
        var serving = await Client.GetJsonAsync("/hsds/service_at_locations?postcode=65201&per_page=100");
        var servingOrgs = serving.Items("contents").Select(c => c.GetProperty("service").GetProperty("organization_id").GetString()).Distinct().ToArray();
        Assert.That(servingOrgs, Does.Contain(HsdsIds.Of("organization", "demo-mid-missouri-legal-advocates")));
        Assert.That(servingOrgs, Does.Not.Contain(HsdsIds.Of("organization", "demo-gateway-survivor-services")));
    }

    [TestCase("/hsds/organizations?page=0", "page")]
    [TestCase("/hsds/organizations?per_page=1000", "per_page")]
    [TestCase("/hsds/organizations?format=csv", "format")]
    [TestCase("/hsds/organizations?unknown=1", "unknown")]
    [TestCase("/hsds/services?taxonomy_term_id=%27%20OR%201%3D1", "taxonomy_term_id")]
    [TestCase("/hsds/services?organization_id=x", "organization_id")]
    [TestCase("/hsds/service_at_locations?postcode=00000", "postcode")]
    [TestCase("/hsds/service_at_locations?postcode=abc", "postcode")]
    [TestCase("/hsds/service_at_locations?proximity=1000", "proximity")]
    [TestCase("/hsds/service_at_locations?postcode=63101&proximity=-1", "proximity")]
    [TestCase("/hsds/service_at_locations?postcode=63101&proximity=NaN", "proximity")]
    [TestCase("/hsds/taxonomy_terms?taxonomy_id=%3Cscript%3E", "taxonomy_id")]
    public async Task Bad_parameters_are_400_naming_the_field(string url, string field)
    {
        var body = await Client.GetJsonAsync(url, 400);
        Assert.That(body.GetProperty("errors").TryGetProperty(field, out _), Is.True, body.GetRawText());
    }
}
