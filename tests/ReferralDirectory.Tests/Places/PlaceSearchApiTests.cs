using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReferralDirectory.Places;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Places;

/// <summary>Searching by ZIP code or town name instead of lat/lon, over real HTTP.</summary>
[TestFixture]
public sealed class PlaceSearchApiTests
{
    private DirectoryApp _app = null!;
    private HttpClient _client = null!;
    private readonly CapturingLoggerProvider _logs = new();
    private static readonly Gazetteer G = Gazetteer.Default;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new DirectoryApp(configure: b =>
        {
            // Log everything, as verbosely as an operator might configure it.
            b.UseSetting("Logging:LogLevel:Default", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(_logs)));
        });
        _client = _app.Client();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private static string Raw(JsonElement e) => e.GetRawText();

    [TestCase("/v1/resources/nearest", "&limit=5")]
    [TestCase("/v1/resources/serving", "")]
    [TestCase("/v1/resources", "&radiusKm=100")]
    [TestCase("/v1/hotlines", "")]
    public async Task Zip_gives_the_same_answer_as_the_zip_areas_centre(string path, string extra)
    {
        var zip = G.FindZip("65201")!;
        var byZip = await _client.GetJsonAsync($"{path}?zip=65201{extra}");
        var byPoint = await _client.GetJsonAsync($"{path}?lat={zip.Latitude.ToString(System.Globalization.CultureInfo.InvariantCulture)}&lon={zip.Longitude.ToString(System.Globalization.CultureInfo.InvariantCulture)}{extra}");

        var q = byZip.GetProperty("query");
        Assert.That(q.GetProperty("latitude").GetDouble(), Is.EqualTo(zip.Latitude));
        Assert.That(q.GetProperty("longitude").GetDouble(), Is.EqualTo(zip.Longitude));
        Assert.That(q.GetProperty("source").GetString(), Is.EqualTo("zip"));
        Assert.That(q.GetProperty("zip").GetString(), Is.EqualTo("65201"));
        Assert.That(q.TryGetProperty("town", out _), Is.False);
        Assert.That(q.GetProperty("place").GetProperty("state").GetString(), Is.EqualTo("MO"));
        Assert.That(q.GetProperty("place").GetProperty("countyFips").GetString(), Is.EqualTo("29019"));
        Assert.That(q.GetProperty("place").GetProperty("county").GetString(), Is.EqualTo("Boone County"));
        Assert.That(byPoint.GetProperty("query").GetProperty("source").GetString(), Is.EqualTo("coordinates"));

        // Everything but the echo of how the place was given is the same.
        // (The link to the rest of servingThisPlace repeats the request's own parameters.)
        static string WithoutLink(JsonElement e) => e.ValueKind == JsonValueKind.Object
            ? string.Join(",", e.EnumerateObject().Where(p => p.Name != "next").Select(p => p.Name + ":" + p.Value.GetRawText())) : e.GetRawText();
        foreach (var prop in byZip.EnumerateObject().Where(p => p.Name is not "query" and not "nextCursor"))
            Assert.That(WithoutLink(prop.Value), Is.EqualTo(WithoutLink(byPoint.GetProperty(prop.Name))), prop.Name);
    }

    [Test]
    public async Task Zip_plus_four_resolves_to_the_five_digit_zip()
    {
        var a = await _client.GetJsonAsync("/v1/resources/nearest?zip=63101-1234&limit=3");
        var b = await _client.GetJsonAsync("/v1/resources/nearest?zip=631011234&limit=3");
        var c = await _client.GetJsonAsync("/v1/resources/nearest?zip=63101&limit=3");
        Assert.That(a.GetProperty("query").GetProperty("zip").GetString(), Is.EqualTo("63101"));
        Assert.That(Raw(a), Is.EqualTo(Raw(c)));
        Assert.That(Raw(b), Is.EqualTo(Raw(c)));
        Assert.That(c.GetProperty("query").GetProperty("place").GetProperty("countyFips").GetString(), Is.EqualTo("29510"));
        Assert.That(c.GetProperty("query").GetProperty("place").GetProperty("county").GetString(), Is.EqualTo("St. Louis city"));
    }

    [TestCase("Columbia, MO")]
    [TestCase("columbia missouri")]
    [TestCase("  Columbia,  Mo. ")]
    public async Task Near_a_town_searches_from_the_towns_centre(string town)
    {
        var city = G.FindCity("Columbia, MO").Place!;
        var body = await _client.GetJsonAsync($"/v1/resources/nearest?near={Uri.EscapeDataString(town)}&limit=3&service=case-management");
        var q = body.GetProperty("query");
        Assert.That(q.GetProperty("source").GetString(), Is.EqualTo("town"));
        Assert.That(q.GetProperty("town").GetString(), Is.EqualTo("Columbia, MO"));
        Assert.That(q.GetProperty("latitude").GetDouble(), Is.EqualTo(city.Latitude));
        Assert.That(q.GetProperty("longitude").GetDouble(), Is.EqualTo(city.Longitude));
        Assert.That(q.GetProperty("place").GetProperty("countyFips").GetString(), Is.EqualTo("29019"));
        var byPoint = await _client.GetJsonAsync($"/v1/resources/nearest?lat={city.Latitude}&lon={city.Longitude}&limit=3&service=case-management");
        Assert.That(body.Ids("results"), Is.EqualTo(byPoint.Ids("results")));
        Assert.That(body.Ids("results"), Has.Length.EqualTo(3));
        Assert.That(body.Items("hotlines").Select(h => h.GetProperty("id").GetString()), Does.Contain("national-human-trafficking-hotline"));
    }

    [Test]
    public async Task A_misspelt_town_is_a_400_with_close_matches()
    {
        var body = await _client.GetJsonAsync("/v1/resources/nearest?near=Colombia,%20MO", 400);
        var message = body.GetProperty("errors").GetProperty("near")[0].GetString()!;
        Assert.That(message, Does.StartWith("We could not find the town 'Colombia, MO'. Did you mean: "));
        Assert.That(message, Does.Contain("Columbia, MO"));
        var expected = G.FindCity("Colombia, MO").Suggestions;
        Assert.That(message, Is.EqualTo($"We could not find the town 'Colombia, MO'. Did you mean: {string.Join("; ", expected)}?"));
    }

    [Test]
    public async Task An_unknown_zip_is_a_400_that_says_so()
    {
        Assert.That(G.FindZip("00000"), Is.Null);
        var body = await _client.GetJsonAsync("/v1/resources/serving?zip=00000", 400);
        Assert.That(body.GetProperty("errors").GetProperty("zip")[0].GetString(),
            Is.EqualTo("We don't know the ZIP code 00000. Check it, or search by town with 'near' (such as near=Columbia, MO)."));
    }

    [TestCase("/v1/resources/nearest?zip=65201&lat=38&lon=-92", new[] { "lat", "lon", "zip" })]
    [TestCase("/v1/resources/nearest?zip=65201&near=Columbia,MO", new[] { "near", "zip" })]
    [TestCase("/v1/resources/serving?near=Columbia,MO&lat=38", new[] { "lat", "near" })]
    [TestCase("/v1/resources?zip=65201&lon=-92", new[] { "lon", "zip" })]
    [TestCase("/v1/hotlines?zip=65201&near=x&lat=1&lon=2", new[] { "lat", "lon", "near", "zip" })]
    public async Task Two_ways_of_giving_the_place_are_a_400_naming_the_fields(string url, string[] fields)
    {
        var body = await _client.GetJsonAsync(url, 400);
        var errors = body.GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), Is.EqualTo(fields));
        foreach (var f in fields)
            Assert.That(errors.GetProperty(f)[0].GetString(), Is.EqualTo("Give the place one way only: lat and lon, or zip, or near."));
    }

    [TestCase("zip=6310", "zip")]
    [TestCase("zip=631010", "zip")]
    [TestCase("zip=63101-12", "zip")]
    [TestCase("zip=6310a", "zip")]
    [TestCase("zip=%EF%BC%96%EF%BC%93%EF%BC%91%EF%BC%90%EF%BC%91", "zip")] // full-width digits
    [TestCase("zip=63101%27%20OR%201%3D1--", "zip")]
    [TestCase("zip=", "zip")]
    [TestCase("zip=65201&zip=63101", "zip")]
    [TestCase("near=", "near")]
    [TestCase("near=%00Columbia", "near")]
    [TestCase("near=Columbia%0A%0DMO", "near")]
    [TestCase("near=%27%3B%20DROP%20TABLE%20listings%3B--", "near")]
    [TestCase("near=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "near")]
    [TestCase("near=Columbia", "near")] // many states have a Columbia: ambiguous
    [TestCase("lat=38", "lon")]
    public async Task Hostile_or_broken_place_parameters_are_a_400_naming_the_field(string query, string field)
    {
        foreach (var path in new[] { "/v1/resources/nearest", "/v1/resources/serving", "/v1/resources", "/v1/hotlines" })
        {
            using var response = await _client.GetAsync($"{path}?{query}");
            var raw = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"{path}?{query}: {raw}");
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(JsonDocument.Parse(raw).RootElement.GetProperty("errors").TryGetProperty(field, out _), Is.True, raw);
        }
    }

    [Test]
    public async Task A_huge_near_is_refused_without_echoing_it()
    {
        var near = new string('a', 5000);
        var body = await _client.GetJsonAsync($"/v1/resources/nearest?near={near}", 400);
        Assert.That(body.GetProperty("errors").GetProperty("near")[0].GetString(), Is.EqualTo("'near' must be at most 100 characters."));
        // Beyond the server's request-line limit the answer is still a 4xx, never a 500.
        using var huge = await _client.GetAsync($"/v1/resources/nearest?near={new string('b', 20_000)}");
        Assert.That((int)huge.StatusCode, Is.InRange(400, 499));
    }

    [Test]
    public async Task Browse_takes_zip_or_near_or_nothing()
    {
        var near = await _client.GetJsonAsync("/v1/resources?near=St.%20Louis,%20MO&radiusKm=10&limit=100");
        Assert.That(near.GetProperty("query").GetProperty("town").GetString(), Is.EqualTo("Saint Louis, MO"));
        Assert.That(near.Ids("results"), Does.Contain("demo-gateway-survivor-services"));
        var state = await _client.GetJsonAsync("/v1/resources?state=MO&limit=1");
        Assert.That(state.TryGetProperty("query", out _), Is.False, "browsing a state has no searched point");
    }

    [Test]
    public async Task Searchers_zip_town_and_coordinates_are_never_logged_at_information_level()
    {
        await _client.GetJsonAsync("/v1/resources/nearest?zip=64111");
        await _client.GetJsonAsync("/v1/resources/serving?near=Sedalia,%20MO");
        await _client.GetJsonAsync("/v1/hotlines?lat=37.2153&lon=-93.2982");
        await _client.GetJsonAsync("/v1/resources/nearest?zip=99999", 400);
        Assert.That(_logs.Entries, Is.Not.Empty, "the capturing logger is wired in");
        var leaks = _logs.Entries.Where(e => e.Level >= LogLevel.Information &&
            (e.Message.Contains("64111") || e.Message.Contains("99999") || e.Message.Contains("Sedalia") || e.Message.Contains("37.2153") || e.Message.Contains("93.2982"))).ToArray();
        Assert.That(leaks, Is.Empty);
    }
}
