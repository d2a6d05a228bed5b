using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Places;

/// <summary>A county service area resolves to the county's real boundary: through HTTP, a listing serving Boone
/// County, MO (29019) serves points all over the county and none outside it.</summary>
[TestFixture]
public sealed class CountyServiceAreaApiTests
{
    private DirectoryApp _app = null!;
    private HttpClient _client = null!;
    private const string Id = "boone-county-only-outreach";

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new DirectoryApp(seedDemo: false);
        _client = _app.Client();
        await _app.Service<DirectoryService>().CreateAsync(new Listing
        {
            Id = Id, Kind = ListingKinds.VictimServiceAgency, Name = "Boone County Only Outreach",
            // The office is in Kansas City, far outside the county it serves.
            Locations = [new Location { Id = "office", Latitude = 39.0997, Longitude = -94.5786, Address = new Address { City = "Kansas City", State = "MO" } }],
            ServiceAreas = [new ServiceArea { Type = ServiceAreaTypes.County, Code = "29019", Name = "Boone County, MO" }],
            Services = [new Service { Id = "outreach", Name = "Outreach", TaxonomyCodes = ["case-management"] }],
        });
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
    }

    // Towns and corners of Boone County (FIPS 29019).
    [TestCase(38.9517, -92.3341, "Columbia")]
    [TestCase(38.7745, -92.2571, "Ashland")]
    [TestCase(39.2103, -92.1377, "Centralia")]
    [TestCase(39.1170, -92.2210, "Hallsville")]
    [TestCase(39.1428, -92.4613, "Harrisburg")]
    [TestCase(39.2390, -92.3400, "Sturgeon")]
    [TestCase(38.6900, -92.3000, "near the southern tip, above the Missouri River")]
    public async Task Serves_points_inside_the_county(double lat, double lon, string what)
    {
        Assert.That(Gazetteer.Default.Locate(lat, lon).County?.Fips, Is.EqualTo("29019"), $"test data: {what} is in Boone County");
        var body = await _client.GetJsonAsync($"/v1/resources/serving?lat={lat}&lon={lon}");
        var hit = body.Items("results").Single(r => r.GetProperty("id").GetString() == Id);
        Assert.That(hit.GetProperty("coverage").GetString(), Is.EqualTo("county"), what);
    }

    // Just outside, in each neighbouring county, and the office's own city.
    [TestCase(38.8467, -91.9479, "29027", "Fulton, Callaway County")]
    [TestCase(38.5767, -92.1735, "29051", "Jefferson City, Cole County")]
    [TestCase(38.9736, -92.7432, "29053", "Boonville, Cooper County")]
    [TestCase(39.4184, -92.4382, "29175", "Moberly, Randolph County")]
    [TestCase(39.1717, -92.6857, "29089", "Fayette, Howard County")]
    [TestCase(39.3389, -92.0574, "29007", "Audrain County, east of Centralia")]
    [TestCase(39.0997, -94.5786, "29095", "Kansas City: the office, outside the area")]
    public async Task Does_not_serve_points_outside_the_county(double lat, double lon, string county, string what)
    {
        Assert.That(Gazetteer.Default.Locate(lat, lon).County?.Fips, Is.EqualTo(county), $"test data: {what}");
        var body = await _client.GetJsonAsync($"/v1/resources/serving?lat={lat}&lon={lon}");
        Assert.That(body.Ids("results"), Does.Not.Contain(Id), what);
    }

    [Test]
    public async Task Zip_and_town_searches_find_it_too()
    {
        Assert.That((await _client.GetJsonAsync("/v1/resources/serving?zip=65203")).Ids("results"), Is.EqualTo(new[] { Id }));
        Assert.That((await _client.GetJsonAsync("/v1/resources/serving?near=Centralia,%20MO")).Ids("results"), Is.EqualTo(new[] { Id }));
        Assert.That((await _client.GetJsonAsync("/v1/resources/serving?near=Fulton,%20MO")).Ids("results"), Is.Empty);
    }
}
