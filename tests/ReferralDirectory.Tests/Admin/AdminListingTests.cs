using System.Net;
using System.Text.Json;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Admin;

[TestFixture]
public sealed class AdminListingTests : DemoAppTests
{
    private readonly string _admin = TestTokens.For(Roles.Admin);
    private readonly string _editor = TestTokens.Mint([Roles.Editor], oid: "00000000-0000-0000-0000-0000000000e1", name: "Erin Editor");

    [Test]
    public async Task Create_is_searchable_at_once_and_carries_an_etag()
    {
        var input = AdminClient.NewListing("create-test");
        input["locations"] = new[] { new { latitude = 38.6123, longitude = -92.2456, address = new { street1 = "9 Test St", city = "Jefferson City", state = "MO", postalCode = "65101" } } };
        var created = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _editor, input);
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body.ToString());
        Assert.That(created.ETag, Is.Not.Null.And.EqualTo(created.Body.GetProperty("eTag").GetString()));
        Assert.That(created.Response.Headers.Location?.ToString(), Is.EqualTo("/v1/admin/listings/create-test"));
        // County filled in from the gazetteer.
        Assert.That(created.Body.GetProperty("listing").GetProperty("locations")[0].GetProperty("address").GetProperty("countyFips").GetString(), Is.EqualTo("29051"));
        var found = await Client.GetJsonAsync("/v1/resources/nearest?lat=38.6123&lon=-92.2456&service=emergency-shelter&limit=1");
        Assert.That(found.Ids("results"), Is.EqualTo(new[] { "create-test" }));
        var again = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _editor, AdminClient.NewListing("create-test"));
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Invalid_fields_are_each_named()
    {
        var bad = AdminClient.NewListing("bad-fields");
        bad["website"] = "javascript:alert(1)";
        bad["email"] = "not-an-email";
        bad["phones"] = new[] { new { number = "call us maybe", type = "voice" }, new { number = "555", type = "pager" } };
        bad["services"] = new[] { new { name = "x", taxonomyCodes = new[] { "shelter" } } };
        bad["locations"] = new object[] { new { latitude = 123.0, longitude = 0.0 } };
        bad["serviceAreas"] = new object[]
        {
            new { type = "polygon", geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { -92.5, 38.8 }, new[] { -92.2, 38.8 }, new[] { -92.2, 39.1 }, new[] { -92.5, 39.1 } } } } },
            new { type = "polygon", geometry = new { type = "Polygon", coordinates = new[] { new[] { new[] { -170.0, -80.0 }, new[] { 170.0, -80.0 }, new[] { 170.0, 80.0 }, new[] { -170.0, 80.0 }, new[] { -170.0, -80.0 } } } } },
            new { type = "county", code = "99999" },
        };
        bad["hours"] = new { timeZone = "Mars/Olympus", periods = new[] { new { day = "Funday", opens = "25:00", closes = "17:00" } } };
        var answer = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _admin, bad);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        var fields = answer.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.That(fields, Is.SupersetOf(new[]
        {
            "website", "email", "phones[0].number", "phones[1].number", "phones[1].type", "services[0].taxonomyCodes[0]",
            "locations[0].latitude", "serviceAreas[0].geometry", "serviceAreas[1].geometry", "serviceAreas[2].code",
            "hours.timeZone", "hours.periods[0].day", "hours.periods[0].opens",
        }));
        Assert.That(answer.Body.GetProperty("errors").GetProperty("serviceAreas[0].geometry")[0].GetString(), Does.Contain("closed"));
        Assert.That(answer.Body.GetProperty("errors").GetProperty("serviceAreas[1].geometry")[0].GetString(), Does.Contain("too large"));
        Assert.That((await Client.SendAsync(HttpMethod.Get, "/v1/admin/listings/bad-fields", _admin)).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("{\"kind\": \"hotline\", \"name\": \"X\", \"unknownField\": 1}", "unknownField")]
    [TestCase("{\"kind\": \"hotline\", \"name\": 42}", "name")]
    [TestCase("{\"kind\": ", "kind")]
    [TestCase("[1, 2", "$")]
    public async Task Malformed_bodies_are_400_naming_the_field(string body, string field)
    {
        var answer = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _admin, rawBody: body);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest), answer.Body.ToString());
        Assert.That(answer.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name), Does.Contain(field));
    }

    [Test]
    public async Task Writes_need_if_match_and_a_stale_etag_loses_nothing()
    {
        var created = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _editor, AdminClient.NewListing("race-test"));
        var etag = created.ETag!;
        var a = AdminClient.NewListing("race-test"); a["name"] = "Edited by A";
        var b = AdminClient.NewListing("race-test"); b["name"] = "Edited by B";

        var noIfMatch = await Client.SendAsync(HttpMethod.Put, "/v1/admin/listings/race-test", _editor, a);
        Assert.That((int)noIfMatch.Status, Is.EqualTo(428));

        // Two editors loaded the same version; A saves first, B's save is refused with 412.
        var first = await Client.SendAsync(HttpMethod.Put, "/v1/admin/listings/race-test", _editor, a, ifMatch: etag);
        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK));
        var second = await Client.SendAsync(HttpMethod.Put, "/v1/admin/listings/race-test", _admin, b, ifMatch: etag);
        Assert.That((int)second.Status, Is.EqualTo(412));
        Assert.That(second.ETag, Is.EqualTo(first.ETag), "the 412 tells the current ETag");
        var now = await Client.SendAsync(HttpMethod.Get, "/v1/admin/listings/race-test", _editor);
        Assert.That(now.Body.GetProperty("listing").GetProperty("name").GetString(), Is.EqualTo("Edited by A"));

        // Many concurrent writers with the same ETag: exactly one wins.
        var current = now.ETag!;
        var racers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
        {
            var body = AdminClient.NewListing("race-test"); body["name"] = $"Racer {i}";
            return Client.SendAsync(HttpMethod.Put, "/v1/admin/listings/race-test", _editor, body, ifMatch: current);
        }));
        Assert.That(racers.Count(r => r.Status == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(racers.Count(r => (int)r.Status == 412), Is.EqualTo(9));
    }

    [Test]
    public async Task Merge_patch_changes_only_the_given_fields()
    {
        var created = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _editor, AdminClient.NewListing("patch-test"));
        var patched = await Client.SendAsync(HttpMethod.Patch, "/v1/admin/listings/patch-test", _editor,
            rawBody: "{\"description\": \"Now open to everyone.\", \"email\": null}", ifMatch: created.ETag, contentType: "application/merge-patch+json");
        Assert.That(patched.Status, Is.EqualTo(HttpStatusCode.OK), patched.Body.ToString());
        var l = patched.Body.GetProperty("listing");
        Assert.That(l.GetProperty("description").GetString(), Is.EqualTo("Now open to everyone."));
        Assert.That(l.GetProperty("email").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(l.GetProperty("name").GetString(), Is.EqualTo("Test Agency"));
        Assert.That(l.GetProperty("phones")[0].GetProperty("number").GetString(), Is.EqualTo("(573) 555-0199"));
        var badPatch = await Client.SendAsync(HttpMethod.Patch, "/v1/admin/listings/patch-test", _editor,
            rawBody: "{\"phones\": [{\"number\": \"nope\"}]}", ifMatch: patched.ETag, contentType: "application/merge-patch+json");
        Assert.That(badPatch.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(badPatch.Body.GetProperty("errors").TryGetProperty("phones[0].number", out _), Is.True);
    }

    [Test]
    public async Task Retire_hides_restore_brings_back_purge_is_for_admins()
    {
        var created = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _editor, AdminClient.NewListing("retire-test"));
        var retired = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings/retire-test/retire", _editor, ifMatch: created.ETag);
        Assert.That(retired.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(retired.Body.GetProperty("retired").GetBoolean(), Is.True);
        await Client.GetJsonAsync("/v1/resources/retire-test", 404);
        var near = await Client.GetJsonAsync("/v1/resources/nearest?lat=38.5767&lon=-92.1735&limit=50");
        Assert.That(near.Ids("results"), Does.Not.Contain("retire-test"));

        var restored = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings/retire-test/restore", _editor, ifMatch: retired.ETag);
        Assert.That(restored.Body.GetProperty("retired").GetBoolean(), Is.False);
        await Client.GetJsonAsync("/v1/resources/retire-test");

        var editorPurge = await Client.SendAsync(HttpMethod.Delete, "/v1/admin/listings/retire-test", _editor, ifMatch: restored.ETag);
        Assert.That(editorPurge.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var purge = await Client.SendAsync(HttpMethod.Delete, "/v1/admin/listings/retire-test", _admin, ifMatch: restored.ETag);
        Assert.That(purge.Status, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Client.SendAsync(HttpMethod.Get, "/v1/admin/listings/retire-test", _admin)).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Verification_review_queue_and_public_last_verified()
    {
        // The real coalitions in the demo were never verified: they are in the queue.
        var queue = await Client.SendAsync(HttpMethod.Get, "/v1/admin/review-queue?limit=200", _editor);
        var ids = queue.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToArray();
        Assert.That(ids, Does.Contain("central-missouri-stop-human-trafficking-coalition"));
        Assert.That(queue.Body.GetProperty("staleAfterMonths").GetInt32(), Is.EqualTo(12));

        var current = await Client.SendAsync(HttpMethod.Get, "/v1/admin/listings/central-missouri-stop-human-trafficking-coalition", _editor);
        Assert.That(current.Body.GetProperty("stale").GetBoolean(), Is.True);
        var bad = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings/central-missouri-stop-human-trafficking-coalition/verify", _editor, new { method = "telepathy" }, ifMatch: current.ETag);
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        var verified = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings/central-missouri-stop-human-trafficking-coalition/verify", _editor,
            new { method = "phone-call", notes = "Spoke with the coordinator." }, ifMatch: current.ETag);
        Assert.That(verified.Status, Is.EqualTo(HttpStatusCode.OK), verified.Body.ToString());
        var v = verified.Body.GetProperty("lastVerification");
        Assert.That(v.GetProperty("byName").GetString(), Is.EqualTo("Erin Editor"));
        Assert.That(v.GetProperty("method").GetString(), Is.EqualTo("phone-call"));
        Assert.That(verified.Body.GetProperty("stale").GetBoolean(), Is.False);

        var after = await Client.SendAsync(HttpMethod.Get, "/v1/admin/review-queue?limit=200", _editor);
        Assert.That(after.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()), Does.Not.Contain("central-missouri-stop-human-trafficking-coalition"));
        var pub = await Client.GetJsonAsync("/v1/resources/central-missouri-stop-human-trafficking-coalition");
        Assert.That(pub.GetProperty("lastVerified").GetString(), Is.EqualTo(DateOnly.FromDateTime(App.Time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd")));

        // Time passes: 13 months later it is stale again.
        var was = App.Time.GetUtcNow();
        App.Time.Set(was.AddMonths(13));
        try
        {
            // A token issued now: the one from 13 months ago has long expired on the service's clock.
            var editorNow = TestTokens.Mint([Roles.Editor], issuedAt: App.Time.GetUtcNow(), oid: "00000000-0000-0000-0000-0000000000e1", name: "Erin Editor");
            Assert.That((await Client.SendAsync(HttpMethod.Get, "/v1/admin/review-queue?limit=200", _editor)).Status, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized), "expired on the service's clock");
            var later = await Client.SendAsync(HttpMethod.Get, "/v1/admin/review-queue?limit=200", editorNow);
            Assert.That(later.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()), Does.Contain("central-missouri-stop-human-trafficking-coalition"));
        }
        finally { App.Time.Set(was); }
    }

    [Test]
    public async Task Audit_records_who_when_and_what_changed()
    {
        var created = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _editor, AdminClient.NewListing("audit-test"));
        var body = AdminClient.NewListing("audit-test"); body["name"] = "Audited Agency";
        await Client.SendAsync(HttpMethod.Put, "/v1/admin/listings/audit-test", _editor, body, ifMatch: created.ETag);
        var audit = await Client.SendAsync(HttpMethod.Get, "/v1/admin/audit?listingId=audit-test", _admin);
        var entries = audit.Body.GetProperty("entries").EnumerateArray().ToArray();
        Assert.That(entries.Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "replace", "create" }));
        var replace = entries[0];
        Assert.That(replace.GetProperty("actorObjectId").GetString(), Is.EqualTo("00000000-0000-0000-0000-0000000000e1"));
        Assert.That(replace.GetProperty("actorName").GetString(), Is.EqualTo("Erin Editor"));
        var change = replace.GetProperty("changes").EnumerateArray().Single();
        Assert.That(change.GetProperty("field").GetString(), Is.EqualTo("name"));
        Assert.That(change.GetProperty("before").GetString(), Is.EqualTo("\"Test Agency\""));
        Assert.That(change.GetProperty("after").GetString(), Is.EqualTo("\"Audited Agency\""));
        var byActor = await Client.SendAsync(HttpMethod.Get, "/v1/admin/audit?actor=00000000-0000-0000-0000-0000000000e1&action=create&limit=500", _admin);
        Assert.That(byActor.Body.GetProperty("entries").EnumerateArray().All(e => e.GetProperty("action").GetString() == "create"), Is.True);
        var badDate = await Client.SendAsync(HttpMethod.Get, "/v1/admin/audit?from=yesterday", _admin);
        Assert.That(badDate.Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
