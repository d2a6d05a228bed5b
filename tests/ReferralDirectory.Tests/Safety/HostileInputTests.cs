using System.Net;
using System.Text;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Safety;

/// <summary>
/// 10,000 generated malformed or hostile requests across every route, as an admin (so bodies are read) and
/// anonymously: wrong types, huge numbers, NaN, injection strings, broken JSON, invalid GeoJSON, long strings,
/// unknown fields, bad headers. No 5xx, no stack trace in any body, and the store is unchanged.
/// </summary>
[TestFixture]
public sealed class HostileInputTests
{
    private static readonly string[] Nasty =
    [
        "NaN", "-NaN", "Infinity", "-Infinity", "1e309", "-1e309", "1e-400", "0x10", "1,5", "٣", "１２", "", " ", "null", "undefined", "true",
        "9999999999999999999999999999", "-0", "+1", "1e2", "'; DROP TABLE listings;--", "\" OR 1=1 --", "<script>alert(1)</script>",
        "../../etc/passwd", "%00", "\u0000", "${jndi:ldap://x}", "{{7*7}}", "$(rm -rf /)", "🙂", "\uD800", new string('a', 5000),
        "emergency-shelter,emergency-shelter,emergency-shelter", "EMERGENCY-SHELTER", "es-", "zz-ZZZZZZZZZ", "MO ", "29019x", "-", "*",
    ];

    private static readonly string[] QueryRoutes =
    [
        "/v1/resources/nearest", "/v1/resources/serving", "/v1/resources", "/v1/hotlines", "/v1/taxonomy", "/v1/admin/review-queue", "/v1/admin/audit",
        "/hsds/", "/hsds/services", "/hsds/organizations", "/hsds/service_at_locations", "/hsds/taxonomies", "/hsds/taxonomy_terms",
        "/hsds/services/00000000-0000-0000-0000-000000000000", "/v1/admin/import/csv/template", "/v1/guidance", "/v1/states/MO/profile", "/v1/states/MO/outline", "/v1/places/towns", "/", "/safety",
    ];

    private static readonly string[] Params =
    [
        "lat", "lon", "limit", "radiusKm", "service", "kind", "population", "traffickingType", "language", "openNow", "is24x7", "freeOfCharge",
        "acceptingReferrals", "state", "county", "q", "cursor", "includeNationwide", "zip", "near", "listingId", "actor", "from", "to", "before", "lat[]", "$where",
        "page", "per_page", "postcode", "proximity", "search", "taxonomy_term_id", "taxonomy_id", "organization_id", "dryRun", "lang",
    ];

    private static readonly string[] BodyMutations =
    [
        "{\"kind\":", "{\"kind\": \"hotline\", \"name\": \"x\", \"bogus\": 1}", "[]", "\"text\"", "12", "null", "{\"name\": {\"$gt\": \"\"}}",
        "{\"kind\":\"hotline\",\"name\":\"Okay\",\"locations\":[{\"latitude\":\"NaN\",\"longitude\":0}]}",
        "{\"kind\":\"hotline\",\"name\":\"Okay\",\"locations\":[{\"latitude\":1e999,\"longitude\":0}]}",
        "{\"kind\":\"hotline\",\"name\":\"Okay\",\"serviceAreas\":[{\"type\":\"polygon\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[0,1]]]}}]}",
        "{\"kind\":\"hotline\",\"name\":\"Okay\",\"serviceAreas\":[{\"type\":\"polygon\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]}",
        "{\"kind\":\"hotline\",\"name\":\"Okay\",\"serviceAreas\":[{\"type\":\"polygon\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}]}",
        "{\"kind\":\"hotline\",\"name\":\"Okay\",\"serviceAreas\":[{\"type\":\"polygon\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":\"x\"}}]}",
        "{\"kind\":\"hotline\",\"name\":\"Okay\",\"phones\":[{\"number\":\"<script>\"}],\"serviceAreas\":[{\"type\":\"nationwide\"}]}",
        "{\"kind\":\"hotline\",\"name\":\"Okay\",\"hours\":{\"periods\":[{\"day\":\"7\",\"opens\":\"9\",\"closes\":\"x\"}]},\"serviceAreas\":[{\"type\":\"nationwide\"}]}",
        "{\"method\": 5}", "{\"method\": \"phone-call\", \"notes\": 7}", "{\"name\": null, \"requestsPerMinute\": -5}",
        // Said two ways at once, or not text at all.
        "{\"name\":\"a\",\"name\":\"b\"}", "{\"kind\":\"hotline\",\"name\":\"Okay\",\"kind\":\"coalition\"}", "{\"name\":\"\\ud800\"}",
        "{\"kind\":\"hotline\",\"name\":\"Okay\",\"phones\":[{\"number\":\"800-700-1650\",\"number\":\"911\"}]}", "{\"\\udfff\":1}",
        "{\"method\":\"phone-call\",\"method\":\"email\"}", "{\"notes\":\"\\udc00x\",\"method\":\"email\"}",
    ];

    [Test]
    public async Task Ten_thousand_hostile_requests_get_4xx_problem_answers_and_change_nothing()
    {
        using var app = new DirectoryApp();
        using var client = app.Client();
        var store = app.Service<IDirectoryStore>();
        async Task<string> Snapshot()
        {
            var sb = new StringBuilder();
            await foreach (var s in store.ReadAllAsync(includeRetired: true)) sb.Append(s.Listing.Id).Append(s.ETag).Append(s.Retired);
            sb.Append((await store.QueryAuditAsync(new AuditQuery { Limit = 100000 })).Count).Append((await store.ListApiKeysAsync()).Count);
            return sb.ToString();
        }
        var before = await Snapshot();
        var admin = TestTokens.For(Roles.Admin);
        var rng = new Random(9457);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        const int total = 10_000;
        var work = Enumerable.Range(0, total).Select(i => MakeRequest(rng, i, admin)).ToArray();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (make, ct) =>
        {
            using var request = make();
            var description = $"{request.Method} {request.RequestUri}";
            var oversized = request.Content?.Headers.ContentLength > 1024 * 1024;
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, ct);
            }
            catch (HttpRequestException) when (oversized)
            {
                // Kestrel answers 413 and closes the connection before a too-large body is sent: the right refusal.
                counts.AddOrUpdate(413, 1, (_, c) => c + 1);
                return;
            }
            catch (HttpRequestException e)
            {
                failures.Add($"connection dropped for {Trim(description)} (body {request.Content?.Headers.ContentLength} bytes of {request.Content?.Headers.ContentType}, If-Match {request.Headers.IfMatch}): {e.InnerException?.Message ?? e.Message}");
                return;
            }
            using var _ = response;
            var body = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            counts.AddOrUpdate(status, 1, (_, c) => c + 1);
            if (status >= 500) failures.Add($"{status} for {Trim(description)}: {Trim(body)}");
            if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal) || body.Contains("stackTrace", StringComparison.OrdinalIgnoreCase))
                failures.Add($"stack trace for {Trim(description)}: {Trim(body)}");
            // Kestrel's own refusals (a NUL in the path, oversized headers) are problems too (ProtocolRejections).
            if (status >= 400
                && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{status} without problem details for {Trim(description)}: {Trim(body)}");
        });
        TestContext.Out.WriteLine(string.Join(", ", counts.OrderBy(k => k.Key).Select(k => $"{k.Key}: {k.Value}")));
        var serverErrors = app.Logs.Entries.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(l => l.Category + ": " + Trim(l.Message)).ToArray();
        Assert.That(serverErrors, Is.Empty, "the server logged errors");
        Assert.That(failures.Take(20), Is.Empty);
        Assert.That(counts.Values.Sum(), Is.EqualTo(total));
        Assert.That(await Snapshot(), Is.EqualTo(before), "the store is unchanged");
        Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Fields_given_twice_and_lone_surrogates_are_400_problems_naming_the_field_on_every_body_route()
    {
        using var app = new DirectoryApp();
        using var client = app.Client();
        var admin = TestTokens.For(Roles.Admin);
        var current = await client.SendAsync(HttpMethod.Get, "/v1/admin/listings/demo-gateway-survivor-services", admin);
        var etag = current.ETag!;
        var listing = System.Text.Json.JsonSerializer.Serialize(AdminClient.NewListing("twice"));
        var twiceName = "{\"name\":\"a\"," + listing[1..];           // "name" given twice
        var surrogate = listing.Replace("\"Test Agency\"", "\"Test \\ud800 Agency\"");
        var cases = new (HttpMethod Method, string Url, string Body, string ContentType, string Field)[]
        {
            (HttpMethod.Post, "/v1/admin/listings", twiceName, "application/json", "name"),
            (HttpMethod.Post, "/v1/admin/listings", surrogate, "application/json", "name"),
            (HttpMethod.Put, "/v1/admin/listings/demo-gateway-survivor-services", twiceName, "application/json", "name"),
            (HttpMethod.Patch, "/v1/admin/listings/demo-gateway-survivor-services", "{\"name\":\"a\",\"name\":\"b\"}", "application/merge-patch+json", "name"),
            (HttpMethod.Patch, "/v1/admin/listings/demo-gateway-survivor-services", "{\"phones\":[{\"number\":\"\\ud800\"}]}", "application/merge-patch+json", "phones[0].number"),
            (HttpMethod.Post, "/v1/admin/listings/demo-gateway-survivor-services/verify", "{\"method\":\"email\",\"method\":\"site-visit\"}", "application/json", "method"),
            (HttpMethod.Post, "/v1/admin/api-keys", "{\"name\":\"P\",\"name\":\"Q\"}", "application/json", "name"),
            (HttpMethod.Post, "/v1/admin/geocode", "{\"\\udfff\":1}", "application/json", "?"),
            (HttpMethod.Post, "/v1/admin/import/hsds?dryRun=true", "{\"id\":\"x\",\"id\":\"y\"}", "application/json", "id"),
            (HttpMethod.Post, "/v1/admin/import/hsds", "{\"name\":\"ok\"}\n{\"name\":\"\\ud800\"}", "application/x-ndjson", "name"),
        };
        foreach (var (method, url, body, contentType, field) in cases)
        {
            var answer = await client.SendAsync(method, url, admin, rawBody: body, contentType: contentType, ifMatch: method == HttpMethod.Post && !url.Contains("verify") ? null : etag);
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest), $"{method} {url}: {answer.Body}");
            Assert.That(answer.Response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), url);
            Assert.That(answer.Body.GetProperty("errors").TryGetProperty(field, out var messages), Is.True, $"{url}: {answer.Body}");
            Assert.That(messages[0].GetString(), Does.Contain("twice").Or.Contain("surrogate"), url);
        }
        // Not UTF-8 at all: refused, not read with replacement characters.
        using var latin1 = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/import/csv?dryRun=true").With(admin);
        latin1.Content = new ByteArrayContent([.. Encoding.UTF8.GetBytes("external_id,kind,name\nx,hotline,Caf"), 0xE9, (byte)'\n']);
        latin1.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var refused = await client.SendAsync(latin1);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("Line 2").And.Contain("not UTF-8"));
        Assert.That((await app.Service<IDirectoryStore>().GetAsync("twice")), Is.Null, "nothing was written");
    }

    [Test]
    public async Task Unknown_fields_wrong_types_and_deep_nesting_get_their_own_messages_on_the_framework_and_patch_paths()
    {
        using var app = new DirectoryApp();
        using var client = app.Client();
        var admin = TestTokens.For(Roles.Admin);
        var etag = (await client.SendAsync(HttpMethod.Get, "/v1/admin/listings/demo-gateway-survivor-services", admin)).ETag!;
        var listing = System.Text.Json.JsonSerializer.Serialize(AdminClient.NewListing("contract"));
        var deep = "{\"name\":" + string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)) + "}";
        var cases = new (HttpMethod Method, string Body, string ContentType, string Field, string Message)[]
        {
            (HttpMethod.Post, "{\"nmae\":\"x\"," + listing[1..], "application/json", "nmae", "Unknown field."),
            (HttpMethod.Post, listing.Replace("\"Test Agency\"", "5"), "application/json", "name", "Wrong type of value, or not valid JSON here."),
            (HttpMethod.Post, deep, "application/json", "name", "The JSON is nested too deeply."),
            (HttpMethod.Patch, "{\"phones\":[{\"number\":\"314-555-0100\",\"nmber\":\"x\"}]}", "application/merge-patch+json", "phones[0].nmber", "Unknown field."),
            (HttpMethod.Patch, "{\"nmae\":\"x\"}", "application/merge-patch+json", "nmae", "Unknown field."),
            (HttpMethod.Patch, "{\"name\":5}", "application/merge-patch+json", "name", "Wrong type of value."),
        };
        foreach (var (method, body, contentType, field, message) in cases)
        {
            var url = method == HttpMethod.Post ? "/v1/admin/listings" : "/v1/admin/listings/demo-gateway-survivor-services";
            var answer = await client.SendAsync(method, url, admin, rawBody: body, contentType: contentType, ifMatch: method == HttpMethod.Post ? null : etag);
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest), $"{method} {body}: {answer.Body}");
            Assert.That(answer.Body.GetProperty("errors").TryGetProperty(field, out var messages), Is.True, $"{method} {body}: {answer.Body}");
            Assert.That(messages[0].GetString(), Is.EqualTo(message), $"{method} {body}");
        }
        Assert.That(await app.Service<IDirectoryStore>().GetAsync("contract"), Is.Null, "nothing was written");
    }

    private static string AsciiHeader(string s) => new([.. s.Where(c => c is >= ' ' and < (char)0x7f)]);

    private static string Trim(string s) => s.Length > 300 ? s[..300] + "…" : s;

    private static Func<HttpRequestMessage> MakeRequest(Random rng, int i, string admin)
    {
        var pick = rng.Next(10);
        string Nastiness() => Nasty[rng.Next(Nasty.Length)];
        if (pick < 5)
        {
            // Query-string abuse on read routes.
            var route = QueryRoutes[rng.Next(QueryRoutes.Length)];
            var parts = Enumerable.Range(0, 1 + rng.Next(5)).Select(_ =>
            {
                var name = Params[rng.Next(Params.Length)];
                var value = rng.Next(4) == 0 ? (rng.NextDouble() * 400 - 200).ToString(System.Globalization.CultureInfo.InvariantCulture) : Nastiness();
                return Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
            });
            var url = route + "?" + string.Join("&", parts);
            var token = rng.Next(2) == 0 ? admin : null;
            return () => new HttpRequestMessage(HttpMethod.Get, url).With(token);
        }
        if (pick < 8)
        {
            // Bodies on admin writes: every body is broken in some way, or the ETag is stale, so nothing may be written.
            var id = rng.Next(3) switch { 0 => "demo-gateway-survivor-services", 1 => Uri.EscapeDataString(Nastiness()), _ => "no-such-listing" };
            var (method, path) = rng.Next(10) switch
            {
                7 => (HttpMethod.Post, "/v1/admin/import/csv" + (rng.Next(2) == 0 ? "?dryRun=true" : "")),
                8 => (HttpMethod.Post, "/v1/admin/import/hsds" + (rng.Next(2) == 0 ? "?dryRun=true" : "")),
                9 => (HttpMethod.Post, "/v1/admin/geocode"),
                0 => (HttpMethod.Post, "/v1/admin/listings"),
                1 => (HttpMethod.Put, $"/v1/admin/listings/{id}"),
                2 => (HttpMethod.Patch, $"/v1/admin/listings/{id}"),
                3 => (HttpMethod.Post, $"/v1/admin/listings/{id}/verify"),
                4 => (HttpMethod.Post, $"/v1/admin/listings/{id}/retire"),
                5 => (HttpMethod.Post, "/v1/admin/api-keys"),
                _ => (HttpMethod.Delete, $"/v1/admin/listings/{id}"),
            };
            string body;
            if (rng.Next(3) == 0)
            {
                var input = AdminClient.NewListing("hostile-" + i);
                var field = new[] { "name", "kind", "website", "email", "phones", "locations", "services", "hours", "languages", "populations" }[rng.Next(10)];
                input[field] = rng.Next(2) == 0 ? Nastiness() : new[] { Nastiness() };
                input["unexpected-" + rng.Next(100)] = Nastiness();
                body = System.Text.Json.JsonSerializer.Serialize(input);
            }
            else body = BodyMutations[rng.Next(BodyMutations.Length)];
            if (rng.Next(20) == 0) body = new string('[', 5000) + new string(']', 5000);
            if (rng.Next(50) == 0) body = "{\"name\":\"" + new string('x', 2_000_000) + "\"}";
            var ifMatch = rng.Next(3) switch { 0 => null, 1 => "\"1-0000000000000000\"", _ => AsciiHeader(Nastiness()) };
            var contentType = rng.Next(8) switch { 0 => "text/plain", 1 => "application/merge-patch+json", 2 => "text/csv", 3 => "application/x-ndjson", _ => "application/json" };
            return () =>
            {
                var r = new HttpRequestMessage(method, path).With(admin);
                r.Content = new StringContent(body, Encoding.UTF8);
                r.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                if (ifMatch is not null) r.Headers.TryAddWithoutValidation("If-Match", ifMatch);
                // Kestrel may close a connection after refusing a body it did not read (413, early 4xx); a fresh
                // connection per body keeps that from failing the next request that reuses a pooled one.
                r.Headers.ConnectionClose = true;
                return r;
            };
        }
        // Header abuse on public routes.
        var hdr = rng.Next(4);
        // HTTP clients refuse to send non-ASCII headers; everything else in the list goes.
        var value = AsciiHeader(Nastiness());
        return () =>
        {
            var r = new HttpRequestMessage(HttpMethod.Get, "/v1/resources/nearest?lat=38.6&lon=-90.2");
            switch (hdr)
            {
                case 0: r.Headers.TryAddWithoutValidation("X-Api-Key", value); break;
                case 1: r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + value); break;
                case 2: r.Headers.TryAddWithoutValidation("If-None-Match", value); break;
                default: r.Headers.TryAddWithoutValidation("Accept", value); break;
            }
            return r;
        };
    }
}
