using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Demo;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Safety;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Safety;

/// <summary>
/// The public view of a confidential location depends only on its county, its state and the listing's non-location
/// fields. Proven by difference: directories that differ only in where a shelter is inside its county (and in its
/// location's id) answer every public request, in every representation, byte for byte the same; so do answers
/// before and after an editor moves it inside the county; a move to another county changes only what the county
/// explains. And by attack: town names, moved locations and replayed cursors give nothing finer than the county.
/// </summary>
[TestFixture]
public sealed partial class ConfidentialLocationTests
{
    private const string Shelter = "demo-boone-county-safe-house";
    private static readonly DateOnly Today = new(2026, 11, 18);
    private static readonly byte[] CursorSecret = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3))];
    private static readonly Gazetteer G = Gazetteer.Default;

    /// <summary>The demo directory with the Boone County shelter at another point and location id (county kept or changed).</summary>
    private static IReadOnlyList<Listing> DemoWithShelterAt(double lat, double lon, string locationId, string street, string town, string zip, string countyFips)
    {
        var county = G.County(countyFips)!;
        return [.. DemoDirectory.Create(Today).Select(l => l.Id != Shelter ? l : l with
        {
            Locations =
            [
                l.Locations[0] with
                {
                    Id = locationId, Latitude = lat, Longitude = lon,
                    Address = l.Locations[0].Address! with { Street1 = street, City = town, PostalCode = zip, CountyFips = countyFips, CountyName = county.DisplayName },
                },
            ],
        })];
    }

    private static async Task<DirectoryApp> Start(IReadOnlyList<Listing> listings)
    {
        var path = Path.Combine(Path.GetTempPath(), "rd-tests", Guid.NewGuid().ToString("N"), "directory.db");
        var store = new SqliteDirectoryStore(path, TimeProvider.System);
        await store.InitializeAsync();
        await store.ImportSecretAsync(PageCursors.SecretName, CursorSecret);
        await store.CreateManyAsync(listings);
        return new DirectoryApp(path, seedDemo: false, ownsFile: true);
    }

    // ------------------------------------------------------------------ the public surface, as requests

    private static readonly string[] Points =
    [
        .. new[] { (39.0030, -92.1564), (39.0051, -92.1602), (38.9517, -92.3341), (38.9569, -92.3458), (39.1170, -92.2210), (38.7745, -92.2571),
            (38.6270, -90.1994), (39.0997, -94.5786), (37.2090, -93.2923), (38.5767, -92.1735), (40.1948, -92.5833), (41.8781, -87.6298) }
            .Select(p => $"lat={p.Item1.ToString(CultureInfo.InvariantCulture)}&lon={p.Item2.ToString(CultureInfo.InvariantCulture)}"),
        "zip=65201", "zip=65255", "zip=65202", "near=Columbia,%20MO", "near=Hallsville,%20MO", "near=Centralia,%20MO",
    ];

    /// <summary>Every public request to compare: each route and representation over many places and filters, HSDS too.</summary>
    private static IEnumerable<(string Url, string? Accept)> PublicRequests()
    {
        foreach (var p in Points)
        {
            foreach (var accept in new string?[] { null, "application/geo+json" })
            {
                yield return ($"/v1/resources/nearest?{p}", accept);
                yield return ($"/v1/resources/nearest?{p}&service=emergency-shelter&limit=20&servingLimit=20", accept);
                yield return ($"/v1/resources/nearest?{p}&radiusKm=40&limit=50", accept);
                yield return ($"/v1/resources/nearest?{p}&kind=victim-service-agency&openNow=true&language=es", accept);
                yield return ($"/v1/resources/serving?{p}&limit=2", accept);
                yield return ($"/v1/resources?{p}&radiusKm=60&limit=3", accept);
            }
            yield return ($"/v1/hotlines?{p}", null);
            yield return ($"/v1/resources?{p}&radiusKm=60&limit=2&detail=full", null);
            yield return ($"/v1/resources/nearest?{p}&limit=3&detail=full", null);
        }
        foreach (var accept in new string?[] { null, "application/geo+json" })
        {
            yield return ("/v1/resources?state=MO&limit=4", accept);
            yield return ("/v1/resources?county=29019&limit=2", accept);
            yield return ("/v1/resources?county=29019&includeNationwide=true&limit=50", accept);
            yield return ("/v1/resources?state=MO&q=shelter&limit=50", accept);
            yield return ("/v1/resources?state=MO&service=emergency-shelter&limit=1", accept);
        }
        yield return ("/v1/taxonomy", null);
        yield return ("/v1/states/MO/outline", null); // the widget's map outlines: the same whatever the listings are
        // The staff pages, as a signed-out visitor reaches them (a redirect to sign-in, never a listing).
        yield return ("/staff", null);
        yield return ("/staff/sign-in", null);
        yield return ("/staff/dev-sign-in", null);
        foreach (var h in new[] { "/hsds/", "/hsds/organizations?per_page=7", "/hsds/organizations?per_page=7&page=2", "/hsds/services?per_page=9&page=3", "/hsds/organizations?full=true&per_page=100", "/hsds/services?per_page=9",
                     "/hsds/services?full=true&per_page=100", "/hsds/service_at_locations?per_page=100", "/hsds/service_at_locations?postcode=65201",
                     "/hsds/service_at_locations?postcode=65255&proximity=40000", "/hsds/service_at_locations?postcode=65201&proximity=200000&per_page=100",
                     "/hsds/organizations?search=safe", "/hsds/taxonomies", "/hsds/taxonomy_terms?per_page=100" })
            yield return (h, null);
    }

    private sealed record Answer(string Request, int Status, string Body, string Headers);

    /// <summary>Every public answer, following every cursor and every id an answer names (listings, HSDS entities).</summary>
    private static async Task<List<Answer>> Crawl(HttpClient client)
    {
        var answers = new List<Answer>();
        var queue = new Queue<(string Url, string? Accept)>(PublicRequests());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var (url, accept) = queue.Dequeue();
            if (!seen.Add(accept + " " + url)) continue;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Host = "directory.test"; // the HSDS meta answer names the host it was asked on
            if (accept is not null) request.Headers.Accept.ParseAdd(accept);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var headers = string.Join("\n", new[] { "ETag", "Cache-Control", "Vary" }.Select(h => h + ": " + (response.Headers.TryGetValues(h, out var v) ? string.Join(",", v) : "")))
                          + "\nContent-Type: " + response.Content.Headers.ContentType;
            // A problem's traceId names the request, not the directory.
            answers.Add(new Answer(accept + " " + url, (int)response.StatusCode, Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"…\""), headers));
            if (response.StatusCode != HttpStatusCode.OK) continue;
            using var doc = JsonDocument.Parse(body);
            foreach (var (name, value) in Strings(doc.RootElement))
            {
                // Next pages, and the details of everything an answer names.
                if (name is "nextCursor" or "servingNextCursor")
                {
                    var baseUrl = Regex.Replace(url, "&cursor=[^&]*", "");
                    var path = name == "servingNextCursor" || baseUrl.Contains("/nearest") ? baseUrl.Replace("/nearest", "/serving") : baseUrl;
                    if (path.Contains("/serving")) path = Regex.Replace(path, "&(limit|radiusKm|servingLimit|detail)=[^&]*", "");
                    queue.Enqueue((path + "&cursor=" + Uri.EscapeDataString(value), accept));
                }
                else if (name == "next") queue.Enqueue((value, accept));
                else if (name == "id" && url.StartsWith("/v1/", StringComparison.Ordinal) && value.Length < 100 && !value.Contains(' '))
                    queue.Enqueue(($"/v1/resources/{value}", null));
                else if (name == "organization_id" && Guid.TryParse(value, out _)) queue.Enqueue(($"/hsds/organizations/{value}", null));
                else if (name == "service_id" && Guid.TryParse(value, out _)) queue.Enqueue(($"/hsds/services/{value}", null));
                else if (name == "id" && url.StartsWith("/hsds/service_at_locations?", StringComparison.Ordinal) && Guid.TryParse(value, out _))
                    queue.Enqueue(($"/hsds/service_at_locations/{value}", null));
            }
        }
        return answers;
    }

    private static IEnumerable<(string Name, string Value)> Strings(JsonElement e, string name = "")
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) foreach (var s in Strings(p.Value, p.Name)) yield return s;
                break;
            case JsonValueKind.Array:
                foreach (var x in e.EnumerateArray()) foreach (var s in Strings(x, name)) yield return s;
                break;
            case JsonValueKind.String:
                yield return (name, e.GetString()!);
                break;
        }
    }

    private static void AssertSame(List<Answer> a, List<Answer> b, string what)
    {
        Assert.That(b.Select(x => x.Request), Is.EqualTo(a.Select(x => x.Request)), $"{what}: the same requests (cursors and ids included)");
        for (var i = 0; i < a.Count; i++)
        {
            Assert.That(b[i].Status, Is.EqualTo(a[i].Status), $"{what}: {a[i].Request}");
            Assert.That(b[i].Body, Is.EqualTo(a[i].Body), $"{what}: {a[i].Request}");
            Assert.That(b[i].Headers, Is.EqualTo(a[i].Headers), $"{what}: {a[i].Request}");
        }
    }

    // ------------------------------------------------------------------ the differential tests

    [Test]
    public async Task Moving_a_shelter_inside_its_county_changes_no_public_byte_and_a_move_to_another_county_only_what_the_county_explains()
    {
        // A: the demo directory (the shelter near Hallsville). B: the same shelter 25 km away near Ashland, another id.
        await using var a = await Start(DemoDirectory.Create(Today));
        await using var b = await Start(DemoWithShelterAt(38.7745, -92.2571, "shelter-b", "12 Quarry Road", "Ashland", "65010", "29019"));
        using var ca = a.Client();
        using var cb = b.Client();
        var before = await Crawl(ca);
        Assert.That(before.Count, Is.GreaterThan(400), "the crawl covers the public surface");
        Assert.That(before.Count(x => x.Request.Contains("cursor=")), Is.GreaterThan(10), "and follows cursors");
        Assert.That(before.Count(x => x.Request.Contains("/hsds/") && x.Status == 200 && x.Request.Contains("/service_at_locations/")), Is.GreaterThan(10), "and HSDS ids");
        Assert.That(before.Where(x => x.Status == 200).Sum(x => Regex.Count(x.Body, Shelter)), Is.GreaterThan(100), "and shows the shelter often");
        AssertSame(before, await Crawl(cb), "two directories, the shelter elsewhere in its county");

        // An editor moves the shelter inside the county through the admin API: A's public answers do not change.
        var editor = TestTokens.For(Roles.Editor);
        var current = await ca.SendAsync(HttpMethod.Get, $"/v1/admin/listings/{Shelter}", editor);
        var moved = await ca.SendAsync(HttpMethod.Patch, $"/v1/admin/listings/{Shelter}", editor, new
        {
            locations = new[] { new { id = "moved-shelter", latitude = 39.2103, longitude = -92.1377, confidential = true,
                address = new { street1 = "40 Elm Lane", city = "Centralia", state = "MO", postalCode = "65240" } } },
        }, ifMatch: current.ETag, contentType: "application/merge-patch+json");
        // A move of a confidential location waits for a second editor; approved, it is written.
        moved = await ApprovedAsync(ca, moved);
        Assert.That(moved.Body.GetProperty("listing").GetProperty("locations")[0].GetProperty("address").GetProperty("countyFips").GetString(), Is.EqualTo("29019"));
        AssertSame(before, await Crawl(ca), "before and after an editor moved the shelter inside its county");

        // Moved to Callaway County: A answers exactly as a directory built with the shelter elsewhere in Callaway County.
        current = await ca.SendAsync(HttpMethod.Get, $"/v1/admin/listings/{Shelter}", editor);
        moved = await ca.SendAsync(HttpMethod.Patch, $"/v1/admin/listings/{Shelter}", editor, new
        {
            locations = new[] { new { id = "in-callaway", latitude = 38.8467, longitude = -91.9479, confidential = true,
                address = new { street1 = "9 Court Street", city = "Fulton", state = "MO", postalCode = "65251" } } },
        }, ifMatch: current.ETag, contentType: "application/merge-patch+json");
        var waiting = await Crawl(ca);
        AssertSame(before, waiting, "while the move to another county waits for approval");
        await ApprovedAsync(ca, moved);
        await using var c = await Start(DemoWithShelterAt(38.9833, -91.7000, "other-point", "3 County Road", "Williamsburg", "63388", "29027"));
        using var cc = c.Client();
        var afterMove = await Crawl(ca);
        AssertSame(afterMove, await Crawl(cc), "the shelter in Callaway County, at two points");
        // And the county is what changed: the shelter's cards now name Callaway County.
        var card = JsonDocument.Parse(afterMove.First(x => x.Request == " /v1/resources/nearest?lat=38.9517&lon=-92.3341&service=emergency-shelter&limit=20&servingLimit=20").Body)
            .RootElement.Items("results").Single(r => r.GetProperty("id").GetString() == Shelter);
        Assert.That(card.GetProperty("county").GetString(), Is.EqualTo("Callaway County"));
        Assert.That(card.GetProperty("countyFips").GetString(), Is.EqualTo("29027"));
    }

    /// <summary>A change that waited for approval (202), approved by a second editor: the listing as written.</summary>
    private static async Task<AdminClient.Answer> ApprovedAsync(HttpClient client, AdminClient.Answer proposed)
    {
        Assert.That(proposed.Status, Is.EqualTo(HttpStatusCode.Accepted), proposed.Body.ToString());
        var approval = proposed.Body.GetProperty("id").GetString()!;
        var own = await client.SendAsync(HttpMethod.Post, $"/v1/admin/approvals/{approval}/approve", TestTokens.For(Roles.Editor));
        Assert.That(own.Status, Is.EqualTo(HttpStatusCode.Forbidden), "its proposer cannot approve it");
        var second = TestTokens.Mint([Roles.Editor], oid: "00000000-0000-0000-0000-0000000000b2", name: "Second Editor");
        var approved = await client.SendAsync(HttpMethod.Post, $"/v1/admin/approvals/{approval}/approve", second);
        Assert.That(approved.Status, Is.EqualTo(HttpStatusCode.OK), approved.Body.ToString());
        return approved;
    }

    // ------------------------------------------------------------------ attacks

    [Test]
    public async Task No_public_answer_names_a_town_or_zip_code_near_a_confidential_shelter()
    {
        await using var app = await Start(DemoDirectory.Create(Today));
        using var client = app.Client();
        var answers = await Crawl(client);
        var shelters = DemoDirectory.Create(Today).Where(l => l.Locations.Any(x => x.Confidential)).ToArray();
        Assert.That(shelters, Has.Length.EqualTo(3));
        var checkedStrings = 0;
        foreach (var s in shelters)
        {
            var (lat, lon) = (s.Locations[0].Latitude!.Value, s.Locations[0].Longitude!.Value);
            // Every string of every public object that describes this shelter.
            foreach (var answer in answers.Where(x => x.Status == 200 && x.Body.Contains(s.Id, StringComparison.Ordinal)))
            {
                foreach (var obj in ObjectsAbout(JsonDocument.Parse(answer.Body).RootElement, s.Id))
                {
                    foreach (var (name, value) in Strings(obj))
                    {
                        checkedStrings++;
                        // The town-centre attack: a town the answer names, searched for, lands near the shelter.
                        foreach (var candidate in new[] { value, value + ", MO" })
                        {
                            if (G.FindCity(candidate).Place is { } town)
                                Assert.That(GeoMath.DistanceKm(town.Latitude, town.Longitude, lat, lon), Is.GreaterThan(10), $"{s.Id}: '{value}' ({name}) in {answer.Request}");
                        }
                        foreach (Match m in ZipLike().Matches(value))
                        {
                            if (G.FindZip(m.Value) is { } zip)
                                Assert.That(GeoMath.DistanceKm(zip.Latitude, zip.Longitude, lat, lon), Is.GreaterThan(10), $"{s.Id}: ZIP {m.Value} ({name}) in {answer.Request}");
                        }
                        Assert.That(value, Does.Not.Contain(s.Locations[0].Address!.Street1!), answer.Request);
                    }
                }
            }
        }
        Assert.That(checkedStrings, Is.GreaterThan(1000));
    }

    [Test]
    public async Task Staff_only_referral_readiness_is_in_no_public_answer_and_caseworkers_get_it_privately()
    {
        // The demo shelters keep their intake steps and capacity for staff only; the other demo agencies' readiness is public.
        await using var app = await Start(DemoDirectory.Create(Today));
        using var client = app.Client();
        var answers = await Crawl(client);
        const string staffIntake = "Staff check safety by phone first";
        const string staffCapacity = "Beds change daily";
        Assert.That(answers.Where(a => a.Body.Contains(staffIntake, StringComparison.Ordinal) || a.Body.Contains(staffCapacity, StringComparison.Ordinal)).Select(a => a.Request), Is.Empty);
        Assert.That(answers.Count(a => a.Body.Contains("Taking new clients.", StringComparison.Ordinal) && a.Request.Contains("/v1/resources/", StringComparison.Ordinal)), Is.GreaterThan(5),
            "public readiness is public (v1 listings)");
        Assert.That(answers.Count(a => a.Body.Contains("\"x_referral_readiness\"", StringComparison.Ordinal) && a.Request.Contains("/hsds/", StringComparison.Ordinal)), Is.GreaterThan(3),
            "and in HSDS, as the extension");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/resources/{Shelter}").With(TestTokens.For(Roles.Caseworker));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.Contain(staffIntake).And.Contain(staffCapacity));
        Assert.That(response.Headers.CacheControl?.ToString(), Does.Contain("no-store").And.Contain("private"));
    }

    /// <summary>The objects of an answer that are about one listing (a card, a feature, a listing, an HSDS organization...).</summary>
    private static IEnumerable<JsonElement> ObjectsAbout(JsonElement e, string id)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            if (e.TryGetProperty("id", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() == id) { yield return e; yield break; }
            foreach (var p in e.EnumerateObject()) foreach (var x in ObjectsAbout(p.Value, id)) yield return x;
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray()) foreach (var x in ObjectsAbout(item, id)) yield return x;
        }
        else if (e.ValueKind == JsonValueKind.String && e.GetString()!.Contains(id, StringComparison.Ordinal)) yield return e;
    }

    [GeneratedRegex(@"\b\d{5}\b")] private static partial Regex ZipLike();

    [Test]
    public async Task A_caseworkers_cursor_replayed_without_a_caseworker_token_is_refused_and_cursors_cannot_be_forged()
    {
        await using var app = await Start(DemoDirectory.Create(Today));
        using var client = app.Client();
        const string url = "/v1/resources?lat=39.0051&lon=-92.1602&radiusKm=200&limit=1";
        using var cw = new HttpRequestMessage(HttpMethod.Get, url).With(TestTokens.For(Roles.Caseworker));
        using var cwResponse = await client.SendAsync(cw);
        var cwBody = JsonDocument.Parse(await cwResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.That(cwBody.Ids("results"), Is.EqualTo(new[] { Shelter }), "the caseworker's first page is the shelter, by its true point");
        var caseworkerCursor = cwBody.GetProperty("nextCursor").GetString()!;

        // Replayed anonymously: a 400 problem, not the caseworker's page.
        var replay = await client.GetJsonAsync(url + "&cursor=" + Uri.EscapeDataString(caseworkerCursor), 400);
        Assert.That(replay.GetProperty("errors").GetProperty("cursor")[0].GetString(), Does.Contain("different view"));
        // A public cursor is refused with a caseworker's token too.
        var publicCursor = (await client.GetJsonAsync(url)).GetProperty("nextCursor").GetString()!;
        using var mixed = new HttpRequestMessage(HttpMethod.Get, url + "&cursor=" + Uri.EscapeDataString(publicCursor)).With(TestTokens.For(Roles.Caseworker));
        Assert.That((await client.SendAsync(mixed)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        // Any change to a cursor makes it worthless.
        var tampered = publicCursor[..10] + (publicCursor[10] == 'A' ? 'B' : 'A') + publicCursor[11..];
        var forged = await client.GetJsonAsync(url + "&cursor=" + Uri.EscapeDataString(tampered), 400);
        Assert.That(forged.GetProperty("errors").GetProperty("cursor")[0].GetString(), Does.Contain("not valid"));
        // And the public page after the cursor is the public order (by the county's point), not the caseworker's.
        var next = await client.GetJsonAsync(url + "&cursor=" + Uri.EscapeDataString(publicCursor));
        Assert.That(next.Ids("results"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Public_cursors_hold_no_readable_number_or_text()
    {
        await using var app = await Start(DemoDirectory.Create(Today));
        using var client = app.Client();
        var cursors = (await Crawl(client)).Where(a => a.Status == 200)
            .SelectMany(a => Strings(JsonDocument.Parse(a.Body).RootElement)).Where(s => s.Name is "nextCursor" or "servingNextCursor").Select(s => s.Value)
            .Distinct().ToArray();
        Assert.That(cursors, Has.Length.GreaterThan(20));
        foreach (var c in cursors)
        {
            var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(c);
            var asText = Encoding.Latin1.GetString(bytes);
            Assert.That(Regex.IsMatch(asText, @"[0-9.\-]{3,}"), Is.False, $"a run of digits in {c}");
            Assert.That(asText, Does.Not.Contain("demo-").And.Not.Contain("Boone").And.Not.Contain("\"id\""), c);
            Assert.That(bytes.Length % 16, Is.EqualTo(12 % 16), "nonce, padded ciphertext and tag: no length that tracks the content");
        }
    }

    [Test]
    public async Task A_confidential_location_imported_without_coordinates_shows_the_public_only_its_county()
    {
        await using var app = new DirectoryApp(seedDemo: false);
        using var client = app.Client();
        const string csv = "external_id,kind,name,services,city,state,postal_code,street1,confidential,phone\n" +
                           "shelter-1,victim-service-agency,Hidden Shelter,emergency-shelter,Sturgeon,MO,65284,1 Secret Lane,true,(573) 555-0142\n";
        var import = await client.SendAsync(HttpMethod.Post, "/v1/admin/import/csv", TestTokens.For(Roles.Editor), rawBody: csv, contentType: "text/csv");
        Assert.That(import.Status, Is.EqualTo(HttpStatusCode.OK), import.Body.ToString());
        var page = await client.GetJsonAsync("/v1/resources?county=29019");
        var card = page.Items("results").Single();
        Assert.That(card.GetProperty("name").GetString(), Is.EqualTo("Hidden Shelter"));
        Assert.That(card.GetProperty("confidential").GetBoolean(), Is.True);
        Assert.That(card.GetProperty("county").GetString(), Is.EqualTo("Boone County"));
        var raw = page.GetRawText() + await client.GetStringAsync("/v1/resources/" + card.GetProperty("id").GetString()) + await client.GetStringAsync("/hsds/organizations?full=true");
        Assert.That(raw, Does.Not.Contain("Sturgeon").And.Not.Contain("65284").And.Not.Contain("Secret Lane"));
        // No point was made up for it: caseworkers see the address as given, without coordinates.
        var stored = (await app.Service<IDirectoryStore>().GetAsync(card.GetProperty("id").GetString()!))!.Listing.Locations.Single();
        Assert.That((stored.Latitude, stored.Longitude), Is.EqualTo(((double?)null, (double?)null)));
        Assert.That(stored.Address!.CountyFips, Is.EqualTo("29019"));
        // A search ranks it by its county's point, like any confidential location.
        var near = await client.GetJsonAsync("/v1/resources/nearest?lat=38.95&lon=-92.33");
        Assert.That(near.Items("results").Single().GetProperty("approximate").GetBoolean(), Is.True);
    }

    [Test]
    public void Demo_shelters_sit_away_from_town_and_zip_centres_their_county_point_and_every_example_coordinate()
    {
        var examples = RepoTextFiles().SelectMany(f => CoordinatePair().Matches(File.ReadAllText(f)).Select(m =>
            (File: Path.GetFileName(f), Lat: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Lon: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))).ToArray();
        Assert.That(examples.Select(e => e.File).Distinct(), Does.Contain("README.md"), "the README's examples are read");
        var policy = ConfidentialLocationPolicy.Default;
        var zips = G.Zips.ToArray();
        foreach (var s in DemoDirectory.Create(Today).Where(l => l.Locations.Any(x => x.Confidential)))
        {
            var loc = s.Locations.Single();
            var (lat, lon) = (loc.Latitude!.Value, loc.Longitude!.Value);
            Assert.That(zips.Min(z => GeoMath.DistanceKm(z.Latitude, z.Longitude, lat, lon)), Is.GreaterThan(2.5), $"{s.Id}: a ZIP centre");
            Assert.That(GeoMath.DistanceKm(G.FindCity($"{loc.Address!.City}, MO").Place!.Latitude, G.FindCity($"{loc.Address.City}, MO").Place!.Longitude, lat, lon), Is.GreaterThan(5), $"{s.Id}: its town");
            var (cLat, cLon) = policy.RankingPoint(loc.Address.CountyFips!)!.Value;
            Assert.That(GeoMath.DistanceKm(cLat, cLon, lat, lon), Is.GreaterThan(7), $"{s.Id}: its county's point");
            foreach (var e in examples)
                Assert.That(GeoMath.DistanceKm(e.Lat, e.Lon, lat, lon), Is.GreaterThan(2), $"{s.Id}: an example coordinate in {e.File}");
            Assert.That(s.Description, Does.Not.Contain(loc.Address.City), "public text names the county only");
        }
    }

    [GeneratedRegex(@"(-?\d{1,2}\.\d{2,})\s*[,&]\s*(?:lon=)?(-\d{2,3}\.\d{2,})")] private static partial Regex CoordinatePair();

    private static IEnumerable<string> RepoTextFiles()
    {
        var root = RepoRoot();
        yield return Path.Combine(root, "README.md");
        foreach (var f in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*", SearchOption.AllDirectories)) yield return f;
        yield return Path.Combine(root, "openapi", "referral-directory.v1.json");
    }

    private static string RepoRoot() => RepoFiles.Root;
}
