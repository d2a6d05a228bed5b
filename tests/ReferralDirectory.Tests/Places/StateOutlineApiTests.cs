using System.Text.Json;
using NetTopologySuite.Geometries;
using ReferralDirectory.Places;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Places;

/// <summary><c>GET /v1/states/{state}/outline</c>: the simplified state and county outlines the widget draws its map
/// from, over real HTTP.</summary>
[TestFixture]
public sealed class StateOutlineApiTests
{
    private DirectoryApp _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new DirectoryApp(seedDemo: false);
        _client = _app.Client();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private static Polygon[] Polygons(JsonElement geometry)
    {
        var f = new GeometryFactory();
        LinearRing Ring(JsonElement r) => f.CreateLinearRing(r.EnumerateArray().Select(p => new Coordinate(p[0].GetDouble(), p[1].GetDouble())).ToArray());
        Polygon Poly(JsonElement rings) => f.CreatePolygon(Ring(rings[0]), rings.EnumerateArray().Skip(1).Select(Ring).ToArray());
        return geometry.GetProperty("type").GetString() == "Polygon"
            ? [Poly(geometry.GetProperty("coordinates"))]
            : geometry.GetProperty("coordinates").EnumerateArray().Select(Poly).ToArray();
    }

    [Test]
    public async Task Missouri_has_its_outline_then_every_county_simplified_and_close_to_the_real_boundary()
    {
        using var response = await _client.GetAsync("/v1/states/mo/outline");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Headers.CacheControl?.Public, Is.True);
        Assert.That(response.Headers.ETag, Is.Not.Null);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("FeatureCollection"));
        Assert.That(body.GetProperty("state").GetString(), Is.EqualTo("MO"));
        Assert.That(body.GetProperty("stateName").GetString(), Is.EqualTo("Missouri"));
        var features = body.GetProperty("features").EnumerateArray().ToList();
        Assert.That(features, Has.Count.EqualTo(116), "the state and its 114 counties and St. Louis city");
        Assert.That(features[0].GetProperty("properties").GetProperty("kind").GetString(), Is.EqualTo("state"));
        var counties = features.Skip(1).Select(f => f.GetProperty("properties")).ToList();
        Assert.That(counties.Select(c => c.GetProperty("kind").GetString()).Distinct(), Is.EqualTo(new[] { "county" }));
        Assert.That(counties.Select(c => c.GetProperty("fips").GetString()), Is.EqualTo(Gazetteer.Default.CountiesOf("MO").Select(c => c.Fips)));
        var boone = features.Single(f => f.GetProperty("properties").GetProperty("fips").GetString() == "29019");
        Assert.That(boone.GetProperty("properties").GetProperty("name").GetString(), Is.EqualTo("Boone County"));
        Assert.That(boone.GetProperty("id").GetString(), Is.EqualTo("county-29019"));

        // Simplified: fewer points than the source boundary, yet within the tolerance of it, and valid with RFC 7946 winding.
        var real = Gazetteer.Default.CountyBoundary("29019")!;
        var drawn = Polygons(boone.GetProperty("geometry"));
        Assert.That(drawn.Sum(p => p.NumPoints), Is.LessThan(real.NumPoints));
        foreach (var p in drawn)
        {
            Assert.That(p.IsValid, Is.True);
            Assert.That(NetTopologySuite.Algorithm.Orientation.IsCCW(p.ExteriorRing.CoordinateSequence), Is.True, "exterior ring counterclockwise");
            foreach (var c in p.Coordinates) Assert.That(real.Boundary.Distance(new Point(c)), Is.LessThanOrEqualTo(0.0101), "each drawn point lies on or near the real boundary");
        }
        Assert.That(new GeometryFactory().CreateMultiPolygon(drawn).Area, Is.EqualTo(real.Area).Within(3).Percent);
    }

    [TestCase("ZZ", "'ZZ' is not a U.S. state with outlines. Use a two-letter state code such as MO.")]
    [TestCase("Missouri", "That value is not a U.S. state with outlines. Use a two-letter state code such as MO.")]
    public async Task An_unknown_state_is_a_404_problem_that_says_what_to_use(string state, string detail)
    {
        var body = await _client.GetJsonAsync($"/v1/states/{state}/outline", expectedStatus: 404);
        Assert.That(body.GetProperty("title").GetString(), Is.EqualTo("Unknown state."));
        Assert.That(body.GetProperty("detail").GetString(), Is.EqualTo(detail));
    }
}
