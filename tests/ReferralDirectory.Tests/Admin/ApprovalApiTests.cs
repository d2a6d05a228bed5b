using System.Net;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Admin;

/// <summary>The approval queue for confidential-location changes through the admin API: a move, a new confidential
/// location and making one public answer 202 and change nothing until a second editor approves; the proposer cannot
/// approve; a stale ETag is 412 before anything is queued; an approval of a listing that changed meanwhile is refused
/// (nothing is overwritten unseen); rejecting writes nothing; other changes are written at once.</summary>
public sealed class ApprovalApiTests
{
    private const string Shelter = "demo-boone-county-safe-house";
    private static readonly string First = TestTokens.Mint([Roles.Editor], oid: "00000000-0000-0000-0000-0000000000c1", name: "First Editor");
    private static readonly string Second = TestTokens.Mint([Roles.Editor], oid: "00000000-0000-0000-0000-0000000000c2", name: "Second Editor");

    private static object MovedTo(string street) => new
    {
        locations = new[] { new { id = "moved", confidential = true, address = new { street1 = street, city = "Centralia", state = "MO", postalCode = "65240" } } },
    };

    [Test]
    public async Task A_move_waits_for_a_second_editor_with_a_county_only_preview_and_is_written_when_approved()
    {
        await using var app = new DirectoryApp();
        using var client = app.Client();
        var current = await client.SendAsync(HttpMethod.Get, $"/v1/admin/listings/{Shelter}", First);
        var publicBefore = await client.GetStringAsync($"/v1/resources/{Shelter}");

        var stale = await client.SendAsync(HttpMethod.Patch, $"/v1/admin/listings/{Shelter}", First, MovedTo("40 Elm Lane"), ifMatch: "\"stale\"", contentType: "application/merge-patch+json");
        Assert.That(stale.Status, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(await app.Service<IDirectoryStore>().ListWorkItemsAsync(WorkItemKinds.Approval, true, 10), Is.Empty);

        var proposed = await client.SendAsync(HttpMethod.Patch, $"/v1/admin/listings/{Shelter}", First, MovedTo("40 Elm Lane"), ifMatch: current.ETag, contentType: "application/merge-patch+json");
        Assert.That(proposed.Status, Is.EqualTo(HttpStatusCode.Accepted), proposed.Body.ToString());
        var id = proposed.Body.GetProperty("id").GetString()!;
        Assert.That(proposed.Response.Headers.Location!.ToString(), Is.EqualTo($"/v1/admin/approvals/{id}"));
        Assert.That(proposed.Body.GetProperty("status").GetString(), Is.EqualTo("open"));
        Assert.That(proposed.Body.GetProperty("createdByName").GetString(), Is.EqualTo("First Editor"));
        Assert.That(proposed.Body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "Adds the confidential location moved." }));
        var changes = proposed.Body.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!, c => c.GetProperty("after").ToString());
        Assert.That(changes["locations[0].address.street1"], Is.EqualTo("40 Elm Lane"));
        Assert.That(changes["locations[0].id"], Is.EqualTo("moved"));
        var preview = proposed.Body.GetProperty("publicPreview").GetRawText();
        Assert.That(preview, Does.Contain("Boone County").And.Not.Contain("Centralia").And.Not.Contain("65240").And.Not.Contain("Elm Lane").And.Not.Contain("\"moved\""));

        // Nothing changed yet, for the public or in the store.
        Assert.That(await client.GetStringAsync($"/v1/resources/{Shelter}"), Is.EqualTo(publicBefore));
        Assert.That((await client.SendAsync(HttpMethod.Get, $"/v1/admin/listings/{Shelter}", First)).ETag, Is.EqualTo(current.ETag));
        var list = await client.SendAsync(HttpMethod.Get, "/v1/admin/approvals", Second);
        Assert.That(list.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()), Is.EqualTo(new[] { id }));

        var own = await client.SendAsync(HttpMethod.Post, $"/v1/admin/approvals/{id}/approve", First);
        Assert.That(own.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(own.Body.GetProperty("title").GetString(), Is.EqualTo("You cannot approve your own change."));
        var approved = await client.SendAsync(HttpMethod.Post, $"/v1/admin/approvals/{id}/approve", Second);
        Assert.That(approved.Status, Is.EqualTo(HttpStatusCode.OK), approved.Body.ToString());
        Assert.That(approved.Body.GetProperty("listing").GetProperty("locations")[0].GetProperty("address").GetProperty("street1").GetString(), Is.EqualTo("40 Elm Lane"));
        var again = await client.SendAsync(HttpMethod.Post, $"/v1/admin/approvals/{id}/approve", Second);
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await client.SendAsync(HttpMethod.Get, "/v1/admin/approvals", Second)).Body.GetProperty("items").GetArrayLength(), Is.Zero);
        var audit = await app.Service<IDirectoryStore>().QueryAuditAsync(new AuditQuery { ListingId = Shelter, Limit = 5 });
        Assert.That(audit.Select(a => (a.Action, a.Actor.Name)).Take(3), Is.EqualTo(new[] { ("approve", "Second Editor"), ("approval-approve", "Second Editor"), ("approval-request", "First Editor") }));
    }

    [Test]
    public async Task Making_a_location_public_waits_a_listing_changed_meanwhile_is_not_overwritten_and_a_rejection_writes_nothing()
    {
        await using var app = new DirectoryApp();
        using var client = app.Client();
        var current = await client.SendAsync(HttpMethod.Get, $"/v1/admin/listings/{Shelter}", First);
        var location = current.Body.GetProperty("listing").GetProperty("locations")[0];
        var unhide = await client.SendAsync(HttpMethod.Patch, $"/v1/admin/listings/{Shelter}", First, new
        {
            locations = new[] { new { id = location.GetProperty("id").GetString(), confidential = false, latitude = 39.0030, longitude = -92.1564,
                address = new { street1 = "Route B, Box 18", city = "Hallsville", state = "MO", postalCode = "65255" } } },
        }, ifMatch: current.ETag, contentType: "application/merge-patch+json");
        Assert.That(unhide.Status, Is.EqualTo(HttpStatusCode.Accepted), unhide.Body.ToString());
        Assert.That(unhide.Body.GetProperty("reasons")[0].GetString(), Does.StartWith("Makes the confidential location").And.EndWith("public."));
        Assert.That(unhide.Body.GetProperty("publicPreview").GetRawText(), Does.Contain("Hallsville"), "the preview shows what the public would see");

        // A change that leaves confidential locations alone is written at once, and the waiting change is now stale.
        var phone = await client.SendAsync(HttpMethod.Patch, $"/v1/admin/listings/{Shelter}", First, new { description = "Call first." }, ifMatch: current.ETag, contentType: "application/merge-patch+json");
        Assert.That(phone.Status, Is.EqualTo(HttpStatusCode.OK), phone.Body.ToString());
        var approve = await client.SendAsync(HttpMethod.Post, $"/v1/admin/approvals/{unhide.Body.GetProperty("id").GetString()}/approve", Second);
        Assert.That(approve.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(approve.Body.GetProperty("title").GetString(), Is.EqualTo("The listing changed after this change was proposed."));
        var stored = (await app.Service<IDirectoryStore>().GetAsync(Shelter))!.Listing;
        Assert.That((stored.Locations[0].Confidential, stored.Description), Is.EqualTo((true, "Call first.")));
        Assert.That(await client.GetStringAsync($"/v1/resources/{Shelter}"), Does.Not.Contain("Hallsville"));

        // A rejected change writes nothing and leaves the queue.
        current = await client.SendAsync(HttpMethod.Get, $"/v1/admin/listings/{Shelter}", First);
        var move = await client.SendAsync(HttpMethod.Patch, $"/v1/admin/listings/{Shelter}", First, MovedTo("1 Oak Road"), ifMatch: current.ETag, contentType: "application/merge-patch+json");
        var rejected = await client.SendAsync(HttpMethod.Post, $"/v1/admin/approvals/{move.Body.GetProperty("id").GetString()}/reject", Second, new { note = "Wrong street." });
        Assert.That(rejected.Status, Is.EqualTo(HttpStatusCode.OK), rejected.Body.ToString());
        Assert.That((rejected.Body.GetProperty("status").GetString(), rejected.Body.GetProperty("note").GetString(), rejected.Body.GetProperty("resolvedByName").GetString()),
            Is.EqualTo(("rejected", "Wrong street.", "Second Editor")));
        Assert.That((await client.SendAsync(HttpMethod.Get, $"/v1/admin/listings/{Shelter}", First)).ETag, Is.EqualTo(current.ETag));
        var tooLong = await client.SendAsync(HttpMethod.Post, $"/v1/admin/approvals/nope/reject", Second, new { note = new string('x', 1001) });
        Assert.That(tooLong.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(tooLong.Body.GetProperty("errors").GetProperty("note")[0].GetString(), Is.EqualTo("At most 1000 characters."));
        var missing = await client.SendAsync(HttpMethod.Post, "/v1/admin/approvals/nope/approve", Second);
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.NotFound));
        var caseworker = await client.SendAsync(HttpMethod.Get, "/v1/admin/approvals", TestTokens.For(Roles.Caseworker));
        Assert.That(caseworker.Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
