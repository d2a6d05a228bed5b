using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ReferralDirectory.Tests.Web;

/// <summary>Suggestions from the public in a real browser: the widget's "Report a correction" form on a partner site
/// (keyboard, focus, English and Spanish, axe) lands in the editors' inbox at /staff/admin/suggestions with its exact
/// message; "Dismiss" and "Edit the listing" are audited and the suggestion leaves the inbox; caseworkers get a 403 page
/// and no link.</summary>
public sealed class SuggestionTests : StaffConsoleTests
{
    private const string Neutral = "https://neutral.example/";
    private const string Shelter = "demo-boone-county-safe-house";
    private const string ShelterName = "Boone County Safe House (demo)";
    private OtherOrigin _partner = null!;

    protected override Dictionary<string, string?> Settings()
    {
        _partner = OtherOrigin.StartAsync().GetAwaiter().GetResult();
        return new() { ["Cors:AllowedOrigins:0"] = _partner.Origin, ["Suggestions:PerMinute"] = "100" };
    }

    [OneTimeTearDown]
    public async Task StopPartnerAsync() => await _partner.DisposeAsync();

    [SetUp]
    public void AllowPartner()
    {
        AllowOrigin(_partner.Origin);
        Intercept(Neutral, "<!DOCTYPE html><html lang=\"en\"><head><title>Neutral</title></head><body><h1>Neutral</h1></body></html>");
    }

    /// <summary>A partner page with the widget under a strict CSP (a violation is a console error: the test fails).</summary>
    private string PartnerPage(string lang = "en") => _partner.Serve($"/partner-{lang}.html", $$"""
        <!DOCTYPE html><html lang="{{lang}}"><head><meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {{BaseUrl}}; connect-src {{BaseUrl}}; style-src 'self'; img-src 'self'; base-uri 'none'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Partner site</title>
        <script src="{{BaseUrl}}/widget/v1/referral-search.js" defer></script>
        </head><body><main><h1>Partner site</h1>
        <referral-search lang="{{lang}}" state="MO" exit-url="{{Neutral}}" api-base="{{BaseUrl}}"></referral-search>
        </main></body></html>
        """);

    private ILocator Widget => Page.Locator("referral-search");

    private Task<string> FocusedAsync() =>
        Page.EvaluateAsync<string>("(() => { const a = document.querySelector('referral-search').shadowRoot.activeElement; return a ? (a.id || a.className) + ':' + a.textContent : 'none'; })()");

    private async Task SearchAsync(string label, string button, string place)
    {
        await Widget.GetByLabel(label).FillAsync(place);
        await Widget.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
    }

    private ILocator InboxItem(string message) => Page.Locator(".suggestion-inbox > li").Filter(new() { Has = Page.Locator(".suggestion-message", new() { HasTextString = message }) });

    [Test]
    public async Task A_suggestion_sent_from_the_widget_shows_up_in_the_inbox_with_its_message_and_dismissing_it_is_audited()
    {
        const string message = "The office is open until 8 pm on Thursdays now, not 5 pm.";
        await Page.GotoAsync(PartnerPage());
        await SearchAsync("ZIP code or town", "Search", "65201");
        await Expect(Widget.Locator("p.status")).ToHaveTextAsync("5 of 8 results near 65201.");
        var card = Widget.Locator($"li[data-id='{Shelter}']");
        var report = card.GetByRole(AriaRole.Button, new() { Name = "Report a correction" });
        await report.ClickAsync();
        var form = card.GetByRole(AriaRole.Form, new() { Name = $"Report a correction: {ShelterName}" });
        await Expect(form).ToBeVisibleAsync();
        Assert.That(await FocusedAsync(), Does.StartWith($"rs-card-{Shelter}-correction-field:"), "focus moves to the form's first field");
        await Expect(form.GetByLabel("What needs correcting?").Locator("option")).ToHaveTextAsync(["Phone number", "Website", "Address", "Hours", "Services", "It has closed or moved", "Something else"]);
        await Expect(form.GetByText("Optional: only if an editor may ask you about it. You can leave it empty.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(Page, "the widget's correction form");

        // Too short: the message beside the field, focus on it, nothing sent.
        await form.GetByLabel("What should it say?").FillAsync("8pm");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var text = form.GetByLabel("What should it say?");
        await Expect(text).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(form.Locator(".error").First).ToHaveTextAsync("Write from 5 to 1000 characters.");
        Assert.That(await FocusedAsync(), Does.StartWith($"rs-card-{Shelter}-correction-message:"));
        await AssertAccessibleAsync(Page, "the widget's correction form with a problem");

        await form.GetByLabel("What needs correcting?").SelectOptionAsync("hours");
        await text.FillAsync(message);
        await form.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(card.Locator(".thanks")).ToHaveTextAsync("Thank you. An editor will check it.");
        Assert.That(await FocusedAsync(), Is.EqualTo("thanks:Thank you. An editor will check it."));
        Assert.That(Page.Url, Does.Not.Contain("65201"), "no search terms in the page's address");
        await AssertNoBrowserStateAsync(Page);

        await SignInAsync("Editor");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Suggestions", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Url("/staff/admin/suggestions"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Suggestions");
        var item = InboxItem(message);
        await Expect(item.Locator(".suggestion-message")).ToHaveTextAsync(message);
        await Expect(item.Locator(".suggestion-field")).ToHaveTextAsync("Hours");
        await Expect(item.Locator(".suggestion-when")).ToHaveTextAsync("November 18, 2026, 15:00 UTC");
        await Expect(item.GetByRole(AriaRole.Link, new() { Name = ShelterName })).ToHaveAttributeAsync("href", $"/staff/admin/listings/{Shelter}");
        await AssertAccessibleAsync(Page, "the suggestion inbox");

        await item.GetByLabel("Note (optional)").FillAsync("Checked with the office: hours unchanged.");
        await item.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The suggestion was dismissed.");
        await Expect(InboxItem(message)).ToHaveCountAsync(0);
        var audit = await App.Service<IDirectoryStore>().QueryAuditAsync(new AuditQuery { ListingId = Shelter, Action = "suggestion-dismiss", Limit = 10 });
        Assert.That(audit.Select(a => a.Note), Does.Contain("Checked with the office: hours unchanged."));
        var created = await App.Service<IDirectoryStore>().QueryAuditAsync(new AuditQuery { ListingId = Shelter, Action = "suggestion-create", Limit = 10 });
        Assert.That(created.Select(a => a.Actor.Name), Has.Some.EqualTo("public"));
    }

    [Test]
    public async Task Edit_the_listing_marks_the_suggestion_applied_and_opens_the_listing_editor()
    {
        const string message = "The phone number changed to 573-555-0177.";
        using var client = App.Client();
        var sent = await client.SendAsync(HttpMethod.Post, "/v1/suggestions", null, new { listingId = Shelter, field = "phone", message });
        Assert.That(sent.Status, Is.EqualTo(HttpStatusCode.Accepted));
        var id = sent.Body.GetProperty("id").GetString()!;

        await SignInAsync("Editor");
        await Page.GotoAsync(Url("/staff/admin/suggestions"));
        var item = InboxItem(message);
        await Expect(item.Locator(".suggestion-field")).ToHaveTextAsync("Phone");
        await item.GetByRole(AriaRole.Button, new() { Name = "Edit the listing" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Url($"/staff/admin/listings/{Shelter}"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Edit Boone County Safe House (demo)");
        var stored = await App.Service<IDirectoryStore>().GetWorkItemAsync(id);
        Assert.That((stored!.Status, stored.Note), Is.EqualTo((WorkItemStatus.Applied, "Applied in the listing editor.")));
        var audit = await App.Service<IDirectoryStore>().QueryAuditAsync(new AuditQuery { ListingId = Shelter, Action = "suggestion-apply", Limit = 10 });
        Assert.That(audit.Select(a => a.Changes.Single().Before), Does.Contain($"\"{id}\""));
        await Page.GotoAsync(Url("/staff/admin/suggestions"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Suggestions");
        await Expect(InboxItem(message)).ToHaveCountAsync(0);
    }

    [Test]
    public async Task The_form_in_Spanish_works_from_the_keyboard_and_Escape_gives_focus_back()
    {
        await Page.GotoAsync(PartnerPage("es"));
        await SearchAsync("Código postal o ciudad", "Buscar", "65201");
        await Expect(Widget.Locator("p.status")).ToHaveTextAsync("5 de 8 resultados cerca de 65201.");
        var card = Widget.Locator($"li[data-id='{Shelter}']");
        var report = card.GetByRole(AriaRole.Button, new() { Name = "Informar de una corrección" });
        await report.FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        var form = card.GetByRole(AriaRole.Form, new() { Name = $"Informar de una corrección: {ShelterName}" });
        await Expect(form).ToBeVisibleAsync();
        await Expect(form.GetByText("Opcional: solo si un editor puede consultarle. Puede dejarlo vacío.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(Page, "the widget's correction form in Spanish");
        await Page.Keyboard.PressAsync("Tab");
        Assert.That(await FocusedAsync(), Does.StartWith($"rs-card-{Shelter}-correction-message:"));
        await Page.Keyboard.PressAsync("Escape");
        await Expect(form).ToHaveCountAsync(0);
        Assert.That(await FocusedAsync(), Is.EqualTo("report:Informar de una corrección"));
    }

    [Test]
    public async Task A_caseworker_gets_403_on_the_inbox_and_sees_no_link()
    {
        await SignInAsync("Caseworker");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Suggestions", Exact = true })).ToHaveCountAsync(0);
        ExpectConsoleError("the server responded with a status of 403"); // the browser's own line for the 403 page
        var response = await Page.GotoAsync(Url("/staff/admin/suggestions"));
        Assert.That(response!.Status, Is.EqualTo(403));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("You do not have access to this page");
        await AssertAccessibleAsync(Page, "the inbox's 403 page");
        var posted = await Context.APIRequest.PostAsync(Url("/staff/admin/suggestions/x/dismiss"), new() { Form = Context.APIRequest.CreateFormData().Set("note", "x") });
        Assert.That(posted.Status, Is.EqualTo(403));
    }
}
