using System.Text.Json;
using ReferralDirectory.Exchange.Hsds;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Exchange;

/// <summary>The HSDS 3.0 API parameters with their HSDS meaning (modified_after, minimal, full, format=ndjson, postcode
/// for listings without a service area), over real HTTP on the demo directory, with writes through DirectoryService.</summary>
[TestFixture]
public sealed class HsdsApiParameterTests
{
    private static readonly DateTimeOffset Seeded = new(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Edited = new(2026, 11, 20, 10, 30, 0, TimeSpan.Zero);

    private DirectoryApp _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new DirectoryApp(time: new ManualTimeProvider(Seeded));
        _client = _app.Client();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private async Task Replace(string id, Func<Listing, Listing> change)
    {
        var stored = (await _app.Service<IDirectoryStore>().GetAsync(id))!;
        await _app.Service<DirectoryService>().ReplaceAsync(change(stored.Listing), stored.ETag);
    }

    private async Task<List<JsonElement>> Ndjson(string url)
    {
        using var response = await _client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-ndjson"));
        Assert.That(body, Does.EndWith("\n"));
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private async Task<List<JsonElement>> AllPages(string url)
    {
        var all = new List<JsonElement>();
        for (var p = 1; ; p++)
        {
            var page = await _client.GetJsonAsync($"{url}{(url.Contains('?') ? '&' : '?')}per_page=100&page={p}");
            all.AddRange(page.Items("contents"));
            if (page.GetProperty("last_page").GetBoolean()) return all;
        }
    }

    [Test, Order(1)]
    public async Task Format_ndjson_streams_every_result_one_per_line_without_a_page()
    {
        foreach (var (route, schema) in new[] { ("services", "service"), ("organizations", "organization"), ("service_at_locations", "service_at_location"), ("taxonomies", "taxonomy"), ("taxonomy_terms", "taxonomy_term") })
        {
            var lines = await Ndjson($"/hsds/{route}?format=ndjson");
            var paged = await AllPages($"/hsds/{route}");
            Assert.That(lines.Select(l => l.GetProperty("id").GetString()), Is.EqualTo(paged.Select(p => p.GetProperty("id").GetString())), route);
            Assert.That(lines.Select(l => l.GetRawText()), Is.EqualTo(paged.Select(p => p.GetRawText())), route);
            Assert.That(lines, Has.None.Matches<JsonElement>(l => l.TryGetProperty("contents", out _)));
            foreach (var l in lines) Assert.That(HsdsSchemaValidator.Default.Validate(l, schema), Is.Empty, l.GetRawText());
        }
        // Filters apply to the stream too (here: services of one organization).
        var org = HsdsIds.Of("organization", "demo-mid-missouri-legal-advocates");
        var services = await Ndjson($"/hsds/services?format=ndjson&organization_id={org}");
        Assert.That(services.Select(s => s.GetProperty("organization_id").GetString()).Distinct(), Is.EqualTo(new[] { org }));
        Assert.That(services, Has.Count.EqualTo((await _client.GetJsonAsync($"/hsds/services?organization_id={org}")).GetProperty("total_items").GetInt32()));
    }

    [Test, Order(2)]
    public async Task Modified_after_returns_what_changed_on_or_after_it_and_a_confidential_move_is_no_change()
    {
        var total = (await _client.GetJsonAsync("/hsds/services")).GetProperty("total_items").GetInt32();
        Assert.That((await _client.GetJsonAsync("/hsds/services?modified_after=2026-11-18T15:00:00Z")).GetProperty("total_items").GetInt32(), Is.EqualTo(total), "on or after");
        Assert.That((await _client.GetJsonAsync("/hsds/services?modified_after=2026-11-18T15:00:00.001Z")).GetProperty("total_items").GetInt32(), Is.Zero);

        _app.Time.Set(Edited);
        await Replace("demo-gateway-survivor-services", l => l with { Description = l.Description + " Open late on Thursdays." });
        // The shelter moves inside Boone County: its public view (county and state) is the same, so it did not change.
        await Replace("demo-boone-county-safe-house", l => l with
        {
            Locations = [l.Locations[0] with { Latitude = 38.9517, Longitude = -92.3341, Address = l.Locations[0].Address! with { Street1 = "1 Other Road", City = "Columbia", PostalCode = "65201" } }],
        });

        var gateway = HsdsIds.Of("organization", "demo-gateway-survivor-services");
        foreach (var after in new[] { "2026-11-19T00:00:00Z", "2026-11-20", "2026-11-20T04:30:00-06:00", "2026-11-20T10:30:00Z" })
        {
            var changed = await _client.GetJsonAsync($"/hsds/services?modified_after={Uri.EscapeDataString(after)}&per_page=100");
            var gatewayServices = (await _client.GetJsonAsync($"/hsds/services?organization_id={gateway}")).GetProperty("total_items").GetInt32();
            Assert.That(changed.GetProperty("total_items").GetInt32(), Is.EqualTo(gatewayServices), after);
            Assert.That(changed.Items("contents").Select(s => s.GetProperty("organization_id").GetString()).Distinct(), Is.EqualTo(new[] { gateway }), after);
            var sal = await _client.GetJsonAsync($"/hsds/service_at_locations?modified_after={Uri.EscapeDataString(after)}&per_page=100");
            Assert.That(sal.Items("contents").Select(s => s.GetProperty("service").GetProperty("organization_id").GetString()).Distinct(), Is.EqualTo(new[] { gateway }), after);
        }
        Assert.That((await _client.GetJsonAsync("/hsds/services?modified_after=2026-11-20T10:30:00.001Z")).GetProperty("total_items").GetInt32(), Is.Zero);

        // minimal: each service's own fields and last_modified, no nested arrays; the same values as the full service.
        var minimal = await _client.GetJsonAsync($"/hsds/services?minimal=true&organization_id={gateway}");
        Assert.That(minimal.GetProperty("total_items").GetInt32(), Is.GreaterThan(0));
        foreach (var m in minimal.Items("contents"))
        {
            Assert.That(HsdsSchemaValidator.Default.Validate(m, "service"), Is.Empty, m.GetRawText());
            Assert.That(m.GetProperty("last_modified").GetString(), Is.EqualTo("2026-11-20T10:30:00.000Z"));
            var full = await _client.GetJsonAsync($"/hsds/services/{m.GetProperty("id").GetString()}");
            var own = full.EnumerateObject().Where(p => p.Value.ValueKind is not JsonValueKind.Array and not JsonValueKind.Object).Select(p => (p.Name, p.Value.GetRawText()));
            Assert.That(m.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())), Is.EquivalentTo(own.Append(("last_modified", "\"2026-11-20T10:30:00.000Z\""))));
        }
        var safeHouse = await _client.GetJsonAsync($"/hsds/services?minimal=true&organization_id={HsdsIds.Of("organization", "demo-boone-county-safe-house")}");
        Assert.That(safeHouse.Items("contents").Select(s => s.GetProperty("last_modified").GetString()).Distinct(), Is.EqualTo(new[] { "2026-11-18T15:00:00.000Z" }));
    }

    [Test, Order(3)]
    public async Task Full_nests_the_service_of_a_service_at_location()
    {
        var org = HsdsIds.Of("organization", "demo-mid-missouri-legal-advocates");
        var plain = (await _client.GetJsonAsync($"/hsds/service_at_locations?organization_id={org}")).Items("contents").First();
        var full = (await _client.GetJsonAsync($"/hsds/service_at_locations?organization_id={org}&full=true")).Items("contents").First();
        Assert.That(plain.GetProperty("service").TryGetProperty("organization", out _), Is.False);
        Assert.That(full.GetProperty("service").GetProperty("organization").GetProperty("id").GetString(), Is.EqualTo(org));
        Assert.That(full.GetProperty("service").Items("service_at_locations").First().GetProperty("location").GetProperty("id").GetString(),
            Is.EqualTo(plain.GetProperty("location_id").GetString()));
        Assert.That(HsdsSchemaValidator.Default.Validate(full, "service_at_location"), Is.Empty, full.GetRawText());
    }

    [Test, Order(4)]
    public async Task Postcode_finds_a_confidential_location_without_a_service_area_by_its_county_never_by_its_zip()
    {
        var template = (await _app.Service<IDirectoryStore>().GetAsync("demo-boone-county-safe-house"))!.Listing;
        Listing NoArea(string id, bool confidential) => template with
        {
            Id = id,
            Name = id,
            ExternalId = null,
            ServiceAreas = [],
            Locations = [template.Locations[0] with
            {
                Id = id + "-loc", Confidential = confidential, Latitude = 39.0030, Longitude = -92.1564,
                Address = new Address { Street1 = "Route B", City = "Hallsville", State = "MO", PostalCode = "65255", CountyFips = "29019", CountyName = "Boone County" },
            }],
        };
        await _app.Service<DirectoryService>().CreateAsync(NoArea("test-hidden-shelter", confidential: true));
        await _app.Service<DirectoryService>().CreateAsync(NoArea("test-open-office", confidential: false));
        var (hidden, open) = (HsdsIds.Of("organization", "test-hidden-shelter"), HsdsIds.Of("organization", "test-open-office"));

        async Task<string?[]> Orgs(string zip) => [.. (await AllPages($"/hsds/service_at_locations?postcode={zip}"))
            .Select(c => c.GetProperty("service").GetProperty("organization_id").GetString()).Where(o => o == hidden || o == open).Distinct().Order(StringComparer.Ordinal)];

        // Its true ZIP (Hallsville) and another ZIP of Boone County (Columbia) find it alike; Cole County does not.
        Assert.That(await Orgs("65255"), Is.EqualTo(new[] { hidden, open }.Order(StringComparer.Ordinal)));
        Assert.That(await Orgs("65201"), Is.EqualTo(new[] { hidden }));
        Assert.That(await Orgs("65101"), Is.Empty);
    }

    [TestCase("/hsds/services?modified_after=yesterday", "modified_after")]
    [TestCase("/hsds/services?modified_after=2026-13-01T00:00:00Z", "modified_after")]
    [TestCase("/hsds/services?modified_after=2026-11-01T25:00:00Z", "modified_after")]
    [TestCase("/hsds/service_at_locations?modified_after=1700000000", "modified_after")]
    [TestCase("/hsds/services?minimal=maybe", "minimal")]
    [TestCase("/hsds/services?minimal=true&full=true", "minimal")]
    [TestCase("/hsds/service_at_locations?minimal=true", "minimal")]
    [TestCase("/hsds/organizations?modified_after=2026-11-01", "modified_after")]
    [TestCase("/hsds/services?format=xml", "format")]
    [TestCase("/hsds/service_at_locations?full=sometimes", "full")]
    public async Task Bad_parameters_are_400_naming_the_field(string url, string field)
    {
        var body = await _client.GetJsonAsync(url, 400);
        Assert.That(body.GetProperty("errors").TryGetProperty(field, out _), Is.True, body.GetRawText());
    }
}
