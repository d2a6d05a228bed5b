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

/// <summary>The admin console's freshness board (/staff/admin) in a real browser: the same queue as the API's review
/// queue, counts by state and kind, "mark verified" with method and notes (audited, the listing leaves the queue), the
/// method's message beside the field when missing, editors only, English and Spanish, axe.</summary>
public sealed class AdminBoardTests : StaffConsoleTests
{
    private async Task<(int Total, List<(string Id, string Name)> Items)> ApiQueueAsync()
    {
        using var client = App.Client();
        var token = DevToken(Roles.Editor, "board-test", "Board Test");
        var answer = await client.SendAsync(HttpMethod.Get, "/v1/admin/review-queue?limit=200", token);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        var items = answer.Body.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("id").GetString()!, i.GetProperty("name").GetString()!)).ToList();
        return (answer.Body.GetProperty("total").GetInt32(), items);
    }

    [Test]
    public async Task An_editor_marks_the_first_stale_listing_verified_and_it_leaves_the_queue_with_an_audit_entry()
    {
        var (total, items) = await ApiQueueAsync();
        Assert.That(total, Is.GreaterThan(1), "the demo directory has listings to review");
        var (firstId, firstName) = items[0];

        await SignInAsync("Editor");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Review board" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Url("/staff/admin"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Review board");
        await Expect(Page.GetByText($"{total} listings were never verified or not in the last 12 months.")).ToBeVisibleAsync();
        // The board lists the API's queue in the API's order.
        var shown = await Page.Locator(".review-queue > li h3").AllTextContentsAsync();
        Assert.That(shown, Is.EqualTo(items.Take(50).Select(i => i.Name).ToArray()));
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "To review, by kind" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "To review, by state" })).ToContainTextAsync("MO");
        await AssertAccessibleAsync(Page, "the review board");

        var item = Page.Locator(".review-queue > li").Filter(new() { Has = Page.GetByRole(AriaRole.Heading, new() { Name = firstName, Exact = true }) });
        // No method chosen: the rule's message beside the field, and nothing saved.
        ExpectConsoleError("the server responded with a status of 400"); // the browser's own line for the refused form
        await item.GetByRole(AriaRole.Button, new() { Name = "Mark verified" }).ClickAsync();
        var method = Page.Locator($"#v-{firstId}-method");
        await Expect(method).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.Locator($"#v-{firstId}-method-error")).ToHaveTextAsync("Required: one of phone-call, site-visit, email, document, other.");
        await Expect(Page.Locator(".error-summary")).ToContainTextAsync("Required: one of phone-call, site-visit, email, document, other.");
        await AssertAccessibleAsync(Page, "the review board with a problem");
        Assert.That((await ApiQueueAsync()).Total, Is.EqualTo(total), "nothing was saved");

        await method.SelectOptionAsync("phone-call");
        await Page.Locator($"#v-{firstId}-notes").FillAsync("Called the front desk; hours confirmed.");
        await item.GetByRole(AriaRole.Button, new() { Name = "Mark verified" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{firstName} is marked verified.");
        await Expect(Page.GetByText($"{total - 1} listings were never verified or not in the last 12 months.")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = firstName, Exact = true })).ToHaveCountAsync(0);

        var after = await ApiQueueAsync();
        Assert.That(after.Total, Is.EqualTo(total - 1));
        Assert.That(after.Items.Select(i => i.Id), Does.Not.Contain(firstId));
        var stored = await App.Service<IDirectoryStore>().GetAsync(firstId);
        Assert.That(stored!.Listing.LastVerification!.Method, Is.EqualTo("phone-call"));
        Assert.That(stored.Listing.LastVerification.Notes, Is.EqualTo("Called the front desk; hours confirmed."));
        Assert.That(stored.Listing.LastVerified, Is.EqualTo(DateOnly.FromDateTime(App.Time.GetUtcNow().UtcDateTime)));
        var audit = await App.Service<IDirectoryStore>().QueryAuditAsync(new AuditQuery { ListingId = firstId, Action = "verify", Limit = 5 });
        Assert.That(audit, Has.Count.EqualTo(1));
        Assert.That(audit[0].Note, Is.EqualTo("Called the front desk; hours confirmed."));
    }

    [Test]
    public async Task The_board_in_Spanish_passes_axe_and_a_caseworker_gets_403_and_no_link()
    {
        await SignInAsync("Editor");
        await Page.GotoAsync(Url("/staff/admin?lang=es"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Tablero de revisión");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Marcar como verificado" }).First).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Por revisar, por tipo" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(Page, "the review board in Spanish");

        await Context.ClearCookiesAsync();
        await SignInAsync("Caseworker");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Review board" })).ToHaveCountAsync(0);
        ExpectConsoleError("the server responded with a status of 403"); // the browser's own line for the 403 page
        var response = await Page.GotoAsync(Url("/staff/admin"));
        Assert.That(response!.Status, Is.EqualTo(403));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("You do not have access to this page");
        await AssertAccessibleAsync(Page, "the admin console's 403 page");
        var posted = await Context.APIRequest.PostAsync(Url("/staff/admin/verify"), new() { Form = Context.APIRequest.CreateFormData().Set("id", "x").Set("method", "email") });
        Assert.That(posted.Status, Is.EqualTo(403));
    }

    [Test]
    public async Task Signed_out_the_board_redirects_to_sign_in()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };
        using var response = await client.GetAsync("/staff/admin");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/staff/sign-in?ReturnUrl=%2Fstaff%2Fadmin"));
        using var post = await client.PostAsync("/staff/admin/verify", new FormUrlEncodedContent([new("id", "demo-gateway-survivor-services"), new("method", "email")]));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }
}
