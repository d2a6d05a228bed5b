using System.Net;
using Microsoft.Playwright;
using ReferralDirectory.Api.WebPages;
using ReferralDirectory.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ReferralDirectory.Tests.Web;

/// <summary>The landing page at / in a real browser: content, accessibility, keyboard use, the quick exit, no trace.</summary>
public sealed class LandingPageTests : BrowserTests
{
    private const string Neutral = "https://www.google.com/";
    private const string NeutralPage = "<!DOCTYPE html><html lang=\"en\"><head><title>Neutral</title></head><body><h1>Neutral page</h1></body></html>";

    [SetUp]
    public void AnswerTheNeutralSiteLocally() => Intercept(Neutral, NeutralPage);

    private async Task<IResponse> OpenAsync(string path)
    {
        var response = await Page.GotoAsync(Url(path));
        Assert.That(response, Is.Not.Null);
        Assert.That(response!.Status, Is.EqualTo(200));
        return response;
    }

    [TestCase("en", "Find help for survivors of human trafficking", "Exit this page", "If someone is in immediate danger, call 911.")]
    [TestCase("es", "Ayuda para sobrevivientes de la trata de personas", "Salir de esta página", "Si alguien está en peligro inmediato, llame al 911.")]
    public async Task Landing_page_shows_the_service_the_hotlines_and_911_and_is_accessible_at_1280_and_320_px(string lang, string heading, string exit, string emergency)
    {
        foreach (var width in new[] { 1280, 320 })
        {
            await Page.SetViewportSizeAsync(width, 900);
            var response = await OpenAsync($"/?lang={lang}");
            var headers = await response.AllHeadersAsync();
            Assert.That(headers["content-security-policy"], Is.EqualTo(WebPageSetup.ContentSecurityPolicy));
            Assert.That(headers["content-language"], Is.EqualTo(lang));
            Assert.That(headers, Does.Not.ContainKey("set-cookie"));
            await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", lang);
            await Expect(Page.Locator("h1")).ToHaveTextAsync(heading);
            await Expect(Page.Locator("[data-quick-exit]")).ToHaveTextAsync(exit);
            await Expect(Page.Locator("[data-quick-exit]")).ToBeVisibleAsync();
            var help = Page.Locator("#help-now");
            await Expect(help.Locator(".emergency")).ToHaveTextAsync(emergency);
            foreach (var (number, link) in new[] { ("1-888-373-7888", "tel:+18883737888"), ("233733", "sms:233733"), ("800-700-1650", "tel:+18007001650"), ("911", "tel:911") })
                await Expect(help.Locator($"a[href='{link}']")).ToHaveTextAsync(number);
            await Expect(Page.Locator("section#widget-demo")).ToHaveCountAsync(1);
            await Expect(Page.Locator("a[href='/docs/']")).ToBeVisibleAsync();
            await Expect(Page.Locator("#examples pre").First).ToContainTextAsync("/v1/resources/nearest?lat=38.9517&lon=-92.3341&service=emergency-shelter&limit=5");
            // Nothing wider than the screen at 320 px (WCAG 1.4.10 reflow).
            Assert.That(await Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(width), $"{lang} at {width} px scrolls sideways");
            await AssertAccessibleAsync(Page, $"/?lang={lang} at {width} px");
        }
    }

    [TestCase("en", "Browse more safely", "Clearing your browsing history", "If someone is in immediate danger, call 911.", "Español")]
    [TestCase("es", "Navegar con más seguridad", "Cómo borrar el historial del navegador", "Si alguien está en peligro inmediato, llame al 911.", "English")]
    public async Task The_safety_page_explains_clearing_history_with_the_hotline_911_and_quick_exit_at_1280_and_320_px(
        string lang, string heading, string clearHistory, string emergency, string other)
    {
        foreach (var width in new[] { 1280, 320 })
        {
            await Page.SetViewportSizeAsync(width, 900);
            var response = await OpenAsync($"/safety?lang={lang}");
            var headers = await response.AllHeadersAsync();
            Assert.That(headers["content-security-policy"], Is.EqualTo(WebPageSetup.ContentSecurityPolicy));
            Assert.That(headers["content-language"], Is.EqualTo(lang));
            Assert.That(headers, Does.Not.ContainKey("set-cookie"));
            await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", lang);
            await Expect(Page.Locator("h1")).ToHaveTextAsync(heading);
            await Expect(Page.Locator("#clear-history h2")).ToHaveTextAsync(clearHistory);
            await Expect(Page.Locator("#clear-history li")).ToHaveCountAsync(6);
            await Expect(Page.Locator("#help-now .emergency")).ToHaveTextAsync(emergency);
            await Expect(Page.Locator("#help-now a[href='tel:+18883737888']")).ToHaveTextAsync("1-888-373-7888");
            await Expect(Page.Locator("#help-now a[href='sms:233733']")).ToHaveTextAsync("233733");
            await Expect(Page.Locator("[data-quick-exit]")).ToBeVisibleAsync();
            await Expect(Page.Locator("nav.language-switch a")).ToHaveTextAsync(other);
            Assert.That(await Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(width), $"{lang} at {width} px scrolls sideways");
            await AssertAccessibleAsync(Page, $"/safety?lang={lang} at {width} px");
        }
        // The quick exit works here too.
        await Page.Keyboard.PressAsync("Shift");
        await Page.Keyboard.PressAsync("Shift");
        await Page.Keyboard.PressAsync("Shift");
        await Expect(Page).ToHaveURLAsync(Neutral);
    }

    [Test]
    public async Task Without_lang_the_page_follows_Accept_Language_and_says_so()
    {
        await using var spanish = await Browser.NewContextAsync(new() { Locale = "es-MX" });
        await spanish.RouteAsync("**/*", r => r.Request.Url.StartsWith(BaseUrl, StringComparison.Ordinal) ? r.ContinueAsync() : r.AbortAsync());
        var page = await spanish.NewPageAsync();
        Watch(page);
        var response = await page.GotoAsync(Url("/"));
        Assert.That((await response!.AllHeadersAsync())["vary"], Does.Contain("Accept-Language"));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        // The explicit switch wins over the browser's language.
        await page.Locator("nav.language-switch a").ClickAsync();
        await Expect(page).ToHaveURLAsync(Url("/?lang=en"));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
    }

    /// <summary>The page was replaced: Back goes to what was open before it (a new tab's about:blank), not to this site.</summary>
    private async Task AssertBackSkipsThisSiteAsync()
    {
        await Page.GoBackAsync();
        Assert.That(Page.Url, Is.EqualTo("about:blank"));
        await Page.GoForwardAsync();
        Assert.That(Page.Url, Is.EqualTo(Neutral), "the neutral site replaced the page in the same history entry");
    }

    [Test]
    public async Task Keyboard_reaches_the_quick_exit_first_then_the_language_switch_and_every_link()
    {
        await OpenAsync("/");
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.Locator("[data-quick-exit]")).ToBeFocusedAsync();
        var order = new List<string>();
        for (var i = 0; i < 40; i++) // the live widget demo adds its own stops (inside its shadow root: the host is reported)
        {
            order.Add(await Page.EvaluateAsync<string>("document.activeElement.getAttribute('href') || document.activeElement.tagName"));
            await Page.Keyboard.PressAsync("Tab");
        }
        Assert.That(order.Take(4), Is.EqualTo(new[] { Neutral, "#main", "/?lang=en", "/?lang=es" }));
        Assert.That(order, Does.Contain("/docs/").And.Contain("#examples").And.Contain("/v1/guidance").And.Contain("tel:+18883737888"));
        Assert.That(order.IndexOf("tel:911"), Is.LessThan(order.IndexOf("/docs/")), "the 911 notice comes before the developer links");

        // The language switch works from the keyboard, and the Spanish page starts with its quick exit too.
        await Page.Locator("nav.language-switch a").FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(Url("/?lang=es"));
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.Locator("[data-quick-exit]")).ToBeFocusedAsync();
        await Expect(Page.Locator("[data-quick-exit]")).ToHaveTextAsync("Salir de esta página");
        // Space works on it as on any button.
        await Page.Keyboard.PressAsync(" ");
        await Expect(Page).ToHaveURLAsync(Neutral);
    }

    [Test]
    public async Task Quick_exit_button_hides_the_page_then_replaces_it_without_a_history_entry()
    {
        await OpenAsync("/");
        var before = await Page.EvaluateAsync<int>("history.length");
        // The content is hidden first, while the page is still this page: an observer (test instrumentation) writes what
        // it saw into localStorage, synchronously; the test reads it from the browser context after the page was replaced
        // (a console message or a beacon from a leaving page can be lost).
        await Page.EvaluateAsync(@"() => new MutationObserver(() => {
            if (document.body.hidden) localStorage.setItem('test-quick-exit', 'hidden: ' + document.documentElement.classList.contains('quick-exit-leaving') + ' at ' + location.pathname);
        }).observe(document.body, { attributes: true, attributeFilter: ['hidden'] })");
        await Page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Button, new() { Name = "Exit this page" }).ClickAsync(); // the page's own (the widget demo has one too)
        await Expect(Page).ToHaveURLAsync(Neutral);
        Assert.That(await LocalStorageItemAsync(BaseUrl, "test-quick-exit"), Is.EqualTo("hidden: true at /"), "content hidden before leaving");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Neutral page");
        Assert.That(await Page.EvaluateAsync<int>("history.length"), Is.EqualTo(before), "no history entry");
        await AssertBackSkipsThisSiteAsync();
    }

    [Test]
    public async Task Shift_pressed_three_times_leaves_but_Shift_used_for_capitals_does_not()
    {
        await OpenAsync("/?lang=es");
        var before = await Page.EvaluateAsync<int>("history.length");
        var status = Page.Locator("[data-quick-exit-status]");
        for (var i = 0; i < 3; i++) await Page.Keyboard.PressAsync("Shift+A");
        await Expect(status).ToHaveTextAsync("");
        await Page.Keyboard.PressAsync("Shift");
        await Expect(status).ToHaveTextAsync("Shift: presione 2 veces más para salir.");
        await Page.Keyboard.PressAsync("Shift");
        await Expect(status).ToHaveTextAsync("Shift: presione 1 vez más para salir.");
        await Page.Keyboard.PressAsync("Shift");
        await Expect(Page).ToHaveURLAsync(Neutral);
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Neutral page");
        Assert.That(await Page.EvaluateAsync<int>("history.length"), Is.EqualTo(before));
        await AssertBackSkipsThisSiteAsync();
    }

    [Test]
    public async Task A_page_shown_again_from_the_back_forward_cache_is_visible()
    {
        await OpenAsync("/");
        var shown = await Page.EvaluateAsync<bool>(@"() => {
            document.documentElement.classList.add('quick-exit-leaving');
            document.body.hidden = true;
            window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
            return !document.body.hidden && !document.documentElement.classList.contains('quick-exit-leaving');
        }");
        Assert.That(shown, Is.True);
        await Expect(Page.Locator("h1")).ToBeVisibleAsync();
    }

    [Test]
    public async Task Pages_set_no_cookies_and_store_nothing()
    {
        await OpenAsync("/");
        await Page.Locator("nav.language-switch a").ClickAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await AssertNoBrowserStateAsync(Page);
        await OpenAsync("/docs/");
        await Expect(Page.Locator(".opblock").First).ToBeVisibleAsync();
        await AssertNoBrowserStateAsync(Page);
    }
}

/// <summary>The landing page's HTTP side: caching, the configurable neutral site.</summary>
public sealed class LandingPageHttpTests
{
    [Test]
    public async Task The_neutral_site_is_configurable_and_the_page_is_cached_publicly_per_language()
    {
        using var app = new DirectoryApp(settings: new Dictionary<string, string?> { ["WebPages:QuickExitUrl"] = "https://weather.com/" });
        using var client = app.Client();
        using var en = await client.GetAsync("/");
        var html = await en.Content.ReadAsStringAsync();
        Assert.That(en.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        Assert.That(html, Does.Contain("<a class=\"quick-exit\" href=\"https://weather.com/\" role=\"button\""));
        Assert.That(html, Does.Not.Contain("%QUICK_EXIT_URL%").And.Not.Contain("<style").And.Not.Contain(" style=").And.Not.Contain("<script>"));
        Assert.That(en.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=300"));
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/");
        revalidate.Headers.IfNoneMatch.Add(en.Headers.ETag!);
        using var notModified = await client.SendAsync(revalidate);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        using var es = await client.GetAsync("/?lang=es");
        Assert.That(es.Headers.ETag!.Tag, Is.Not.EqualTo(en.Headers.ETag!.Tag));
        Assert.That(await es.Content.ReadAsStringAsync(), Does.Contain("<html lang=\"es\">"));
        // The JSON API keeps its own policy.
        using var json = await client.GetAsync("/v1/guidance");
        Assert.That(json.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo("default-src 'none'; frame-ancestors 'none'"));
    }

    [Test]
    public void A_neutral_site_that_is_not_an_http_address_stops_the_start()
    {
        using var app = new DirectoryApp(settings: new Dictionary<string, string?> { ["WebPages:QuickExitUrl"] = "javascript:alert(1)" });
        var e = Assert.Catch(() => app.Client());
        Assert.That(e!.ToString(), Does.Contain("WebPages:QuickExitUrl must be an absolute http(s) address"));
    }

    [Test]
    public async Task The_examples_on_the_landing_page_are_the_READMEs()
    {
        var readme = await File.ReadAllTextAsync(RepoFiles.Path("README.md"));
        foreach (var lang in new[] { "en", "es" })
        {
            var page = WebPageSetup.Read($"index.{lang}.html");
            var blocks = System.Text.RegularExpressions.Regex.Matches(page, "<pre[^>]*><code>(.*?)</code></pre>", System.Text.RegularExpressions.RegexOptions.Singleline);
            var commands = blocks.SelectMany(m => WebUtility.HtmlDecode(m.Groups[1].Value).Split('\n')).ToList();
            Assert.That(commands, Has.Count.EqualTo(6));
            foreach (var command in commands) Assert.That(readme, Does.Contain(command), $"{lang}: the README has no example '{command}'");
        }
    }
}
