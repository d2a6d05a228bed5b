using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ReferralDirectory.Tests.Web;

/// <summary>The listing editor (/staff/admin/listings/{id}) and the approvals page in a real browser: an edit reaches
/// public search; an invalid phone shows the validator's message beside the field and saves nothing; two editors saving
/// the same listing are merged field by field (nothing lost); a confidential location moves only when a second editor
/// approves, never on its proposer's approval; axe on every page, English and Spanish.</summary>
public sealed class ListingEditorTests : StaffConsoleTests
{
    private string Token(string oid) => DevToken(Roles.Editor, oid, "Editor " + oid);

    private async Task<IPage> SecondEditorAsync(string name)
    {
        var context = await Browser.NewContextAsync(ContextOptions());
        var page = await context.NewPageAsync();
        Watch(page);
        await SignInAsync(page, "Editor", name);
        return page;
    }

    private Task<StoredListing?> StoredAsync(string id) => App.Service<IDirectoryStore>().GetAsync(id);

    private async Task<string> PublicAsync(string path)
    {
        using var client = App.Client();
        return await client.GetStringAsync(path);
    }

    [Test]
    public async Task An_editor_changes_a_phone_number_and_public_search_shows_it_and_an_invalid_one_is_refused_beside_the_field()
    {
        const string id = "demo-gateway-survivor-services";
        await SignInAsync(Page, "Editor", "Edith Editor");
        // The board links every listing to its editor.
        await Page.GotoAsync(Url("/staff/admin"));
        var first = Page.Locator(".review-queue > li h3 a").First;
        await Expect(first).ToHaveAttributeAsync("href", new Regex("^/staff/admin/listings/[a-z0-9-]+$"));
        await Page.GotoAsync(Url($"/staff/admin/listings/{id}"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Edit Gateway Survivor Services (demo)");
        var phone = Page.Locator("#f-phones-0-number");
        await Expect(phone).ToHaveValueAsync("(573) 555-0101");
        foreach (var section in new[] { "About", "Phones", "Services", "Locations", "Service areas", "Opening hours", "Who it serves", "Referral readiness", "Funding (funding sources only)" })
            await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = section, Exact = true, Level = 2 })).ToBeVisibleAsync();
        await AssertAccessibleAsync(Page, "the listing editor");

        // An invalid number: the validator's message beside the field, in the summary, and nothing saved.
        var before = await StoredAsync(id);
        ExpectConsoleError("the server responded with a status of 400");
        await phone.FillAsync("12");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).First.ClickAsync();
        await Expect(phone).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.Locator("#f-phones-0-number-error")).ToHaveTextAsync(FieldRules.PhoneHint);
        await Expect(Page.Locator(".error-summary")).ToContainTextAsync($"Phone 1 · Number: {FieldRules.PhoneHint}");
        await Expect(phone).ToHaveValueAsync("12");
        await AssertAccessibleAsync(Page, "the listing editor with a problem");
        Assert.That((await StoredAsync(id))!.ETag, Is.EqualTo(before!.ETag), "nothing was saved");
        Assert.That(await PublicAsync($"/v1/resources/{id}"), Does.Contain("(573) 555-0101"));

        // A valid number: saved, audited, and in public search at once.
        await phone.FillAsync("(314) 555-0177");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).First.ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your changes are saved.");
        await Expect(Page).ToHaveURLAsync(Url($"/staff/admin/listings/{id}?saved=1"));
        await Expect(phone).ToHaveValueAsync("(314) 555-0177");
        var after = (await StoredAsync(id))!;
        Assert.That(after.Listing.Phones[0].Number, Is.EqualTo("(314) 555-0177"));
        Assert.That(StoreJson.Serialize(after.Listing with { Phones = before.Listing.Phones }), Is.EqualTo(StoreJson.Serialize(before.Listing)), "only the phone changed");
        var near = System.Text.Json.JsonDocument.Parse(await PublicAsync("/v1/resources/nearest?lat=38.6270&lon=-90.1994&limit=1")).RootElement;
        var card = near.GetProperty("results")[0];
        Assert.That(card.GetProperty("id").GetString(), Is.EqualTo(id));
        Assert.That(card.GetRawText(), Does.Contain("(314) 555-0177"));
        var audit = await App.Service<IDirectoryStore>().QueryAuditAsync(new AuditQuery { ListingId = id, Action = "edit", Limit = 5 });
        Assert.That(audit.Single().Actor.Name, Is.EqualTo("Edith Editor"));
        Assert.That(audit.Single().Changes.Select(c => c.Field), Is.EqualTo(new[] { "phones" }));
    }

    [Test]
    public async Task Two_editors_save_the_same_listing_and_after_merging_both_changes_are_kept()
    {
        const string id = "demo-ozarks-survivor-network";
        var start = (await StoredAsync(id))!.Listing;
        await SignInAsync(Page, "Editor", "Ann First");
        var second = await SecondEditorAsync("Ben Second");
        await Page.GotoAsync(Url($"/staff/admin/listings/{id}"));
        await second.GotoAsync(Url($"/staff/admin/listings/{id}"));

        // Ann changes the phone and the description; Ben, from the same version, the website and the description.
        await Page.Locator("#f-phones-0-number").FillAsync("(417) 555-0111");
        await Page.Locator("#f-description").FillAsync("Ann's description.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).First.ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your changes are saved.");

        await second.Locator("#f-website").FillAsync("https://ozarks-network.example.org/help");
        await second.Locator("#f-description").FillAsync("Ben's description.");
        ExpectConsoleError("the server responded with a status of 409");
        await second.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).First.ClickAsync();
        await Expect(second.GetByRole(AriaRole.Heading, new() { Name = "Someone else saved this listing first" })).ToBeVisibleAsync();
        await Expect(second.Locator(".merge")).ToContainTextAsync("Ann First saved it after you opened it.");
        var table = second.GetByRole(AriaRole.Table, new() { Name = "Their changes and yours" });
        var phoneRow = table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Phone 1 · Number" });
        await Expect(phoneRow).ToContainTextAsync(start.Phones[0].Number);
        await Expect(phoneRow).ToContainTextAsync("(417) 555-0111");
        var descriptionRow = table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Description" });
        await Expect(descriptionRow).ToContainTextAsync("Ann's description.");
        await Expect(descriptionRow).ToContainTextAsync("Ben's description.");
        // Their change is in the form now; Ben's are kept; nothing is saved yet.
        await Expect(second.Locator("#f-phones-0-number")).ToHaveValueAsync("(417) 555-0111");
        await Expect(second.Locator("#f-website")).ToHaveValueAsync("https://ozarks-network.example.org/help");
        await AssertAccessibleAsync(second, "the listing editor merging two editors' changes");
        Assert.That((await StoredAsync(id))!.Listing.Website, Is.EqualTo(start.Website));

        // Ben takes Ann's description and saves: both editors' changes are kept.
        await descriptionRow.GetByLabel("Theirs").CheckAsync();
        await second.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).First.ClickAsync();
        await Expect(second.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your changes are saved.");
        var saved = (await StoredAsync(id))!.Listing;
        Assert.That(saved.Phones[0].Number, Is.EqualTo("(417) 555-0111"));
        Assert.That(saved.Website, Is.EqualTo("https://ozarks-network.example.org/help"));
        Assert.That(saved.Description, Is.EqualTo("Ann's description."));
        await second.Context.CloseAsync();
    }

    [Test]
    public async Task Moving_a_confidential_location_changes_nothing_public_until_a_second_editor_approves_and_never_on_its_proposers_approval()
    {
        const string id = "demo-boone-county-safe-house";
        var publicBefore = await PublicAsync($"/v1/resources/{id}");
        var nearBefore = await PublicAsync("/v1/resources/nearest?lat=38.95&lon=-92.33&limit=20");
        Assert.That(publicBefore, Does.Contain("Boone County").And.Not.Contain("Hallsville"));

        await SignInAsync(Page, "Editor", "Ann First");
        await Page.GotoAsync(Url($"/staff/admin/listings/{id}"));
        await Expect(Page.Locator("#f-locations-0-confidential")).ToBeCheckedAsync();
        // Moved to Fulton, in Callaway County: the point and county come from the gazetteer.
        await Page.Locator("#f-locations-0-address-street1").FillAsync("9 Court Street");
        await Page.Locator("#f-locations-0-address-city").FillAsync("Fulton");
        await Page.Locator("#f-locations-0-address-postalCode").FillAsync("65251");
        await Page.Locator("#f-locations-0-address-countyFips").FillAsync("");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Find the point and county from the address" }).First.ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Location 1: the point is the centre of the ZIP code, so check it; Callaway County. Nothing is saved until you save.");
        await Expect(Page.Locator("#f-locations-0-address-countyFips")).ToHaveValueAsync("29027");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).First.ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("/staff/admin/approvals\\?proposed=approval-"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your change to Boone County Safe House (demo) waits for a second editor's approval. Nothing the public sees has changed.");
        var approval = Page.Locator(".approval").Filter(new() { HasText = "Boone County Safe House (demo)" });
        await Expect(approval).ToContainTextAsync("Moves the confidential location");
        await Expect(approval.GetByRole(AriaRole.Table, new() { Name = "The change" })).ToContainTextAsync("9 Court Street");
        // The preview is the public view: the county only.
        var preview = approval.Locator(".public-preview");
        await Expect(preview).ToContainTextAsync("Confidential location");
        await Expect(preview).ToContainTextAsync("Callaway County, MO");
        Assert.That(await preview.TextContentAsync(), Does.Not.Contain("Fulton").And.Not.Contain("65251").And.Not.Contain("Court Street"));
        await Expect(approval.GetByText("You proposed this change: another editor must approve it.")).ToBeVisibleAsync();
        await Expect(approval.GetByRole(AriaRole.Button, new() { Name = "Approve the change to Boone County Safe House (demo)" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync(Page, "the approvals page");

        // Nothing public or stored has changed.
        Assert.That(await PublicAsync($"/v1/resources/{id}"), Is.EqualTo(publicBefore));
        Assert.That(await PublicAsync("/v1/resources/nearest?lat=38.95&lon=-92.33&limit=20"), Is.EqualTo(nearBefore));
        Assert.That((await StoredAsync(id))!.Listing.Locations[0].Address!.City, Is.EqualTo("Hallsville"));

        // Its proposer cannot approve it, through the page's form or the API.
        var itemId = new Uri(Page.Url).Query.Split("proposed=")[1];
        var oid = (await App.Service<IDirectoryStore>().GetWorkItemAsync(itemId))!.CreatedBy!.ObjectId;
        using (var client = App.Client())
        {
            var own = await client.SendAsync(HttpMethod.Post, $"/v1/admin/approvals/{itemId}/approve", Token(oid));
            Assert.That(own.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(own.Body.GetProperty("title").GetString(), Is.EqualTo("You cannot approve your own change."));
        }
        ExpectConsoleError("the server responded with a status of 403"); // the browser's own line for the refused approval
        var forged = await Page.EvaluateAsync<int>(@"async id => {
            const form = document.querySelector('.approval form');
            const data = new FormData(form);
            const r = await fetch('/staff/admin/approvals/' + id + '/approve', { method: 'POST', body: new URLSearchParams(data) });
            return r.status; }", itemId);
        Assert.That(forged, Is.EqualTo(403));
        Assert.That((await StoredAsync(id))!.Listing.Locations[0].Address!.City, Is.EqualTo("Hallsville"));

        // A second editor approves: the public answers now name Callaway County, and still no street, town or ZIP code.
        var second = await SecondEditorAsync("Ben Second");
        await second.GotoAsync(Url("/staff/admin/approvals"));
        await second.GetByRole(AriaRole.Button, new() { Name = "Approve the change to Boone County Safe House (demo)" }).ClickAsync();
        await Expect(second.GetByRole(AriaRole.Status)).ToHaveTextAsync("The change to Boone County Safe House (demo) is approved and public now.");
        await Expect(second.GetByText("No changes are waiting for approval.")).ToBeVisibleAsync();
        var publicAfter = await PublicAsync($"/v1/resources/{id}");
        Assert.That(publicAfter, Does.Contain("Callaway County").And.Not.Contain("Fulton").And.Not.Contain("65251").And.Not.Contain("Court Street"));
        var stored = (await StoredAsync(id))!.Listing.Locations[0];
        Assert.That((stored.Address!.Street1, stored.Address.City, stored.Address.CountyFips, stored.Confidential), Is.EqualTo(("9 Court Street", "Fulton", "29027", true)));
        var audit = await App.Service<IDirectoryStore>().QueryAuditAsync(new AuditQuery { ListingId = id, Limit = 10 });
        Assert.That(audit.Select(a => (a.Action, a.Actor.Name)).Take(3), Is.EqualTo(new[] { ("approve", "Ben Second"), ("approval-approve", "Ben Second"), ("approval-request", "Ann First") }));
        await second.Context.CloseAsync();
    }

    [Test]
    public async Task The_editor_and_approvals_in_Spanish_pass_axe_and_a_caseworker_gets_403()
    {
        await SignInAsync(Page, "Editor", "Elena Editora");
        await Page.GotoAsync(Url("/staff/admin/listings/demo-meramec-youth-haven?lang=es"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Editar Meramec Youth Haven (demo)");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Teléfonos", Level = 2 })).ToBeVisibleAsync();
        await AssertAccessibleAsync(Page, "the listing editor in Spanish");
        await Page.GotoAsync(Url("/staff/admin/approvals?lang=es"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Aprobaciones");
        await AssertAccessibleAsync(Page, "the approvals page in Spanish");

        await Context.ClearCookiesAsync();
        await SignInAsync(Page, "Caseworker", "Cas Worker");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Approvals" })).ToHaveCountAsync(0);
        ExpectConsoleError("the server responded with a status of 403");
        Assert.That((await Page.GotoAsync(Url("/staff/admin/listings/demo-meramec-youth-haven")))!.Status, Is.EqualTo(403));
        Assert.That((await Page.GotoAsync(Url("/staff/admin/approvals")))!.Status, Is.EqualTo(403));
        ExpectConsoleError("the server responded with a status of 404");
        await Context.ClearCookiesAsync();
        await SignInAsync(Page, "Editor", "Elena Editora");
        Assert.That((await Page.GotoAsync(Url("/staff/admin/listings/no-such-listing")))!.Status, Is.EqualTo(404));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("There is no such listing");
    }
}
