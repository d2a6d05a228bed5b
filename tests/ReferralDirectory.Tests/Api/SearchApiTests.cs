using System.Net;
using System.Text.Json;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Api;

/// <summary>The public search API over real HTTP, against the demo directory.</summary>
[TestFixture]
public sealed class SearchApiTests : DemoAppTests
{

    // Demo places.
    private const string Columbia = "lat=38.9517&lon=-92.3341";
    private const string StLouis = "lat=38.6270&lon=-90.1994";

    [Test]
    public async Task Nearest_returns_listings_in_distance_order_with_km_and_miles()
    {
        var body = await Client.GetJsonAsync($"/v1/resources/nearest?{StLouis}&limit=5&kind=victim-service-agency");
        var results = body.Items("results").ToArray();
        Assert.That(results, Has.Length.EqualTo(5));
        Assert.That(results[0].GetProperty("id").GetString(), Is.EqualTo("demo-gateway-survivor-services"));
        Assert.That(results[0].GetProperty("distance").GetProperty("km").GetDouble(), Is.EqualTo(0).Within(0.01));
        var kms = results.Select(r => r.GetProperty("distance").GetProperty("km").GetDouble()).ToArray();
        Assert.That(kms, Is.Ordered);
        // River City Immigration Legal Aid (38.6105, -90.2440) is 4.287 km from downtown St. Louis (haversine, R = 6371.0088 km).
        Assert.That(results[1].GetProperty("id").GetString(), Is.EqualTo("demo-river-city-immigration-legal-aid"));
        Assert.That(kms[1], Is.EqualTo(4.29).Within(0.001));
        Assert.That(results[1].GetProperty("distance").GetProperty("miles").GetDouble(), Is.EqualTo(2.67));
        // A card: what a list of results shows, not the whole listing.
        var card = results[1];
        Assert.That(card.GetProperty("name").GetString(), Is.EqualTo("River City Immigration Legal Aid (demo)"));
        Assert.That(card.GetProperty("phone").GetString(), Is.EqualTo("(573) 555-0102"));
        Assert.That(card.GetProperty("town").GetString(), Is.EqualTo("St. Louis"));
        Assert.That(card.GetProperty("county").GetString(), Is.EqualTo("St. Louis city"));
        Assert.That(card.GetProperty("latitude").GetDouble(), Is.EqualTo(38.6105));
        Assert.That(card.GetProperty("services").EnumerateArray().Select(x => x.GetString()), Is.EqualTo(new[] { "immigration-legal-services", "civil-legal-services", "interpretation" }));
        Assert.That(card.GetProperty("languages").EnumerateArray().Select(x => x.GetString()), Is.EqualTo(new[] { "en", "es", "vi", "ar" }));
        Assert.That(card.GetProperty("openNow").GetBoolean(), Is.True, "Wednesday 09:00 in Missouri");
        Assert.That(card.GetProperty("lastVerified").GetString(), Is.EqualTo("2026-09-19"));
        Assert.That(card.TryGetProperty("description", out _) || card.TryGetProperty("locations", out _), Is.False, "details are at /v1/resources/{id}");
        Assert.That(body.GetProperty("query").GetProperty("place").GetProperty("state").GetString(), Is.EqualTo("MO"));
        Assert.That(body.GetProperty("query").GetProperty("place").GetProperty("countyFips").GetString(), Is.EqualTo("29510"));
    }

    [Test]
    public async Task Nearest_filters_by_service_population_language_and_radius()
    {
        var body = await Client.GetJsonAsync($"/v1/resources/nearest?{StLouis}&service=immigration-legal-services&language=vi");
        Assert.That(body.Ids("results"), Is.EqualTo(new[] { "demo-river-city-immigration-legal-aid" }));

        var youth = await Client.GetJsonAsync($"/v1/resources/nearest?{StLouis}&population=minors&kind=victim-service-agency&limit=50");
        Assert.That(youth.Ids("results"), Is.EqualTo(new[] { "demo-meramec-youth-haven", "demo-bootheel-survivor-services", "demo-south-central-crisis-line",
            "demo-northeast-missouri-family-support", "demo-ozarks-survivor-network", "demo-four-states-care-clinic", "demo-st-joseph-youth-outreach" }));

        var near = await Client.GetJsonAsync($"/v1/resources/nearest?{StLouis}&radiusKm=30&limit=50");
        Assert.That(near.Items("results").All(r => r.GetProperty("distance").GetProperty("km").GetDouble() <= 30), Is.True);
        Assert.That(near.Ids("results"), Does.Contain("demo-gateway-survivor-services").And.Not.Contain("demo-heartland-freedom-center"));
    }

    [Test]
    public async Task Open_now_and_24x7_follow_the_clock()
    {
        // Wednesday 09:00 in Missouri (the factory's clock): weekday offices are open.
        var open = await Client.GetJsonAsync($"/v1/resources/nearest?{Columbia}&openNow=true&kind=victim-service-agency&limit=50");
        Assert.That(open.Ids("results"), Does.Contain("demo-mid-missouri-legal-advocates"));
        App.Time.Set(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero)); // Sunday 02:00 in Missouri
        try
        {
            var night = await Client.GetJsonAsync($"/v1/resources/nearest?{Columbia}&openNow=true&kind=victim-service-agency&limit=50");
            Assert.That(night.Ids("results"), Does.Not.Contain("demo-mid-missouri-legal-advocates").And.Contain("demo-boone-county-safe-house"));
            var always = await Client.GetJsonAsync($"/v1/resources/nearest?{Columbia}&is24x7=true&kind=victim-service-agency&limit=50");
            Assert.That(always.Ids("results"), Is.EquivalentTo(night.Ids("results")));
        }
        finally
        {
            App.Time.Set(new DateTimeOffset(2026, 11, 18, 15, 0, 0, TimeSpan.Zero));
        }
    }

    [Test]
    public async Task Empty_answer_still_carries_hotlines_and_the_911_notice()
    {
        var body = await Client.GetJsonAsync($"/v1/resources/nearest?{Columbia}&service=repatriation&radiusKm=1");
        Assert.That(body.Items("results"), Is.Empty);
        // National first, then the state's (24/7 lines first), each at most twice per scope.
        Assert.That(body.Ids("hotlines"), Is.EqualTo(new[]
        {
            "national-human-trafficking-hotline", "missouri-state-highway-patrol-star-55", "missouri-ag-human-trafficking-tipline",
        }));
        Assert.That(body.Items("hotlines").Select(h => h.GetProperty("coverage").GetString()), Is.EqualTo(new[] { "nationwide", "state", "state" }));
        var national = body.Items("hotlines").First();
        Assert.That(national.Items("phones").Select(p => p.GetProperty("number").GetString()), Is.EqualTo(new[] { "1-888-373-7888", "233733" }));
        Assert.That(national.GetProperty("is24x7").GetBoolean(), Is.True);
        Assert.That(body.GetProperty("emergency").GetProperty("number").GetString(), Is.EqualTo("911"));
    }

    [Test]
    public async Task Outside_Missouri_only_the_national_hotline_covers_the_point()
    {
        // Chicago: the Missouri tipline and *55 do not cover it.
        var body = await Client.GetJsonAsync("/v1/hotlines?lat=41.8781&lon=-87.6298");
        Assert.That(body.Ids("hotlines"), Is.EqualTo(new[] { "national-human-trafficking-hotline" }));
        Assert.That(body.GetProperty("query").GetProperty("place").GetProperty("state").GetString(), Is.EqualTo("IL"));
    }

    [Test]
    public async Task Who_serves_here_includes_far_away_offices_and_statewide_listings()
    {
        // Boone County: the county's demo agencies, the Central Missouri coalition (county areas) and statewide listings.
        var body = await Client.GetJsonAsync($"/v1/resources/serving?{Columbia}");
        // Most local first (county, then state, then nationwide), then by name.
        Assert.That(body.Ids("results"), Is.EqualTo(new[]
        {
            "demo-boone-county-safe-house", "central-missouri-stop-human-trafficking-coalition", "demo-mid-missouri-legal-advocates",
            "human-trafficking-rescue-project", "missouri-ag-human-trafficking-tipline", "missouri-ag-task-force-against-human-trafficking",
            "missouri-state-highway-patrol-star-55", "stand-against-trafficking", "voca-victim-assistance-grants-missouri", "national-human-trafficking-hotline",
        }));
        Assert.That(body.Items("results").Select(r => r.GetProperty("coverage").GetString()).Distinct(), Is.EqualTo(new[] { "county", "state", "nationwide" }));
        Assert.That(body.GetProperty("total").GetInt32(), Is.EqualTo(10));

        // In the nearest answer, a listing serving the place is marked so, and the first three serving it come along.
        var nearest = await Client.GetJsonAsync($"/v1/resources/nearest?{Columbia}&limit=3");
        var first = nearest.Items("results").First(r => r.GetProperty("id").GetString() == "demo-mid-missouri-legal-advocates");
        Assert.That(first.GetProperty("coverage").GetString(), Is.EqualTo("county"));
        var serving = nearest.GetProperty("servingThisPlace");
        Assert.That(serving.Ids("results"), Is.EqualTo(new[] { "demo-boone-county-safe-house", "central-missouri-stop-human-trafficking-coalition", "demo-mid-missouri-legal-advocates" }));
        Assert.That(serving.GetProperty("total").GetInt32(), Is.EqualTo(10));
        // The rest are paged on /serving, from the cursor the nearest answer gives.
        var next = serving.GetProperty("next").GetString()!;
        Assert.That(next, Does.StartWith("/v1/resources/serving?"));
        var rest = await Client.GetJsonAsync(next);
        Assert.That(rest.Ids("results"), Is.EqualTo(body.Ids("results").Skip(3).ToArray()));
    }

    [Test]
    public async Task Confidential_location_shows_no_street_or_coordinates_and_a_banded_distance()
    {
        // Searching from a few hundred metres away: the answer must not reveal the shelter's stored point (39.0030, -92.1564).
        using var response = await Client.GetAsync("/v1/resources/nearest?lat=39.0051&lon=-92.1602&service=emergency-shelter");
        var raw = await response.Content.ReadAsStringAsync();
        var body = JsonDocument.Parse(raw).RootElement;
        var shelter = body.Items("results").Single(r => r.GetProperty("id").GetString() == "demo-boone-county-safe-house");
        Assert.That(shelter.GetProperty("confidential").GetBoolean(), Is.True);
        Assert.That(shelter.GetProperty("county").GetString(), Is.EqualTo("Boone County"));
        Assert.That(shelter.GetProperty("state").GetString(), Is.EqualTo("MO"));
        foreach (var hidden in new[] { "latitude", "longitude", "town", "street1", "postalCode" })
            Assert.That(shelter.TryGetProperty(hidden, out _), Is.False, hidden);
        Assert.That(shelter.GetProperty("approximate").GetBoolean(), Is.True);
        // The distance is to Boone County's fixed point, rounded up to 5 km: the same from anywhere this close to it.
        Assert.That(shelter.GetProperty("distance").GetProperty("km").GetDouble(), Is.EqualTo(20));
        // The stored street, town, ZIP and coordinates appear nowhere in the body.
        Assert.That(raw, Does.Not.Contain("39.003").And.Not.Contain("92.1564").And.Not.Contain("Route B").And.Not.Contain("Hallsville").And.Not.Contain("65255"));
        var whole = await Client.GetAsync("/v1/resources/demo-boone-county-safe-house");
        var wholeRaw = await whole.Content.ReadAsStringAsync();
        Assert.That(wholeRaw, Does.Not.Contain("92.1564").And.Not.Contain("Route B").And.Not.Contain("Hallsville").And.Not.Contain("65255"));
        var location = JsonDocument.Parse(wholeRaw).RootElement.Items("locations").Single();
        Assert.That(location.GetProperty("id").GetString(), Is.EqualTo("demo-boone-county-safe-house-confidential-1"));
        Assert.That(location.GetProperty("address").GetProperty("county").GetString(), Is.EqualTo("Boone County"));
    }

    [Test]
    public async Task By_service_in_a_state_pages_through_everything_in_a_stable_order()
    {
        var all = new List<string>();
        string? cursor = null;
        int total;
        var pages = 0;
        do
        {
            var body = await Client.GetJsonAsync("/v1/resources?state=MO&service=case-management&limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            total = body.GetProperty("total").GetInt32();
            all.AddRange(body.Ids("results"));
            cursor = body.TryGetProperty("nextCursor", out var c) ? c.GetString() : null;
            Assert.That(body.Ids("hotlines"), Does.Contain("missouri-ag-human-trafficking-tipline"));
            pages++;
        } while (cursor is not null && pages < 20);
        Assert.That(all, Has.Count.EqualTo(total).And.Count.EqualTo(7));
        Assert.That(all, Is.Unique);
        var names = new List<string>();
        foreach (var id in all) names.Add((await Client.GetJsonAsync($"/v1/resources/{id}")).GetProperty("name").GetString()!);
        Assert.That(names, Is.Ordered.Using((IComparer<string>)StringComparer.OrdinalIgnoreCase));
    }

    [Test]
    public async Task By_service_in_a_county_near_a_point_and_by_text()
    {
        var county = await Client.GetJsonAsync("/v1/resources?county=29019");
        Assert.That(county.Ids("results"), Does.Contain("demo-boone-county-safe-house").And.Contain("demo-mid-missouri-legal-advocates")
            .And.Contain("central-missouri-stop-human-trafficking-coalition").And.Contain("missouri-ag-human-trafficking-tipline")
            .And.Not.Contain("demo-gateway-survivor-services"));

        var near = await Client.GetJsonAsync($"/v1/resources?{StLouis}&radiusKm=25&service=immigration-legal-services,civil-legal-services");
        Assert.That(near.Ids("results"), Is.EqualTo(new[] { "demo-river-city-immigration-legal-aid" }));

        var text = await Client.GetJsonAsync("/v1/resources?state=MO&q=legal%20advoc");
        Assert.That(text.Ids("results"), Is.EqualTo(new[] { "demo-mid-missouri-legal-advocates" }));
    }

    [Test]
    public async Task A_cursor_from_another_search_is_refused()
    {
        var body = await Client.GetJsonAsync("/v1/resources?state=MO&limit=1");
        var cursor = body.GetProperty("nextCursor").GetString();
        var other = await Client.GetJsonAsync($"/v1/resources?state=KS&limit=1&cursor={cursor}", 400);
        Assert.That(other.GetProperty("errors").GetProperty("cursor")[0].GetString(), Does.Contain("different search"));
        await Client.GetJsonAsync("/v1/resources?state=MO&cursor=not-a-cursor!!", 400);
    }

    [Test]
    public async Task Resource_by_id_and_unknown_id()
    {
        var hotline = await Client.GetJsonAsync("/v1/resources/missouri-ag-human-trafficking-tipline");
        Assert.That(hotline.Items("phones").Single().GetProperty("number").GetString(), Is.EqualTo("800-700-1650"));
        var missing = await Client.GetJsonAsync("/v1/resources/no-such-listing", 404);
        Assert.That(missing.GetProperty("status").GetInt32(), Is.EqualTo(404));
        Assert.That(missing.GetProperty("title").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Taxonomy_lists_codes_with_labels()
    {
        var body = await Client.GetJsonAsync("/v1/taxonomy");
        var services = body.Items("services").ToArray();
        Assert.That(services, Has.Length.EqualTo(30));
        Assert.That(services.Select(s => s.GetProperty("code").GetString()), Does.Contain("immigration-legal-services").And.Contain("criminal-record-relief"));
        Assert.That(services.All(s => s.GetProperty("label").GetString()!.Length > 0), Is.True);
        Assert.That(body.Items("kinds").Select(k => k.GetProperty("code").GetString()), Is.EquivalentTo(new[]
        {
            "victim-service-agency", "coalition", "funding-source", "hotline", "training-resource", "government",
        }));
    }

    [TestCase("/v1/resources/nearest?lat=91&lon=0", "lat")]
    [TestCase("/v1/resources/nearest?lat=NaN&lon=0", "lat")]
    [TestCase("/v1/resources/nearest?lat=Infinity&lon=0", "lat")]
    [TestCase("/v1/resources/nearest?lat=1e400&lon=0", "lat")]
    [TestCase("/v1/resources/nearest?lat=0&lon=-180.5", "lon")]
    [TestCase("/v1/resources/nearest?lon=0", "lat")]
    [TestCase("/v1/resources/nearest?lat=0&lon=0&limit=0", "limit")]
    [TestCase("/v1/resources/nearest?lat=0&lon=0&limit=5000", "limit")]
    [TestCase("/v1/resources/nearest?lat=0&lon=0&radiusKm=-1", "radiusKm")]
    [TestCase("/v1/resources/nearest?lat=0&lon=0&radiusKm=100000", "radiusKm")]
    [TestCase("/v1/resources/nearest?lat=0&lon=0&openNow=maybe", "openNow")]
    [TestCase("/v1/resources/nearest?lat=0&lon=0&population=children", "population")]
    [TestCase("/v1/resources/nearest?lat=0&lon=0&kind=shelter", "kind")]
    [TestCase("/v1/resources/nearest?lat=0&lon=0&language=%27%3B%20DROP%20TABLE", "language")]
    [TestCase("/v1/resources/nearest?lat=1&lat=2&lon=0", "lat")]
    [TestCase("/v1/resources/nearest?lat=0&lon=0&services=crisis-hotline", "services")]
    [TestCase("/v1/resources?state=XX", "state")]
    [TestCase("/v1/resources?county=123", "county")]
    [TestCase("/v1/resources?lat=38", "lon")]
    [TestCase("/v1/hotlines?lat=abc&lon=0", "lat")]
    public async Task Bad_input_is_a_validation_problem_naming_the_field(string url, string field)
    {
        using var response = await Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(body.GetProperty("status").GetInt32(), Is.EqualTo(400));
        Assert.That(body.GetProperty("errors").TryGetProperty(field, out _), Is.True, body.ToString());
    }

    [Test]
    public async Task Unknown_service_code_lists_the_valid_ones()
    {
        var body = await Client.GetJsonAsync($"/v1/resources/nearest?{Columbia}&service=shelter", 400);
        var message = body.GetProperty("errors").GetProperty("service")[0].GetString()!;
        Assert.That(message, Does.Contain("'shelter'").And.Contain("emergency-shelter").And.Contain("youth-shelter").And.Contain("law-enforcement-reporting"));
    }

    [Test]
    public async Task Health_endpoints_answer()
    {
        Assert.That((await Client.GetJsonAsync("/health/live")).GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        var ready = await Client.GetJsonAsync("/health/ready");
        Assert.That(ready.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(ready.GetProperty("inRotation").GetBoolean(), Is.True);
        Assert.That(ready.GetProperty("checks").EnumerateObject().Select(c => (c.Name, c.Value.GetProperty("status").GetString())),
            Is.EqualTo(new[] { ("directory", "Healthy"), ("store", "Healthy"), ("sync", "Healthy") }));
        Assert.That(ready.GetProperty("checks").GetProperty("sync").GetProperty("data").GetProperty("source").GetString(), Is.EqualTo("ChangeQuery"));
    }
}
