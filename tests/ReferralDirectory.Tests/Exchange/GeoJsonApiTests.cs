using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Exchange;

/// <summary>Search answers as GeoJSON (RFC 7946) FeatureCollections for Accept: application/geo+json.</summary>
[TestFixture]
public sealed class GeoJsonApiTests : DemoAppTests
{

    private async Task<(HttpResponseMessage Response, string Raw)> Get(string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        var response = await Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> GeoJson(string url, string accept = "application/geo+json")
    {
        var (response, raw) = await Get(url, accept);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), raw);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/geo+json"));
        Assert.That(response.Headers.Vary, Does.Contain("Accept"));
        return JsonDocument.Parse(raw).RootElement.Clone();
    }

    [Test]
    public async Task Nearest_is_a_feature_collection_with_one_point_feature_per_result_in_order()
    {
        const string url = "/v1/resources/nearest?lat=38.6270&lon=-90.1994&limit=5&kind=victim-service-agency";
        var json = await Client.GetJsonAsync(url);
        var geo = await GeoJson(url);
        Assert.That(geo.GetProperty("type").GetString(), Is.EqualTo("FeatureCollection"));
        var features = geo.Items("features").Where(f => f.GetProperty("properties").GetProperty("list").GetString() == "results").ToArray();
        Assert.That(features.Select(f => f.GetProperty("id").GetString()), Is.EqualTo(json.Ids("results")));
        var first = features[0];
        Assert.That(first.GetProperty("type").GetString(), Is.EqualTo("Feature"));
        var geometry = first.GetProperty("geometry");
        Assert.That(geometry.GetProperty("type").GetString(), Is.EqualTo("Point"));
        // [lon, lat] order.
        Assert.That(geometry.GetProperty("coordinates")[0].GetDouble(), Is.EqualTo(-90.1994));
        Assert.That(geometry.GetProperty("coordinates")[1].GetDouble(), Is.EqualTo(38.6270));
        var props = first.GetProperty("properties");
        Assert.That(props.GetProperty("id").GetString(), Is.EqualTo("demo-gateway-survivor-services"));
        Assert.That(props.GetProperty("kind").GetString(), Is.EqualTo("victim-service-agency"));
        Assert.That(props.GetProperty("distance").GetProperty("km").GetDouble(), Is.EqualTo(0));
        Assert.That(props.TryGetProperty("approximate", out _), Is.False);
        // The properties are the JSON answer's card, with the list it is in.
        var card = json.Items("results").First();
        foreach (var p in card.EnumerateObject()) Assert.That(props.GetProperty(p.Name).GetRawText(), Is.EqualTo(p.Value.GetRawText()), p.Name);
        // The safety content travels along as foreign members.
        Assert.That(geo.Items("hotlines").Select(h => h.GetProperty("id").GetString()), Does.Contain("national-human-trafficking-hotline"));
        Assert.That(geo.GetProperty("emergency").GetProperty("number").GetString(), Is.EqualTo("911"));
        Assert.That(geo.GetProperty("query").GetProperty("place").GetProperty("countyFips").GetString(), Is.EqualTo("29510"));
        // servingThisPlace listings follow, marked as such.
        var serving = geo.Items("features").Where(f => f.GetProperty("properties").GetProperty("list").GetString() == "servingThisPlace");
        Assert.That(serving.Select(f => f.GetProperty("id").GetString()), Is.EqualTo(json.GetProperty("servingThisPlace").Ids("results")));
        Assert.That(geo.GetProperty("servingTotal").GetInt32(), Is.EqualTo(json.GetProperty("servingThisPlace").GetProperty("total").GetInt32()));
    }

    [Test]
    public async Task A_confidential_location_is_its_county_area_never_its_point()
    {
        var (response, raw) = await Get("/v1/resources/nearest?lat=39.0051&lon=-92.1602&service=emergency-shelter", "application/geo+json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var geo = JsonDocument.Parse(raw).RootElement;
        var shelter = geo.Items("features").First(f => f.GetProperty("id").GetString() == "demo-boone-county-safe-house");
        var geometry = shelter.GetProperty("geometry");
        Assert.That(geometry.GetProperty("type").GetString(), Is.AnyOf("Polygon", "MultiPolygon"));
        Assert.That(shelter.GetProperty("properties").GetProperty("approximate").GetBoolean(), Is.True);
        Assert.That(shelter.GetProperty("properties").GetProperty("distance").GetProperty("km").GetDouble(), Is.EqualTo(20));
        Assert.That(shelter.GetProperty("properties").GetProperty("county").GetString(), Is.EqualTo("Boone County"));
        Assert.That(shelter.GetProperty("properties").TryGetProperty("town", out _), Is.False);
        // The polygon is Boone County's outline, simplified to about 500 m (exterior ring counterclockwise, closed).
        var ring = (geometry.GetProperty("type").GetString() == "Polygon" ? geometry.GetProperty("coordinates") : geometry.GetProperty("coordinates")[0])[0];
        var pts = ring.EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToArray();
        Assert.That(pts[0], Is.EqualTo(pts[^1]));
        var signedArea = 0.0;
        for (var i = 0; i < pts.Length - 1; i++) signedArea += pts[i].X * pts[i + 1].Y - pts[i + 1].X * pts[i].Y;
        Assert.That(signedArea, Is.GreaterThan(0), "counterclockwise");
        var boone = NetTopologySuite.Simplify.TopologyPreservingSimplifier.Simplify(ReferralDirectory.Places.Gazetteer.Default.CountyBoundary("29019")!, 0.005);
        Assert.That(pts.Length, Is.EqualTo(((NetTopologySuite.Geometries.Polygon)(boone is NetTopologySuite.Geometries.MultiPolygon mp ? mp.Geometries[0] : boone)).ExteriorRing.NumPoints));
        // Neither the stored point nor the street appear anywhere in the answer.
        Assert.That(raw, Does.Not.Contain("39.003,").And.Not.Contain("-92.1564").And.Not.Contain("Route B").And.Not.Contain("Hallsville"));
    }

    [Test]
    public async Task Serving_and_browse_answer_geojson_too()
    {
        var serving = await GeoJson("/v1/resources/serving?zip=65201");
        Assert.That(serving.Items("features").Select(f => f.GetProperty("id").GetString()),
            Is.EqualTo((await Client.GetJsonAsync("/v1/resources/serving?zip=65201")).Ids("results")));
        Assert.That(serving.GetProperty("query").GetProperty("zip").GetString(), Is.EqualTo("65201"));

        var browse = await GeoJson("/v1/resources?state=MO&limit=5");
        var json = await Client.GetJsonAsync("/v1/resources?state=MO&limit=5");
        Assert.That(browse.Items("features").Select(f => f.GetProperty("id").GetString()), Is.EqualTo(json.Ids("results")));
        Assert.That(browse.GetProperty("total").GetInt32(), Is.EqualTo(json.GetProperty("total").GetInt32()));
        Assert.That(browse.GetProperty("nextCursor").GetString(), Is.EqualTo(json.GetProperty("nextCursor").GetString()));
        // A hotline without a location has a null geometry (an unlocated feature, RFC 7946 section 3.2).
        var national = await GeoJson("/v1/resources/serving?lat=38.6270&lon=-90.1994&kind=hotline");
        var nhth = national.Items("features").Single(f => f.GetProperty("id").GetString() == "national-human-trafficking-hotline");
        Assert.That(nhth.GetProperty("geometry").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [TestCase("application/json")]
    [TestCase("*/*")]
    [TestCase("application/json, application/geo+json;q=0.5")]
    public async Task Json_stays_the_default(string accept)
    {
        var (response, raw) = await Get("/v1/resources/nearest?lat=38.6270&lon=-90.1994&limit=1", accept);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(JsonDocument.Parse(raw).RootElement.TryGetProperty("results", out _), Is.True);
    }

    [Test]
    public async Task Errors_stay_problem_json()
    {
        var (response, raw) = await Get("/v1/resources/nearest?zip=abc", "application/geo+json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), raw);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }
}
