using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ReferralDirectory.Tests.Web;

/// <summary>The admin console's partner keys page (/staff/admin/keys, admins only) and a listing's history page
/// (/staff/admin/listings/{id}/history: field diffs, retire and restore, purge for admins with a typed id) in a real
/// browser, against the API's own keys and listings; English and Spanish, axe on every page.</summary>
public sealed class AdminOpsTests : StaffConsoleTests
{
    private string Token(string role) => DevToken(role, "ops-test-" + role, "Ops Test");

    /// <summary>A new listing made through the admin API; its ETag.</summary>
    private async Task<string> CreateListingAsync(string id)
    {
        using var client = App.Client();
        var created = await client.SendAsync(HttpMethod.Post, "/v1/admin/listings", Token(Roles.Editor), AdminClient.NewListing(id));
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body.ToString());
        return created.ETag!;
    }

    private async Task<HttpStatusCode> PublicStatusAsync(string id)
    {
        using var client = App.Client();
        using var response = await client.GetAsync($"/v1/resources/{id}");
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> WithKeyAsync(string key)
    {
        using var client = App.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/hotlines?lat=38.6&lon=-90.2");
        request.Headers.Add("X-Api-Key", key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Test]
    public async Task An_admin_creates_a_partner_key_sees_it_once_it_works_and_revoked_after_confirming_it_is_refused()
    {
        var store = App.Service<IDirectoryStore>();
        var before = (await store.ListApiKeysAsync()).Count;
        await SignInAsync("Admin", "Ana Admin");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Partner keys" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Url("/staff/admin/keys"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Partner keys");
        await Expect(Page.GetByLabel("Requests a minute")).ToHaveValueAsync("1000000"); // the configured default (the test app's)
        await AssertAccessibleAsync(Page, "the partner keys page");

        // Refused fields: the rule's messages beside them, and no key made.
        ExpectConsoleError("the server responded with a status of 400");
        await Page.GetByLabel("Requests a minute").FillAsync("lots");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Expect(Page.Locator("#key-name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.Locator("#key-name-error")).ToHaveTextAsync("Required: the partner's name, at most 100 characters.");
        await Expect(Page.Locator("#key-requestsPerMinute")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.Locator("#key-requestsPerMinute-error")).ToHaveTextAsync("Must be from 1 to 1000000.");
        await Expect(Page.Locator(".error-summary li")).ToHaveTextAsync(["Required: the partner's name, at most 100 characters.", "Must be from 1 to 1000000."]);
        await Expect(Page.GetByLabel("Requests a minute")).ToHaveValueAsync("lots");
        await AssertAccessibleAsync(Page, "the partner keys page with problems");
        Assert.That(await store.ListApiKeysAsync(), Has.Count.EqualTo(before));

        await Page.GetByLabel("Partner's name").FillAsync("River City Shelter App");
        await Page.GetByLabel("Requests a minute").FillAsync("120");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Partner key created");
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The key for “River City Shelter App” is ready.");
        var secret = await Page.GetByLabel("The partner's key").InputValueAsync();
        Assert.That(secret, Does.Match("^rdk_[A-Za-z0-9_-]{43}$"));
        await Expect(Page.Locator("#new-key-hint")).ToContainTextAsync("Copy it now");
        await Expect(Page.Locator("#new-key-hint")).ToContainTextAsync("it is not shown again");
        await Expect(Page.GetByText("Quota: 120 requests a minute.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(Page, "the new key's page");

        // The key works for a partner's request; an unknown one is refused.
        Assert.That(await WithKeyAsync(secret), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await WithKeyAsync("rdk_" + new string('x', 43)), Is.EqualTo(HttpStatusCode.Unauthorized));
        var record = (await store.ListApiKeysAsync()).Single(k => k.Name == "River City Shelter App");
        Assert.That(record.RequestsPerMinute, Is.EqualTo(120));
        var created = await store.QueryAuditAsync(new AuditQuery { Action = "api-key-create", Limit = 50 });
        Assert.That(created.Count(e => e.Actor.Name == "Ana Admin" && e.Changes.Single().After!.Contains(record.Id, StringComparison.Ordinal)), Is.EqualTo(1));

        // Never again: the list shows the name, quota, state and the key's first characters only.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Back to partner keys" }).ClickAsync();
        var row = Page.Locator(".keys-table tbody tr").Filter(new() { Has = Page.GetByRole(AriaRole.Rowheader, new() { Name = "River City Shelter App" }) });
        await Expect(row.Locator("td")).ToHaveTextAsync([$"{secret[..8]}…", "November 18, 2026 by Ana Admin", "120 a minute", "Active", "Revoke River City Shelter App…"]);
        Assert.That(await Page.ContentAsync(), Does.Not.Contain(secret));

        await row.GetByRole(AriaRole.Link, new() { Name = "Revoke River City Shelter App" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Revoke the key “River City Shelter App”?");
        Assert.That(await Page.ContentAsync(), Does.Not.Contain(secret));
        await AssertAccessibleAsync(Page, "the revoke confirmation");
        // Cancel changes nothing.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("Active");
        Assert.That(await WithKeyAsync(secret), Is.EqualTo(HttpStatusCode.OK));

        await row.GetByRole(AriaRole.Link, new() { Name = "Revoke River City Shelter App" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The key “River City Shelter App” is revoked: requests with it are refused.");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("Revoked November 18, 2026");
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
        await AssertAccessibleAsync(Page, "the partner keys page after a revoke");
        Assert.That(await WithKeyAsync(secret), Is.EqualTo(HttpStatusCode.Unauthorized));
        var revoked = await store.QueryAuditAsync(new AuditQuery { Action = "api-key-revoke", Limit = 50 });
        Assert.That(revoked.Count(e => e.Actor.Name == "Ana Admin" && e.Changes.Single().Before!.Contains(record.Id, StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task The_keys_page_in_Spanish_passes_axe_and_an_editor_gets_403_and_no_link()
    {
        await SignInAsync("Admin", "Ana Admin");
        await Page.GotoAsync(Url("/staff/admin/keys?lang=es"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Claves de socios");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Claves de socios" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Crear la clave" })).ToBeVisibleAsync();
        ExpectConsoleError("the server responded with a status of 400");
        await Page.GetByLabel("Solicitudes por minuto").FillAsync("0");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Crear la clave" }).ClickAsync();
        await Expect(Page.Locator("#key-name-error")).ToHaveTextAsync("Obligatorio: el nombre del socio, como máximo 100 caracteres.");
        await Expect(Page.Locator("#key-requestsPerMinute-error")).ToHaveTextAsync("Debe ser de 1 a 1000000.");
        await AssertAccessibleAsync(Page, "the partner keys page in Spanish");

        await Context.ClearCookiesAsync();
        await SignInAsync("Editor", "Eva Editor");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Review board" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Partner keys" })).ToHaveCountAsync(0);
        ExpectConsoleError("the server responded with a status of 403");
        var response = await Page.GotoAsync(Url("/staff/admin/keys"));
        Assert.That(response!.Status, Is.EqualTo(403));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("You do not have access to this page");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Partner keys" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync(Page, "the keys page's 403");
        var before = (await App.Service<IDirectoryStore>().ListApiKeysAsync()).Count;
        var posted = await Context.APIRequest.PostAsync(Url("/staff/admin/keys"), new() { Form = Context.APIRequest.CreateFormData().Set("name", "Sneaky") });
        Assert.That(posted.Status, Is.EqualTo(403));
        Assert.That(await App.Service<IDirectoryStore>().ListApiKeysAsync(), Has.Count.EqualTo(before));
    }

    [Test]
    public async Task The_history_shows_an_API_edit_of_the_phone_as_old_and_new_number_in_English_and_Spanish()
    {
        var etag = await CreateListingAsync("history-phone");
        using (var client = App.Client())
        {
            var patched = await client.SendAsync(HttpMethod.Patch, "/v1/admin/listings/history-phone", Token(Roles.Editor),
                rawBody: "{\"phones\": [{\"number\": \"(573) 555-0142\", \"type\": \"voice\"}]}", ifMatch: etag, contentType: "application/merge-patch+json");
            Assert.That(patched.Status, Is.EqualTo(HttpStatusCode.OK), patched.Body.ToString());
        }

        await SignInAsync("Editor", "Eva Editor");
        await Page.GotoAsync(Url("/staff/admin/listings/history-phone/history"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("History: Test Agency");
        await Expect(Page.Locator(".listing-state dd")).ToHaveTextAsync(["history-phone", "Live: searches find it."]);
        var entries = Page.Locator(".history > li");
        await Expect(entries).ToHaveCountAsync(2);
        await Expect(entries.Locator("h3")).ToHaveTextAsync(["Edited (some fields) · November 18, 2026 15:00 UTC · Ops Test", "Created · November 18, 2026 15:00 UTC · Ops Test"]);
        // Only what changed, value by value.
        await Expect(entries.First.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(entries.First.Locator("tbody tr td, tbody tr th")).ToHaveTextAsync(["phones[0].number", "(573) 555-0199", "(573) 555-0142"]);
        // The creation: every field from nothing.
        var created = entries.Nth(1).Locator("tbody tr").Filter(new() { Has = Page.Locator("th", new() { HasTextRegex = new Regex("^phones\\[0\\]\\.number$") }) });
        await Expect(created.Locator("td")).ToHaveTextAsync(["(none)", "(573) 555-0199"]);
        await Expect(entries.Nth(1).Locator("tbody tr").Filter(new() { Has = Page.Locator("th", new() { HasTextRegex = new Regex("^languages$") }) }).Locator("td"))
            .ToHaveTextAsync(["(none)", "en, es"]);
        // Editors see no purge.
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Purge listing" })).ToHaveCountAsync(0);
        await Expect(Page.GetByLabel(new Regex("Type the listing's id"))).ToHaveCountAsync(0);
        await AssertAccessibleAsync(Page, "a listing's history");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Español" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Url("/staff/admin/listings/history-phone/history?lang=es"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Historial: Test Agency");
        await Expect(entries.Locator("h3")).ToHaveTextAsync(["Editado (algunos campos) · 18 de noviembre de 2026 15:00 UTC · Ops Test", "Creado · 18 de noviembre de 2026 15:00 UTC · Ops Test"]);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Retirar el listado" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(Page, "a listing's history in Spanish");
    }

    [Test]
    public async Task A_long_history_pages_on_to_older_changes()
    {
        var etag = await CreateListingAsync("history-long");
        using var client = App.Client();
        async Task EditAsync(int version)
        {
            var patched = await client.SendAsync(HttpMethod.Patch, "/v1/admin/listings/history-long", Token(Roles.Editor),
                rawBody: $"{{\"description\": \"Version {version}.\"}}", ifMatch: etag, contentType: "application/merge-patch+json");
            Assert.That(patched.Status, Is.EqualTo(HttpStatusCode.OK));
            etag = patched.ETag!;
        }
        // The creation and 49 edits: one page exactly, nothing older.
        for (var i = 1; i < ReferralDirectory.Api.WebPages.Admin.AdminOpsPages.HistoryPageSize; i++) await EditAsync(i);
        await SignInAsync("Editor", "Eva Editor");
        await Page.GotoAsync(Url("/staff/admin/listings/history-long/history"));
        var entries = Page.Locator(".history > li");
        await Expect(entries).ToHaveCountAsync(50);
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Older changes" })).ToHaveCountAsync(0);

        // One more: the creation moves to the next page.
        await EditAsync(50);
        await Page.ReloadAsync();
        await Expect(entries).ToHaveCountAsync(50);
        await Expect(entries.First.Locator("tbody tr td")).ToHaveTextAsync(["Version 49.", "Version 50."]);
        await Expect(entries.Last.Locator("tbody tr td")).ToHaveTextAsync(["A listing made by a test.", "Version 1."]);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Older changes" }).ClickAsync();
        await Expect(entries.Locator("h3")).ToHaveTextAsync(["Created · November 18, 2026 15:00 UTC · Ops Test"]);
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Older changes" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Retire listing" })).ToBeVisibleAsync();
    }

    [Test]
    public async Task An_editor_retires_a_listing_and_restores_it_from_the_history_page()
    {
        await CreateListingAsync("history-restore");
        Assert.That(await PublicStatusAsync("history-restore"), Is.EqualTo(HttpStatusCode.OK));
        await SignInAsync("Editor", "Eva Editor");
        await Page.GotoAsync(Url("/staff/admin/listings/history-restore/history"));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Retire listing" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Test Agency is retired: hidden from searches until it is restored.");
        await Expect(Page.Locator(".listing-state dd").Nth(1)).ToHaveTextAsync("Retired: hidden from searches.");
        Assert.That(await PublicStatusAsync("history-restore"), Is.EqualTo(HttpStatusCode.NotFound));
        await AssertAccessibleAsync(Page, "a retired listing's history");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Restore listing" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Test Agency is restored: searches find it again.");
        await Expect(Page.Locator(".listing-state dd").Nth(1)).ToHaveTextAsync("Live: searches find it.");
        Assert.That(await PublicStatusAsync("history-restore"), Is.EqualTo(HttpStatusCode.OK));
        var entries = Page.Locator(".history > li");
        await Expect(entries.Locator("h3")).ToHaveTextAsync([
            "Restored · November 18, 2026 15:00 UTC · Eva Editor", "Retired · November 18, 2026 15:00 UTC · Eva Editor", "Created · November 18, 2026 15:00 UTC · Ops Test"]);
        await Expect(entries.First.Locator("tbody tr td, tbody tr th")).ToHaveTextAsync(["retired", "true", "false"]);
        var stored = await App.Service<IDirectoryStore>().GetAsync("history-restore");
        Assert.That(stored!.Retired, Is.False);
    }

    [Test]
    public async Task A_retire_with_a_stale_version_is_refused_with_a_message_and_changes_nothing()
    {
        var etag = await CreateListingAsync("history-stale");
        await SignInAsync("Editor", "Eva Editor");
        await Page.GotoAsync(Url("/staff/admin/listings/history-stale/history"));
        // Someone else edits it meanwhile through the API.
        using (var client = App.Client())
        {
            var patched = await client.SendAsync(HttpMethod.Patch, "/v1/admin/listings/history-stale", Token(Roles.Editor),
                rawBody: "{\"description\": \"Changed meanwhile.\"}", ifMatch: etag, contentType: "application/merge-patch+json");
            Assert.That(patched.Status, Is.EqualTo(HttpStatusCode.OK));
        }
        ExpectConsoleError("the server responded with a status of 409");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Retire listing" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Test Agency was changed by someone else since you opened this page. Check its history below, then try again.");
        await Expect(Page.Locator(".listing-state dd").Nth(1)).ToHaveTextAsync("Live: searches find it.");
        Assert.That((await App.Service<IDirectoryStore>().GetAsync("history-stale"))!.Retired, Is.False);
    }

    [Test]
    public async Task An_editor_cannot_purge_no_button_and_the_post_is_refused_403()
    {
        var etag = await CreateListingAsync("history-no-purge");
        await SignInAsync("Editor", "Eva Editor");
        await Page.GotoAsync(Url("/staff/admin/listings/history-no-purge/history"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("History: Test Agency");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Purge listing" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Purge" })).ToHaveCountAsync(0);
        var posted = await Context.APIRequest.PostAsync(Url("/staff/admin/listings/history-no-purge/purge"),
            new() { Form = Context.APIRequest.CreateFormData().Set("confirmId", "history-no-purge").Set("etag", etag) });
        Assert.That(posted.Status, Is.EqualTo(403));
        Assert.That(await posted.TextAsync(), Does.Contain("You do not have access to this page"));
        Assert.That(await App.Service<IDirectoryStore>().GetAsync("history-no-purge"), Is.Not.Null);
        Assert.That(await PublicStatusAsync("history-no-purge"), Is.EqualTo(HttpStatusCode.OK));

        ExpectConsoleError("the server responded with a status of 404");
        var missing = await Page.GotoAsync(Url("/staff/admin/listings/no-such-listing/history"));
        Assert.That(missing!.Status, Is.EqualTo(404));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("No such listing");
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("There is no listing with that id, and no history of one.");
        await AssertAccessibleAsync(Page, "the history of no listing");
    }

    [Test]
    public async Task An_admin_purges_only_after_typing_the_listings_id_exactly()
    {
        await CreateListingAsync("history-purge");
        await SignInAsync("Admin", "Ana Admin");
        await Page.GotoAsync(Url("/staff/admin/listings/history-purge/history"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Purge" })).ToBeVisibleAsync();
        var confirm = Page.GetByLabel("Type the listing's id, history-purge, to delete it for good");
        await AssertAccessibleAsync(Page, "a listing's history for an admin");

        ExpectConsoleError("the server responded with a status of 400");
        await confirm.FillAsync("history-purg");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Purge listing" }).ClickAsync();
        await Expect(confirm).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.Locator("#confirmId-error")).ToHaveTextAsync("That is not this listing's id. Type history-purge exactly, or leave the listing as it is.");
        await Expect(Page.Locator(".error-summary li")).ToHaveTextAsync(["That is not this listing's id. Type history-purge exactly, or leave the listing as it is."]);
        await Expect(confirm).ToHaveValueAsync("history-purg");
        await AssertAccessibleAsync(Page, "the purge refused");
        Assert.That(await App.Service<IDirectoryStore>().GetAsync("history-purge"), Is.Not.Null);
        Assert.That(await PublicStatusAsync("history-purge"), Is.EqualTo(HttpStatusCode.OK));

        await confirm.FillAsync("");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Purge listing" }).ClickAsync();
        await Expect(Page.Locator("#confirmId-error")).ToHaveTextAsync("Type the listing's id, history-purge, to purge it.");
        Assert.That(await App.Service<IDirectoryStore>().GetAsync("history-purge"), Is.Not.Null);

        await confirm.FillAsync("history-purge");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Purge listing" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Test Agency is purged: deleted for good. Its history stays in the audit log.");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("History: history-purge");
        await Expect(Page.Locator(".listing-state dd").Nth(1)).ToHaveTextAsync("Purged: deleted for good.");
        await Expect(Page.Locator(".history > li h3").First).ToHaveTextAsync("Purged · November 18, 2026 15:00 UTC · Ana Admin");
        await Expect(Page.Locator("main form")).ToHaveCountAsync(0); // nothing left to retire, restore or purge
        await AssertAccessibleAsync(Page, "a purged listing's history");
        Assert.That(await App.Service<IDirectoryStore>().GetAsync("history-purge"), Is.Null);
        Assert.That(await PublicStatusAsync("history-purge"), Is.EqualTo(HttpStatusCode.NotFound));
        var audit = await App.Service<IDirectoryStore>().QueryAuditAsync(new AuditQuery { ListingId = "history-purge", Action = "purge", Limit = 5 });
        Assert.That(audit.Select(e => e.Actor.Name), Is.EqualTo(new[] { "Ana Admin" }));
    }

    [Test]
    public async Task Signed_out_the_pages_redirect_to_sign_in_and_back()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };
        using var keys = await client.GetAsync("/staff/admin/keys");
        Assert.That(keys.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(keys.Headers.Location?.ToString(), Is.EqualTo("/staff/sign-in?ReturnUrl=%2Fstaff%2Fadmin%2Fkeys"));
        using var history = await client.GetAsync("/staff/admin/listings/demo-x/history?lang=es");
        Assert.That(history.Headers.Location?.ToString(), Is.EqualTo("/staff/sign-in?lang=es&ReturnUrl=%2Fstaff%2Fadmin%2Flistings%2Fdemo-x%2Fhistory%3Flang%3Des"));
        using var purge = await client.PostAsync("/staff/admin/listings/demo-x/purge", new FormUrlEncodedContent([new("confirmId", "demo-x")]));
        Assert.That(purge.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }
}

/// <summary>The history page's diff rule (<see cref="ReferralDirectory.Api.Admin.ListingDiff"/>) on the store's field changes.</summary>
public sealed class ListingDiffTests
{
    private static string[] Rows(params FieldChange[] changes) =>
        [.. ReferralDirectory.Api.Admin.ListingDiff.Of(changes).Select(d => $"{d.Path}: {d.Before ?? "-"} -> {d.After ?? "-"}")];

    [Test]
    public void Objects_and_lists_of_objects_are_walked_to_the_values_that_changed_other_lists_are_one_value()
    {
        Assert.That(Rows(
                new FieldChange("phones", """[{"number":"(573) 555-0199","type":"voice"}]""", """[{"number":"(573) 555-0142","type":"voice"},{"number":"988","type":"text"}]"""),
                new FieldChange("languages", """["en","es"]""", """["en"]"""),
                new FieldChange("readiness", null, """{"staffOnly":true}"""),
                new FieldChange("description", "\"\"", "\"Open to all.\""),
                new FieldChange("retired", "false", "true")),
            Is.EqualTo(new[]
            {
                "phones[0].number: (573) 555-0199 -> (573) 555-0142", "phones[1].number: - -> 988", "phones[1].type: - -> text",
                "languages: en, es -> en", "readiness.staffOnly: - -> true", "description: - -> Open to all.", "retired: false -> true",
            }));
    }

    [Test]
    public void Long_values_are_cut_and_equal_values_are_left_out()
    {
        var rows = ReferralDirectory.Api.Admin.ListingDiff.Of([new FieldChange("description", "\"same\"", "\"same\""), new FieldChange("name", null, $"\"{new string('a', 400)}\"")]);
        Assert.That(rows.Select(r => r.Path), Is.EqualTo(new[] { "name" }));
        Assert.That(rows[0].After, Is.EqualTo(new string('a', ReferralDirectory.Api.Admin.ListingDiff.MaxText) + "…"));
    }
}
