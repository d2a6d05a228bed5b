using Microsoft.Playwright;
using ReferralDirectory.Api.WebPages;
using ReferralDirectory.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ReferralDirectory.Tests.Web;

/// <summary>The API reference at /docs: Swagger UI from the service's own assets, under the page's strict CSP.</summary>
public sealed class DocsPageTests : BrowserTests
{
    private const string Neutral = "https://www.google.com/";

    [SetUp]
    public void AnswerTheNeutralSiteLocally() =>
        Intercept(Neutral, "<!DOCTYPE html><html lang=\"en\"><head><title>Neutral</title></head><body><h1>Neutral page</h1></body></html>");

    private async Task OpenAsync()
    {
        var response = await Page.GotoAsync(Url("/docs"));
        Assert.That(response!.Status, Is.EqualTo(200));
        Assert.That(Page.Url, Is.EqualTo(Url("/docs/index.html")));
        Assert.That((await response.AllHeadersAsync())["content-security-policy"], Is.EqualTo(WebPageSetup.ContentSecurityPolicy));
        await Expect(Page.Locator(".opblock").First).ToBeVisibleAsync();
    }

    [Test]
    public async Task Docs_render_the_operations_list_with_the_hotlines_and_are_accessible_at_1280_and_320_px()
    {
        foreach (var width in new[] { 1280, 320 })
        {
            await Page.SetViewportSizeAsync(width, 900);
            await OpenAsync();
            foreach (var path in new[] { "/v1/resources/nearest", "/v1/hotlines", "/v1/guidance", "/v1/states/{state}/profile", "/hsds/services", "/v1/admin/listings" })
                await Expect(Page.Locator($".opblock-summary-path[data-path='{path}']").First).ToBeVisibleAsync();
            Assert.That(await Page.Locator(".opblock").CountAsync(), Is.GreaterThanOrEqualTo(30));
            await Expect(Page.Locator(".help-now .emergency")).ToContainTextAsync("If someone is in immediate danger, call 911.");
            await Expect(Page.Locator(".help-now a[href='tel:+18883737888']")).ToHaveTextAsync("1-888-373-7888");
            await Expect(Page.Locator(".help-now a[href='tel:+18007001650']")).ToHaveTextAsync("800-700-1650");
            await Expect(Page.Locator("[data-quick-exit]")).ToContainTextAsync("Exit this page");
            // One operation open: its parameters and examples are checked too.
            await Page.Locator(".opblock-summary-path[data-path='/v1/guidance']").First.ClickAsync();
            await Expect(Page.Locator(".opblock.is-open .parameter__name").First).ToContainTextAsync("lang");
            await AssertAccessibleAsync(Page, $"/docs at {width} px, /v1/guidance open");
        }
    }

    [Test]
    public async Task Keyboard_reaches_the_quick_exit_first_and_Shift_three_times_leaves_the_docs()
    {
        await OpenAsync();
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.Locator("[data-quick-exit]")).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.Locator(".skip-link")).ToBeFocusedAsync();
        // Shift three times leaves from here too (the same script).
        for (var i = 0; i < 3; i++) await Page.Keyboard.PressAsync("Shift");
        await Expect(Page).ToHaveURLAsync(Neutral);
        await Page.GoBackAsync();
        Assert.That(Page.Url, Is.EqualTo("about:blank"), "Back skips the replaced page");
    }
}
