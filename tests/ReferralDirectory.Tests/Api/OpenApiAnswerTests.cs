using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Api;

/// <summary>
/// Real answers agree with the committed OpenAPI document: every request below goes over real HTTP to the real
/// service, and its answer must be documented for that operation (status and content type) and its body must match
/// the documented schema. The document's OpenAPI 3.0 schemas are read as JSON Schema 2020-12 (<c>nullable</c> as a
/// <c>null</c> type, <c>additionalProperties: false</c> kept), with JsonSchema.Net, formats asserted.
/// </summary>
public sealed class OpenApiAnswerTests
{
    private const string Editor = "Directory.Editor";
    private const string Admin = "Directory.Admin";

    private JsonObject _document = null!;
    /// <summary>The document's component schemas as JSON Schema 2020-12 <c>$defs</c> (converted once).</summary>
    private JsonObject _defs = null!;
    private DirectoryApp _app = null!;
    private HttpClient _client = null!;
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly HashSet<string> _checked = new(StringComparer.Ordinal);

    [OneTimeSetUp]
    public void Start()
    {
        _document = JsonNode.Parse(File.ReadAllText(OpenApiDocumentTests.CommittedPath()))!.AsObject();
        _defs = new JsonObject();
        foreach (var (name, s) in _document["components"]!["schemas"]!.AsObject()) _defs[name] = ToJsonSchema(s);
        _app = new DirectoryApp();
        _client = _app.Client();
    }

    [SetUp]
    public void Forget() => _checked.Clear();

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Test]
    public async Task Public_search_answers_match_their_documented_schemas()
    {
        var geo = "application/geo+json";
        await Check("GET", "/v1/resources/nearest?zip=65201");
        await Check("GET", "/v1/resources/nearest?zip=65201", accept: geo);
        await Check("GET", "/v1/resources/nearest?lat=39.0997&lon=-94.5786&limit=3&service=emergency-shelter");
        await Check("GET", "/v1/resources/nearest?near=Columbia,%20MO&servingLimit=0");
        await Check("HEAD", "/v1/resources/nearest?zip=65201");
        await Check("GET", "/v1/resources/serving?zip=65201");
        await Check("GET", "/v1/resources/serving?zip=65201", accept: geo);
        var first = await Check("GET", "/v1/resources/serving?zip=65201&limit=1");
        var next = first!["nextCursor"]?.GetValue<string>() ?? first["next"]?.GetValue<string>();
        Assert.That(next, Is.Not.Null.And.Not.Empty, "a one-per-page serving answer for Columbia has a next page");
        await Check("GET", next!.StartsWith('/') ? next : "/v1/resources/serving?zip=65201&limit=1&cursor=" + Uri.EscapeDataString(next));
        var browse = await Check("GET", "/v1/resources?state=MO&limit=50");
        await Check("GET", "/v1/resources?state=MO", accept: geo);
        await Check("GET", "/v1/resources?state=MO&county=29019&q=shelter");
        await Check("HEAD", "/v1/resources?state=MO");

        // Every listing the browse gives, by id: public agencies, hotlines and confidential shelters alike.
        var ids = browse!["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
        Assert.That(ids, Has.Count.GreaterThanOrEqualTo(10));
        foreach (var id in ids) await Check("GET", "/v1/resources/" + Uri.EscapeDataString(id));
        Assert.That(browse["results"]!.AsArray().Any(r => r!["confidential"]?.GetValue<bool>() == true), Is.True, "the browse includes a confidential shelter");

        await Check("GET", "/v1/hotlines?zip=65201");
        await Check("HEAD", "/v1/hotlines?zip=65201");
        await Check("GET", "/v1/taxonomy");
        await Check("HEAD", "/v1/taxonomy");
        await Check("GET", "/v1/guidance");
        await Check("GET", "/v1/guidance?lang=es");
        await Check("GET", "/v1/states/MO/profile");
        await Check("GET", "/v1/states/MO/profile?lang=es");
        await Check("GET", "/v1/states/MO/outline");
        await Check("GET", "/v1/places/towns?q=colu&state=MO");
        Assert.That(_checked, Has.Count.EqualTo(23 + ids.Count));
    }

    [Test]
    public async Task Hsds_answers_match_their_documented_schemas()
    {
        await Check("GET", "/hsds");
        var orgs = await Check("GET", "/hsds/organizations?per_page=50");
        await Check("GET", "/hsds/organizations?full_service=true&per_page=5");
        var services = await Check("GET", "/hsds/services?per_page=50");
        var sals = await Check("GET", "/hsds/service_at_locations?per_page=50");
        await Check("GET", "/hsds/service_at_locations?postcode=65201");
        var taxonomies = await Check("GET", "/hsds/taxonomies");
        var terms = await Check("GET", "/hsds/taxonomy_terms?per_page=50");
        await Check("HEAD", "/hsds/services");
        var n = 0;
        foreach (var (page, route) in new[] { (orgs, "organizations"), (services, "services"), (sals, "service_at_locations"), (taxonomies, "taxonomies"), (terms, "taxonomy_terms") })
        {
            var items = page!["contents"]!.AsArray();
            Assert.That(items, Is.Not.Empty, route);
            foreach (var item in items.Take(8))
            {
                await Check("GET", $"/hsds/{route}/{Uri.EscapeDataString(item!["id"]!.GetValue<string>())}");
                n++;
            }
        }
        Assert.That(_checked, Has.Count.EqualTo(9 + n));
    }

    [Test]
    public async Task Problem_answers_match_the_documented_problem_schema()
    {
        var problems = new (string Method, string Url, HttpStatusCode Status)[]
        {
            ("GET", "/v1/resources/nearest?lat=abc&lon=-92.3", HttpStatusCode.BadRequest),
            ("GET", "/v1/resources/nearest", HttpStatusCode.BadRequest),
            ("GET", "/v1/resources/nearest?zip=00000", HttpStatusCode.BadRequest),
            ("GET", "/v1/resources/serving?zip=65201&cursor=not-a-cursor", HttpStatusCode.BadRequest),
            ("GET", "/v1/resources?state=MO&limit=100000", HttpStatusCode.BadRequest),
            ("GET", "/v1/resources/no-such-listing", HttpStatusCode.NotFound),
            ("GET", "/v1/hotlines?lat=91&lon=0", HttpStatusCode.BadRequest),
            ("GET", "/v1/guidance?lang=fr", HttpStatusCode.BadRequest),
            ("GET", "/v1/states/ZZ/profile", HttpStatusCode.NotFound),
            ("GET", "/v1/states/ZZ/outline", HttpStatusCode.NotFound),
            ("GET", "/v1/places/towns", HttpStatusCode.BadRequest),
            ("GET", "/hsds/services?page=0", HttpStatusCode.BadRequest),
            ("GET", "/hsds/organizations/no-such-id", HttpStatusCode.NotFound),
            ("GET", "/hsds/services/no-such-id", HttpStatusCode.NotFound),
            ("GET", "/v1/admin/listings/demo-boone-county-safe-house", HttpStatusCode.Unauthorized),
        };
        foreach (var (method, url, status) in problems) await Check(method, url, status: status);
        await Check("GET", "/v1/admin/audit", token: TestTokens.For("Caseworker"), status: HttpStatusCode.Forbidden);
        await Check("GET", "/v1/admin/api-keys", token: TestTokens.For(Editor), status: HttpStatusCode.Forbidden);
        Assert.That(_checked, Has.Count.EqualTo(problems.Length + 2));
    }

    [Test]
    public async Task Admin_answers_match_their_documented_schemas()
    {
        var editor = TestTokens.For(Editor);
        var admin = TestTokens.For(Admin);
        var listing = JsonSerializer.Serialize(Admin_listing("openapi-answer-agency"), JsonSerializerOptions.Web);
        var created = await Check("POST", "/v1/admin/listings", editor, body: listing, status: HttpStatusCode.Created);
        Assert.That(created!["listing"]!["id"]!.GetValue<string>(), Is.EqualTo("openapi-answer-agency"));
        await Check("POST", "/v1/admin/listings", editor, body: listing, status: HttpStatusCode.Conflict);
        await Check("POST", "/v1/admin/listings", editor, body: """{"id":"x","kind":"no-such-kind"}""", status: HttpStatusCode.BadRequest);
        var (_, etag) = await CheckWithETag("GET", "/v1/admin/listings/openapi-answer-agency", editor);
        const string patch = """{"description":"Changed by the OpenAPI answer test."}""";
        await Check("PATCH", "/v1/admin/listings/openapi-answer-agency", editor, body: patch, contentType: "application/merge-patch+json", status: HttpStatusCode.PreconditionRequired);
        (_, etag) = await CheckWithETag("PATCH", "/v1/admin/listings/openapi-answer-agency", editor, body: patch, contentType: "application/merge-patch+json", ifMatch: etag);
        await Check("PATCH", "/v1/admin/listings/openapi-answer-agency", editor, body: patch, contentType: "application/merge-patch+json", ifMatch: "\"stale\"", status: HttpStatusCode.PreconditionFailed);
        (_, etag) = await CheckWithETag("POST", "/v1/admin/listings/openapi-answer-agency/verify", editor, body: """{"method":"phone-call","notes":"Called the front desk."}""", ifMatch: etag);
        (_, etag) = await CheckWithETag("POST", "/v1/admin/listings/openapi-answer-agency/retire", editor, ifMatch: etag);
        (_, etag) = await CheckWithETag("POST", "/v1/admin/listings/openapi-answer-agency/restore", editor, ifMatch: etag);
        await Check("DELETE", "/v1/admin/listings/openapi-answer-agency", admin, ifMatch: etag, status: HttpStatusCode.NoContent);
        await Check("GET", "/v1/admin/listings/openapi-answer-agency", editor, status: HttpStatusCode.NotFound);
        await Check("GET", "/v1/admin/review-queue?limit=5", editor);
        await Check("GET", "/v1/admin/review-queue?limit=0", editor, status: HttpStatusCode.BadRequest);
        var audit = await Check("GET", "/v1/admin/audit?listingId=openapi-answer-agency", editor);
        Assert.That(audit!["entries"]!.AsArray(), Has.Count.EqualTo(6), "create, patch, verify, retire, restore and purge are audited");
        await Check("POST", "/v1/admin/geocode", editor, body: """{"postalCode":"65201"}""");
        await Check("POST", "/v1/admin/geocode", editor, body: """{"street1":"1 Main St"}""", status: HttpStatusCode.BadRequest);
        var key = await Check("POST", "/v1/admin/api-keys", admin, body: """{"name":"OpenAPI answer test partner"}""", status: HttpStatusCode.Created);
        await Check("GET", "/v1/admin/api-keys", admin);
        await Check("DELETE", "/v1/admin/api-keys/" + key!["apiKey"]!["id"]!.GetValue<string>(), admin, status: HttpStatusCode.NoContent);
        await Check("GET", "/v1/admin/import/csv/template", editor);
        await Check("POST", "/v1/admin/import/csv?dryRun=true", editor, body: "id,name\n", contentType: "text/csv");
        await Check("POST", "/v1/admin/import/csv", editor, body: "{}", contentType: "application/json", status: HttpStatusCode.UnsupportedMediaType);
        await Check("POST", "/v1/admin/import/hsds?dryRun=true", editor, body: "[]");
        Assert.That(_checked, Has.Count.EqualTo(24));
    }

    private static Dictionary<string, object?> Admin_listing(string id) => new()
    {
        ["id"] = id,
        ["kind"] = "victim-service-agency",
        ["name"] = "OpenAPI Answer Test Agency",
        ["description"] = "A listing made by the OpenAPI answer test.",
        ["website"] = "https://openapi-answer.example.org",
        ["services"] = new[] { new { name = "Case management", taxonomyCodes = new[] { "case-management" } } },
        ["locations"] = new[] { new { latitude = 38.5767, longitude = -92.1735, address = new { street1 = "1 Test St", city = "Jefferson City", state = "MO", postalCode = "65101" } } },
        ["phones"] = new[] { new { number = "(573) 555-0142", type = "voice" } },
        ["hours"] = new { timeZone = "America/Chicago", always = true },
        ["languages"] = new[] { "en" },
    };

    // ------------------------------------------------------------------ the check

    private async Task<JsonNode?> Check(string method, string url, string? token = null, string? accept = null, string? body = null,
        string contentType = "application/json", string? ifMatch = null, HttpStatusCode status = HttpStatusCode.OK) =>
        (await CheckWithETag(method, url, token, accept, body, contentType, ifMatch, status)).Body;

    /// <summary>Sends the request, asserts the status, and asserts the answer is what the document says for it.</summary>
    private async Task<(JsonNode? Body, string? ETag)> CheckWithETag(string method, string url, string? token = null, string? accept = null,
        string? body = null, string contentType = "application/json", string? ifMatch = null, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url).With(token);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var what = $"{method} {url}";
        Assert.That(response.StatusCode, Is.EqualTo(status), $"{what}: {text}");

        var requestPath = url.Split('?')[0];
        var template = Template(requestPath);
        Assert.That(template, Is.Not.Null, $"{what}: the path is not in the committed OpenAPI document");
        var operation = _document["paths"]![template!]![method.ToLowerInvariant()] as JsonObject;
        Assert.That(operation, Is.Not.Null, $"{what}: {method} is not documented for {template}");
        var code = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var documented = operation!["responses"]![code] as JsonObject;
        Assert.That(documented, Is.Not.Null, $"{what}: answered {code}, which the document does not list for {method} {template}");
        _checked.Add($"{what} {accept} {code}");
        var etag = response.Headers.ETag?.ToString();
        if (response.StatusCode == HttpStatusCode.NoContent) return (null, etag);

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.That(mediaType, Is.Not.Null, $"{what}: no content type");
        var content = documented!["content"] as JsonObject;
        Assert.That(content?.ContainsKey(mediaType!), Is.True,
            $"{what}: answered {code} as {mediaType}, but the document lists only [{string.Join(", ", content?.Select(c => c.Key) ?? [])}]");
        if (method == "HEAD")
        {
            Assert.That(text, Is.Empty, $"{what}: a HEAD answer has no body");
            return (null, etag);
        }
        var schemaNode = content![mediaType!]!["schema"];
        Assert.That(schemaNode, Is.Not.Null, $"{what}: {code} {mediaType} is documented without a schema");
        if (mediaType is not ("application/json" or "application/problem+json" or "application/geo+json")) return (null, etag);

        var instance = JsonNode.Parse(text);
        var schema = Schema($"{template} {method} {code} {mediaType}", schemaNode!);
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (!results.IsValid)
        {
            var errors = ((IEnumerable<EvaluationResults>?)results.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
                .Take(10);
            Assert.Fail($"{what}: the {code} {mediaType} answer does not match its documented schema:\n  {string.Join("\n  ", errors)}\n{Trim(text)}");
        }
        return (instance, etag);
    }

    private static string Trim(string s) => s.Length > 1500 ? s[..1500] + "…" : s;

    /// <summary>The documented path template the request path matches: literal segments win over parameters
    /// (/v1/resources/nearest, not /v1/resources/{id}).</summary>
    private string? Template(string requestPath)
    {
        var parts = requestPath.Trim('/').Split('/');
        return _document["paths"]!.AsObject().Select(p => p.Key)
            .Select(t => (Template: t, Parts: t.Trim('/').Split('/')))
            .Where(t => t.Parts.Length == parts.Length && t.Parts.Zip(parts).All(x => x.First.StartsWith('{') || x.First == x.Second))
            .OrderByDescending(t => t.Parts.Count(p => !p.StartsWith('{')))
            .Select(t => t.Template).FirstOrDefault();
    }

    private JsonSchema Schema(string key, JsonNode openApiSchema)
    {
        if (_schemas.TryGetValue(key, out var built)) return built;
        var root = (JsonObject)ToJsonSchema(openApiSchema)!;
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = _defs.DeepClone();
        var id = new Uri("urn:referral-directory:openapi-answer:" + _schemas.Count);
        built = JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 }, id);
        _schemas[key] = built;
        return built;
    }

    /// <summary>An OpenAPI 3.0 schema as JSON Schema 2020-12: component refs point into <c>$defs</c>;
    /// <c>nullable: true</c> becomes a <c>null</c> type (or enum value, or an <c>anyOf</c> with null).</summary>
    internal static JsonNode? ToJsonSchema(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray a:
                return new JsonArray([.. a.Select(ToJsonSchema)]);
            case JsonObject o:
            {
                var copy = new JsonObject();
                foreach (var (k, v) in o)
                {
                    if (k is "nullable" or "example" or "examples") continue;
                    if (k == "$ref" && v?.GetValue<string>() is { } r) copy[k] = r.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    else if (k == "properties" && v is JsonObject props)
                    {
                        var p = new JsonObject();
                        foreach (var (name, s) in props) p[name] = ToJsonSchema(s);
                        copy[k] = p;
                    }
                    else copy[k] = ToJsonSchema(v);
                }
                if (o["nullable"]?.GetValue<bool>() != true) return copy;
                if (copy["enum"] is JsonArray values) values.Add(null);
                if (copy["type"] is JsonValue type)
                {
                    copy["type"] = new JsonArray(type.GetValue<string>(), "null");
                    return copy;
                }
                return new JsonObject { ["anyOf"] = new JsonArray(copy, new JsonObject { ["type"] = "null" }) };
            }
            default:
                return node?.DeepClone();
        }
    }
}
