using System.Net;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Api;

/// <summary>POST /v1/suggestions (public corrections) and the editors' suggestion API: each field's problem named
/// without echoing the text, an unknown listing refused on listingId, 202 with an id, stored as a work item with its
/// "suggestion-create" audit entry by the public, never cached, CORS for partner origins, its own rate limit (429), and
/// its option checked at start.</summary>
public sealed class SuggestionApiTests : DemoAppTests
{
    private const string Partner = "https://partner.example.org";
    private const string Listing = "demo-boone-county-safe-house";
    private readonly string _editor = TestTokens.Mint([Roles.Editor], oid: "00000000-0000-0000-0000-0000000000e5", name: "Sam Editor");

    protected override DirectoryApp CreateApp() => new(settings: new Dictionary<string, string?>
    {
        ["Suggestions:PerMinute"] = "1000",
        ["Cors:AllowedOrigins:0"] = Partner,
    });

    private static string[] Messages(AdminClient.Answer answer, string field) =>
        [.. answer.Body.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!)];

    [Test]
    public async Task A_suggestion_is_accepted_stored_and_audited_by_the_public_and_editors_list_and_dismiss_it()
    {
        var sent = await Client.SendAsync(HttpMethod.Post, "/v1/suggestions", null,
            new { listingId = Listing, field = "phone", message = "  The phone number is now 573-555-0142.\r\nAsk for intake.  ", contact = "" });
        Assert.That(sent.Status, Is.EqualTo(HttpStatusCode.Accepted), sent.Body.ToString());
        Assert.That(sent.Response.Headers.CacheControl?.NoStore, Is.True);
        var id = sent.Body.GetProperty("id").GetString()!;
        Assert.That(id, Does.StartWith("suggestion-"));

        var store = App.Service<IDirectoryStore>();
        var item = await store.GetWorkItemAsync(id);
        Assert.That(item, Is.Not.Null);
        Assert.That((item!.Kind, item.Status, item.ListingId, item.CreatedBy), Is.EqualTo((WorkItemKinds.Suggestion, WorkItemStatus.Open, Listing, (Actor?)null)));
        var audit = await store.QueryAuditAsync(new AuditQuery { ListingId = Listing, Action = "suggestion-create", Limit = 10 });
        var created = audit.Single(a => a.Changes.Any(c => c.After!.Contains(id, StringComparison.Ordinal)));
        Assert.That(created.Actor, Is.EqualTo(new Actor("public", "public")));
        Assert.That(created.Changes.Single().After, Does.Not.Contain("573-555-0142"), "the text stays in the work item");

        var listed = await Client.SendAsync(HttpMethod.Get, "/v1/admin/suggestions", _editor);
        Assert.That(listed.Status, Is.EqualTo(HttpStatusCode.OK));
        var mine = listed.Body.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
        Assert.That(mine.GetProperty("message").GetString(), Is.EqualTo("The phone number is now 573-555-0142.\nAsk for intake."));
        Assert.That(mine.GetProperty("listingName").GetString(), Is.EqualTo("Boone County Safe House (demo)"));
        Assert.That(mine.GetProperty("field").GetString(), Is.EqualTo("phone"));
        Assert.That(mine.GetProperty("contact").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));

        var dismissed = await Client.SendAsync(HttpMethod.Post, $"/v1/admin/suggestions/{id}/dismiss", _editor, new { note = "Already fixed." });
        Assert.That(dismissed.Status, Is.EqualTo(HttpStatusCode.NoContent));
        var again = await Client.SendAsync(HttpMethod.Post, $"/v1/admin/suggestions/{id}/apply", _editor, new { note = "" });
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Conflict));
        var entry = (await store.QueryAuditAsync(new AuditQuery { ListingId = Listing, Action = "suggestion-dismiss", Limit = 10 })).Single();
        Assert.That((entry.Actor.Name, entry.Note), Is.EqualTo(("Sam Editor", "Already fixed.")));
        var after = await Client.SendAsync(HttpMethod.Get, "/v1/admin/suggestions", _editor);
        Assert.That(after.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()), Does.Not.Contain(id));
    }

    [Test]
    public async Task Each_bad_field_is_named_and_the_message_is_never_echoed()
    {
        const string secret = "Please call me at 573-555-0100";
        var bad = await Client.SendAsync(HttpMethod.Post, "/v1/suggestions", null, new { listingId = Listing, field = "colour", message = secret });
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(bad.Response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(Messages(bad, "field"), Is.EqualTo(new[] { "Required: one of phone, website, address, hours, services, closed, other." }));
        Assert.That(bad.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "field" }));
        Assert.That(bad.Body.ToString(), Does.Not.Contain("573-555-0100").And.Not.Contain("colour"));

        var empty = await Client.SendAsync(HttpMethod.Post, "/v1/suggestions", null, new { field = "other", message = "abc", contact = new string('x', 201) });
        Assert.That(empty.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Messages(empty, "listingId"), Is.EqualTo(new[] { "Required: the id of a listing in the directory." }));
        Assert.That(Messages(empty, "message"), Is.EqualTo(new[] { "Required: from 5 to 1000 characters, without control characters." }));
        Assert.That(Messages(empty, "contact"), Is.EqualTo(new[] { "Optional: at most 200 characters on one line." }));

        var tooLong = await Client.SendAsync(HttpMethod.Post, "/v1/suggestions", null, new { listingId = Listing, field = "hours", message = secret + new string('!', 1000) });
        Assert.That(Messages(tooLong, "message"), Is.EqualTo(new[] { "Required: from 5 to 1000 characters, without control characters." }));
        Assert.That(tooLong.Body.ToString(), Does.Not.Contain("573-555-0100"));

        var unknownField = await Client.SendAsync(HttpMethod.Post, "/v1/suggestions", null, rawBody: $"{{\"listingId\":\"{Listing}\",\"field\":\"phone\",\"message\":\"{secret}\",\"name\":\"Ann\"}}");
        Assert.That(unknownField.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(unknownField.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "name" }));
        Assert.That(unknownField.Body.ToString(), Does.Not.Contain("573-555-0100"));
    }

    [Test]
    public async Task An_unknown_listing_is_a_400_on_listingId_and_nothing_is_stored()
    {
        var before = await App.Service<IDirectoryStore>().ListWorkItemsAsync(WorkItemKinds.Suggestion, openOnly: false, 10_000);
        var answer = await Client.SendAsync(HttpMethod.Post, "/v1/suggestions", null, new { listingId = "no-such-listing", field = "phone", message = "The number is wrong." });
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(answer.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "listingId" }));
        Assert.That(Messages(answer, "listingId"), Is.EqualTo(new[] { "No listing in the directory has this id." }));
        var after = await App.Service<IDirectoryStore>().ListWorkItemsAsync(WorkItemKinds.Suggestion, openOnly: false, 10_000);
        Assert.That(after, Has.Count.EqualTo(before.Count));
    }

    [Test]
    public async Task Partner_origins_may_post_from_a_browser_and_others_may_not()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/suggestions");
        preflight.Headers.Add("Origin", Partner);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var ok = await Client.SendAsync(preflight);
        Assert.That(ok.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo(Partner));
        Assert.That(ok.Headers.GetValues("Access-Control-Allow-Methods").Single(), Does.Contain("POST"));

        using var evil = new HttpRequestMessage(HttpMethod.Options, "/v1/suggestions");
        evil.Headers.Add("Origin", "https://evil.example.com");
        evil.Headers.Add("Access-Control-Request-Method", "POST");
        using var no = await Client.SendAsync(evil);
        Assert.That(no.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task Staff_without_the_editor_role_cannot_read_or_resolve_suggestions()
    {
        var caseworker = TestTokens.For(Roles.Caseworker);
        Assert.That((await Client.SendAsync(HttpMethod.Get, "/v1/admin/suggestions", caseworker)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Client.SendAsync(HttpMethod.Get, "/v1/admin/suggestions", null)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Client.SendAsync(HttpMethod.Post, "/v1/admin/suggestions/x/dismiss", caseworker, new { })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Client.SendAsync(HttpMethod.Post, "/v1/admin/suggestions/no-such/dismiss", _editor, new { })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }
}

/// <summary>The suggestions' own rate limit and its option's check at start (each on its own service).</summary>
public sealed class SuggestionLimitTests
{
    [Test]
    public async Task More_suggestions_than_the_limit_from_one_client_are_a_429_problem_with_retry_after()
    {
        using var app = new DirectoryApp(settings: new Dictionary<string, string?> { ["Suggestions:PerMinute"] = "2" });
        using var client = app.Client();
        var body = new { listingId = "demo-boone-county-safe-house", field = "website", message = "The website moved." };
        Assert.That((await client.SendAsync(HttpMethod.Post, "/v1/suggestions", null, body)).Status, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((await client.SendAsync(HttpMethod.Post, "/v1/suggestions", null, body)).Status, Is.EqualTo(HttpStatusCode.Accepted));
        var limited = await client.SendAsync(HttpMethod.Post, "/v1/suggestions", null, body);
        Assert.That(limited.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(limited.Response.Headers.RetryAfter?.Delta?.TotalSeconds, Is.GreaterThan(0).And.LessThanOrEqualTo(60));
        Assert.That(limited.Body.GetProperty("status").GetInt32(), Is.EqualTo(429));
        // The public search keeps its own limit.
        using var search = await client.GetAsync("/v1/hotlines?lat=38.6&lon=-90.2");
        Assert.That(search.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void A_limit_out_of_range_stops_the_service_at_start()
    {
        using var app = new DirectoryApp(settings: new Dictionary<string, string?> { ["Suggestions:PerMinute"] = "0" });
        var failure = Assert.Catch(() => app.Client().Dispose());
        Assert.That(failure!.ToString(), Does.Contain("PerMinute"));
    }
}
