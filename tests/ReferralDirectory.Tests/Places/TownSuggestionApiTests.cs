using System.Net;
using System.Text.Json;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Places;

/// <summary><c>GET /v1/places/towns</c>: the towns the search box suggests while someone types, over real HTTP.</summary>
[TestFixture]
public sealed class TownSuggestionApiTests
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

    private async Task<string[]> Labels(string query)
    {
        using var response = await _client.GetAsync("/v1/places/towns?" + query);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), query);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. body.RootElement.GetProperty("towns").EnumerateArray().Select(t => t.GetProperty("label").GetString()!)];
    }

    [Test]
    public async Task Towns_starting_with_the_typed_text_come_largest_first_with_the_preferred_state_first()
    {
        Assert.That(await Labels("q=colu"), Is.EqualTo(new[]
        {
            "Columbus, OH", "Columbia, SC", "Columbus, GA", "Columbia, MO", "Columbus, MS", "Columbia, MD", "Columbus, IN", "Columbia, TN",
        }));
        Assert.That(await Labels("q=Colu&state=MO&limit=3"), Is.EqualTo(new[] { "Columbia, MO", "Columbus, OH", "Columbia, SC" }));
    }

    [Test]
    public async Task Typed_text_is_compared_as_search_compares_town_names()
    {
        // "St." is "Saint", case and punctuation do not count: every suggestion is a name near= finds.
        Assert.That(await Labels("q=st.%20lou&limit=3"), Is.EqualTo(new[] { "Saint Louis, MO", "Saint Louis, MI", "Saint Louis, OK" }));
        Assert.That(await Labels("q=ST%20LOUIS&state=MO&limit=1"), Is.EqualTo(new[] { "Saint Louis, MO" }));
        // Text after a comma narrows to the states whose code or name starts with it.
        Assert.That(await Labels("q=springfield,%20m"), Is.EqualTo(new[] { "Springfield, MA", "Springfield, MO", "Springfield, ME", "Springfield, MN", "Springfield Bmc, MA" }));
        Assert.That(await Labels("q=springfield,%20mi&state=MN"), Is.EqualTo(new[] { "Springfield, MN", "Springfield, MO" }), "MI, Michigan, Minnesota, Mississippi, Missouri");
        Assert.That(await Labels("q=springfield,%20miss"), Is.EqualTo(new[] { "Springfield, MO" }), "Mississippi has none");
        foreach (var label in await Labels("q=jeff&state=MO"))
            Assert.That(Gazetteer.Default.FindCity(label).Found, Is.True, label);
        Assert.That(await Labels("q=zzzzqq"), Is.Empty);
        Assert.That(await Labels("q=...."), Is.Empty, "nothing left to compare after punctuation");
    }

    [Test]
    public async Task Answers_are_public_and_cached_like_every_public_read()
    {
        using var response = await _client.GetAsync("/v1/places/towns?q=colu");
        Assert.That(response.Headers.CacheControl?.Public, Is.True);
        Assert.That(response.Headers.ETag, Is.Not.Null);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/v1/places/towns?q=colu");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await _client.SendAsync(again);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [TestCase("", "q", "'q' is required: the start of a town's name.")]
    [TestCase("q=colu&state=ZZ", "state", FieldRules.StateHint)]
    [TestCase("q=colu&limit=11", "limit", "'limit' must be between 1 and 10.")]
    [TestCase("q=colu&q=jeff", "q", "Give 'q' once.")]
    [TestCase("q=colu&near=x", "near", "Unknown query parameter 'near'. This endpoint takes: limit, q, state.")]
    public async Task Bad_parameters_are_400_problems_naming_the_field(string query, string field, string message)
    {
        using var response = await _client.GetAsync("/v1/places/towns?" + query);
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(body.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), Is.EqualTo(message));
    }
}
