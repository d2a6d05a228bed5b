using System.IO.Compression;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReferralDirectory.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ReferralDirectory.Tests.Web;

/// <summary>
/// The embeddable <c>&lt;referral-search&gt;</c> widget in a real browser, embedded in partner pages on other loopback
/// origins (one for pages, one for a cross-origin frame) under a strict Content-Security-Policy, against the real
/// service. The service's clock is Wednesday 09:00 in Missouri.
/// </summary>
public sealed class WidgetTests : BrowserTests
{
    private const string Neutral = "https://neutral.example/";
    private const string NeutralPage = "<!DOCTYPE html><html lang=\"en\"><head><title>Neutral</title></head><body><h1>Neutral page</h1></body></html>";
    /// <summary>An API base that the test answers by refusing the connection: the API unreachable.</summary>
    private const string DeadApi = "http://127.0.0.1:9";

    private OtherOrigin _partner = null!;
    private OtherOrigin _framed = null!;

    protected override DirectoryApp CreateApp()
    {
        _partner = OtherOrigin.StartAsync().GetAwaiter().GetResult();
        _framed = OtherOrigin.StartAsync().GetAwaiter().GetResult();
        return new DirectoryApp(settings: new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = _partner.Origin,
            ["Cors:AllowedOrigins:1"] = _framed.Origin,
        });
    }

    [OneTimeTearDown]
    public async Task StopPartnersAsync()
    {
        await _partner.DisposeAsync();
        await _framed.DisposeAsync();
    }

    [SetUp]
    public void AllowPartners()
    {
        AllowOrigin(_partner.Origin);
        AllowOrigin(_framed.Origin);
        Intercept(Neutral, NeutralPage);
    }

    /// <summary>A partner page with the snippet, under a strict CSP (a violation is a console error: the test fails).</summary>
    private string PartnerPage(string lang = "en", string apiBase = "", OtherOrigin? on = null, string path = "/partner.html", string attributes = "", string head = "")
    {
        var api = apiBase.Length > 0 ? apiBase : BaseUrl;
        var apiAttribute = apiBase.Length > 0 ? $" api-base=\"{apiBase}\"" : "";
        return (on ?? _partner).Serve(path, $$"""
            <!DOCTYPE html><html lang="{{lang}}"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {{BaseUrl}}; connect-src {{api}}; style-src 'self'; img-src 'self'; base-uri 'none'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Partner site</title>
            <script src="{{BaseUrl}}/widget/v1/referral-search.js" defer></script>{{head}}
            </head><body><main><h1>Partner site</h1>
            <referral-search lang="{{lang}}" state="MO" exit-url="{{Neutral}}"{{apiAttribute}}{{attributes}}></referral-search>
            </main></body></html>
            """);
    }

    private ILocator Widget(IPage? page = null) => (page ?? Page).Locator("referral-search");

    private ILocator Cards(IPage? page = null) => Widget(page).Locator("ol.results > li");

    private async Task SearchAsync(string place, IPage? page = null)
    {
        var widget = Widget(page);
        await widget.GetByLabel("ZIP code or town").FillAsync(place);
        await widget.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
    }

    private static readonly string[] FirstPageNames =
    [
        "Mid-Missouri Legal Advocates (demo)", "Boone County Safe House (demo)", "Capital City Advocacy Center (demo)",
        "Show-Me Worker Rights Center (demo)", "Ozark Highlands Recovery (demo)",
    ];

    [Test]
    public async Task Search_by_ZIP_shows_cards_in_distance_order_with_phones_then_pages_on()
    {
        await Page.GotoAsync(PartnerPage());
        await SearchAsync("65201");
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("5 of 8 results near 65201.");
        await Expect(Cards().Locator("h3")).ToHaveTextAsync(FirstPageNames);
        await Expect(Cards().Locator(".distance")).ToHaveTextAsync(["5.8 mi (9.3 km)", "About 9.3 mi (15 km)", "22.7 mi (36.5 km)", "55 mi (88.5 km)", "70.3 mi (113.2 km)"]);
        var phones = Cards().Locator("a.phone");
        await Expect(phones).ToHaveTextAsync(["Call (573) 555-0108", "Call (573) 555-0107", "Call (573) 555-0112", "Call (573) 555-0118", "Call (573) 555-0114"]);
        await Expect(phones.First).ToHaveAttributeAsync("href", "tel:+15735550108");
        await Expect(Cards().First.Locator(".open")).ToHaveTextAsync("Open now");
        await Expect(Cards().Nth(1).Locator(".open")).ToHaveTextAsync("Open 24/7");
        // The state tipline from the answer, beside the national hotline and 911.
        var help = Widget().Locator("section.help");
        await Expect(help.Locator("a[href='tel:+18007001650']")).ToHaveTextAsync("800-700-1650");
        await Expect(help.Locator("a[href='tel:+18883737888']")).ToHaveTextAsync("1-888-373-7888");
        await Expect(help.Locator("a[href='sms:233733']")).ToHaveTextAsync("233733");

        await Widget().GetByRole(AriaRole.Button, new() { Name = "Show more results" }).ClickAsync();
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("8 results near 65201.");
        await Expect(Cards().Locator("h3")).ToHaveTextAsync([.. FirstPageNames, "River Bluffs Outreach (demo)", "Northeast Missouri Family Support (demo)", "Meramec Youth Haven (demo)"]);
        await Expect(Widget().GetByRole(AriaRole.Button, new() { Name = "Show more results" })).ToBeHiddenAsync();
        // Focus moved to the first new card.
        Assert.That(await Page.EvaluateAsync<string>("document.querySelector('referral-search').shadowRoot.activeElement.textContent"), Is.EqualTo("River Bluffs Outreach (demo)"));
        // Details on request: the full listing's website opens in a new tab.
        await Cards().First.GetByRole(AriaRole.Button, new() { Name = "More details" }).ClickAsync();
        var site = Cards().First.Locator("a.website");
        await Expect(site).ToHaveAttributeAsync("href", "https://mid-missouri-legal-advocates.example.org");
        await Expect(site).ToHaveAttributeAsync("target", "_blank");
        await Expect(Cards().First.Locator(".details li").First).ToHaveTextAsync("Monday: 08:00–17:00");
    }

    [Test]
    public async Task A_filter_narrows_the_results_and_an_empty_result_says_what_to_try_next()
    {
        await Page.GotoAsync(PartnerPage());
        await SearchAsync("65201");
        await Expect(Cards()).ToHaveCountAsync(5);
        await Widget().GetByLabel("Service").SelectOptionAsync("emergency-shelter");
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("1 result near 65201.");
        await Expect(Cards().Locator("h3")).ToHaveTextAsync(["Boone County Safe House (demo)"]);
        await Widget().GetByLabel("Service").SelectOptionAsync("");
        await Widget().GetByLabel("Trafficking type").SelectOptionAsync("labor");
        await Widget().GetByLabel("Open 24/7").CheckAsync();
        await Widget().GetByLabel("Language spoken").SelectOptionAsync("ko");
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("No results near 65201.");
        await Expect(Cards()).ToHaveCountAsync(0);
        await Expect(Widget().Locator("p.next")).ToHaveTextAsync("Try next: remove a filter, choose a longer distance, or search a nearby town. The hotlines below can also help you find services, 24/7.");
        await Expect(Widget().Locator("section.help .emergency")).ToHaveTextAsync("If you or someone else is in immediate danger, call 911.");
        await Expect(Widget().Locator("section.help a[href='tel:+18007001650']")).ToHaveTextAsync("800-700-1650");
    }

    [Test]
    public async Task Preset_county_and_services_and_the_partners_theme_apply()
    {
        _partner.Serve("/theme.css", "referral-search { --rs-accent: rgb(0, 94, 165); --rs-font: Georgia, serif; }", "text/css");
        await Page.GotoAsync(PartnerPage(attributes: " county=\"29019\" services=\"emergency-shelter,case-management\"", head: "<link rel=\"stylesheet\" href=\"/theme.css\">"));
        // The county's listings offering the preset services, without typing anything.
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("1 result near Boone County, MO.");
        await Expect(Cards().Locator("h3")).ToHaveTextAsync(["Boone County Safe House (demo)"]);
        await Expect(Widget().Locator("#rs-service option")).ToHaveTextAsync(["Any", "Emergency shelter", "Case management"]);
        // A town typed without a state is searched in the preset state.
        await SearchAsync("Columbia");
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("4 results near Columbia, MO.");
        await Expect(Widget().Locator("form button[type=submit]")).ToHaveCSSAsync("background-color", "rgb(0, 94, 165)");
        await Expect(Widget().Locator(".rs")).ToHaveCSSAsync("font-family", "Georgia, serif");
    }

    [Test]
    public async Task A_misspelt_town_offers_suggestions_and_a_suggestion_searches()
    {
        ExpectConsoleError("the server responded with a status of 400"); // the browser's own line for the API's 400 answer
        await Page.GotoAsync(PartnerPage());
        await SearchAsync("Colombia");
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("We could not find that town. Did you mean:");
        await Expect(Widget().Locator("ul.suggestions button")).ToHaveTextAsync(["Columbia, MO", "Concordia, MO", "Cook Sta, MO", "Eolia, MO", "Holcomb, MO"]);
        await Widget().GetByRole(AriaRole.Button, new() { Name = "Columbia, MO" }).ClickAsync();
        await Expect(Widget().Locator("p.status")).ToContainTextAsync("results near Columbia, MO.");
        await Expect(Cards().First.Locator("h3")).ToHaveTextAsync("Mid-Missouri Legal Advocates (demo)");
    }

    [Test]
    public async Task Typing_a_town_offers_matching_towns_before_Search_and_a_chosen_one_searches()
    {
        await Page.GotoAsync(PartnerPage());
        var place = Widget().Locator("#rs-place");
        await Expect(place).ToHaveAttributeAsync("list", "rs-towns");
        await place.PressSequentiallyAsync("Colu");
        // The partner's state (state="MO") first, then larger towns; nothing searched yet.
        await Expect(Widget().Locator("#rs-towns option")).ToHaveCountAsync(8);
        Assert.That(await Widget().Locator("#rs-towns option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"), Is.EqualTo(new[]
        {
            "Columbia, MO", "Columbus, OH", "Columbia, SC", "Columbus, GA", "Columbus, MS", "Columbia, MD", "Columbus, IN", "Columbia, TN",
        }));
        await Expect(Cards()).ToHaveCountAsync(0);
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("");
        // Typing on narrows the list; a ZIP code gets no town suggestions.
        await place.PressSequentiallyAsync("mbia, sc");
        await Expect(Widget().Locator("#rs-towns option")).ToHaveCountAsync(1);
        await Expect(Widget().Locator("#rs-towns option")).ToHaveAttributeAsync("value", "Columbia, SC");
        await place.FillAsync("652");
        await Expect(Widget().Locator("#rs-towns option")).ToHaveCountAsync(0);
        // A suggestion is a name the search finds.
        await SearchAsync("Columbia, MO");
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("5 of 8 results near Columbia, MO.");
        Assert.That(Page.Url, Does.Not.Contain("Colu"));
    }

    [Test]
    public async Task A_confidential_listing_shows_its_county_and_no_pin_in_the_list_or_the_map()
    {
        await Page.GotoAsync(PartnerPage());
        await SearchAsync("65201");
        var shelter = Widget().Locator("li[data-id='demo-boone-county-safe-house']");
        await Expect(shelter.Locator(".private-note")).ToHaveTextAsync("Location kept private for safety: call to arrange intake.");
        await Expect(shelter.Locator(".county")).ToHaveTextAsync("Boone County, MO");
        await Expect(shelter.Locator(".town")).ToHaveCountAsync(0);
        Assert.That(await shelter.InnerTextAsync(), Does.Not.Contain("Columbia"));
        await Expect(Widget().Locator("li[data-id='demo-mid-missouri-legal-advocates'] .town")).ToHaveTextAsync("Columbia, Boone County, MO");

        await Widget().GetByRole(AriaRole.Button, new() { Name = "Map", Exact = true }).ClickAsync();
        var map = Widget().Locator("svg.map");
        await Expect(map).ToBeVisibleAsync();
        // Public offices are markers; the confidential shelter is its shaded county, never a point.
        await Expect(map.Locator("circle.marker")).ToHaveCountAsync(4);
        await Expect(map.Locator("circle[data-id='demo-boone-county-safe-house']")).ToHaveCountAsync(0);
        await Expect(map.Locator("path.county.private")).ToHaveCountAsync(1);
        await Expect(map.Locator("path.county.private")).ToHaveAttributeAsync("data-fips", "29019");
        Assert.That(await map.Locator("path.county").CountAsync(), Is.EqualTo(115), "Missouri's 114 counties and St. Louis city");
        // The map is reachable by keyboard, and a shape leads to its card in the list.
        await map.Locator("path.county.private").FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        Assert.That(await Page.EvaluateAsync<string>("document.querySelector('referral-search').shadowRoot.activeElement.textContent"), Is.EqualTo("Boone County Safe House (demo)"));
        await Expect(Cards()).ToHaveCountAsync(5); // the list stays
    }

    [Test]
    public async Task The_whole_flow_works_by_keyboard_only()
    {
        await Page.GotoAsync(PartnerPage());
        var active = "document.querySelector('referral-search').shadowRoot.activeElement";
        async Task<string> Focused() => await Page.EvaluateAsync<string>($"(() => {{ const a = {active}; return a ? (a.id || a.className || a.tagName) + ':' + (a.getAttribute('aria-label') || a.textContent) : 'none'; }})()");
        async Task TabToAsync(string expected, int max = 20)
        {
            for (var i = 0; i < max; i++)
            {
                await Page.Keyboard.PressAsync("Tab");
                if ((await Focused()).Contains(expected, StringComparison.Ordinal)) return;
            }
            Assert.Fail($"Tab never reached {expected}; last {await Focused()}");
        }

        await Page.Keyboard.PressAsync("Tab");
        Assert.That(await Focused(), Is.EqualTo("exit:Exit this page"), "the quick exit comes first");
        await TabToAsync("rs-tab-search");
        await TabToAsync("rs-place");
        await Page.Keyboard.TypeAsync("65201");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("5 of 8 results near 65201.");
        // Back to the service filter, choose emergency shelter with the arrow keys.
        await Widget().Locator("#rs-place").FocusAsync();
        await TabToAsync("rs-service");
        var options = await Widget().Locator("#rs-service option").AllTextContentsAsync();
        for (var i = 0; i < options.ToList().IndexOf("Emergency shelter"); i++) await Page.Keyboard.PressAsync("ArrowDown");
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("1 result near 65201.");
        await TabToAsync(":Call (573) 555-0107");
        await TabToAsync(":More details");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Cards().First.Locator("a.website")).ToBeVisibleAsync();
        await TabToAsync(":Website (opens in a new tab)", max: 3);
        // The Learn tab by arrow keys.
        await Widget().Locator("#rs-tab-search").FocusAsync();
        await Page.Keyboard.PressAsync("ArrowRight");
        await Expect(Widget().Locator("#rs-tab-learn")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(Widget().Locator("#rs-panel-learn summary").First).ToHaveTextAsync("How to recognize human trafficking");
        await TabToAsync("rs-panel-learn");
        await TabToAsync("SUMMARY:How to recognize human trafficking");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Widget().Locator("#rs-panel-learn details").First).ToHaveAttributeAsync("open", "");
        // And out, by keyboard.
        await Widget().Locator("button.exit").FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(Neutral);
    }

    /// <summary>The page was replaced: Back goes to what was open before it (a new tab's about:blank), not to the results.</summary>
    private async Task AssertLeftWithoutHistoryAsync(int historyBefore)
    {
        await Expect(Page).ToHaveURLAsync(Neutral);
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Neutral page");
        Assert.That(await Page.EvaluateAsync<int>("history.length"), Is.EqualTo(historyBefore), "no history entry");
        await Page.GoBackAsync();
        Assert.That(Page.Url, Is.EqualTo("about:blank"), "Back does not return to the results");
    }

    [Test]
    public async Task Quick_exit_button_hides_the_widget_then_leaves_without_a_history_entry()
    {
        var partner = PartnerPage();
        await Page.GotoAsync(partner);
        await SearchAsync("65201");
        await Expect(Cards()).ToHaveCountAsync(5);
        var before = await Page.EvaluateAsync<int>("history.length");
        // An observer on the partner's page (test instrumentation, not the widget) writes what it saw when the page was
        // hidden into the partner origin's localStorage, synchronously; the test reads it from the browser context after
        // the page was replaced (a console message or a beacon from a leaving page can be lost).
        await Page.EvaluateAsync(@"() => new MutationObserver(() => {
            if (document.body.hidden) localStorage.setItem('test-quick-exit', 'hidden: ' + document.querySelector('referral-search').shadowRoot.childNodes.length + ' at ' + location.pathname);
        }).observe(document.body, { attributes: true, attributeFilter: ['hidden'] })");
        await Widget().GetByRole(AriaRole.Button, new() { Name = "Exit this page" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Neutral);
        Assert.That(await LocalStorageItemAsync(_partner.Origin, "test-quick-exit"), Is.EqualTo("hidden: 0 at /partner.html"), "content hidden and emptied before leaving");
        await AssertLeftWithoutHistoryAsync(before);
    }

    [Test]
    public async Task Shift_pressed_three_times_leaves_but_Shift_for_capitals_does_not()
    {
        await Page.GotoAsync(PartnerPage("es"));
        await Widget().GetByLabel("Código postal o ciudad").FillAsync("65201");
        await Widget().GetByRole(AriaRole.Button, new() { Name = "Buscar", Exact = true }).ClickAsync();
        await Expect(Cards()).ToHaveCountAsync(5);
        var before = await Page.EvaluateAsync<int>("history.length");
        await Widget().GetByLabel("Código postal o ciudad").FocusAsync();
        for (var i = 0; i < 3; i++) await Page.Keyboard.PressAsync("Shift+A");
        await Expect(Page).ToHaveURLAsync(PartnerPage("es"));
        var status = Widget().Locator(".exit-group [aria-live]");
        await Page.Keyboard.PressAsync("Shift");
        await Expect(status).ToHaveTextAsync("Mayús: púlsela 2 veces más para salir.");
        await Page.Keyboard.PressAsync("Shift");
        await Expect(status).ToHaveTextAsync("Mayús: púlsela 1 vez más para salir.");
        await Page.Keyboard.PressAsync("Shift");
        await AssertLeftWithoutHistoryAsync(before);
    }

    [Test]
    public async Task Quick_exit_from_inside_a_cross_origin_frame_replaces_the_top_window()
    {
        var inner = PartnerPage(on: _framed, path: "/frame.html");
        var top = _partner.Serve("/framing.html", $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Partner with a frame</title></head>
            <body><main><h1>Partner with a frame</h1><iframe src="{inner}" title="Find help" width="800" height="900"></iframe></main></body></html>
            """);
        foreach (var how in new[] { "button", "shift" })
        {
            await Page.GotoAsync("about:blank");
            await Page.GotoAsync(top);
            var frame = Page.FrameLocator("iframe");
            await frame.Locator("referral-search").GetByLabel("ZIP code or town").FillAsync("65201");
            await frame.Locator("referral-search").GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
            await Expect(frame.Locator("referral-search ol.results > li")).ToHaveCountAsync(5);
            var before = await Page.EvaluateAsync<int>("history.length");
            if (how == "button")
            {
                await frame.Locator("referral-search").GetByRole(AriaRole.Button, new() { Name = "Exit this page" }).ClickAsync();
            }
            else
            {
                await frame.Locator("referral-search #rs-place").FocusAsync();
                for (var i = 0; i < 3; i++) await Page.Keyboard.PressAsync("Shift");
            }
            await Expect(Page).ToHaveURLAsync(Neutral);
            await Expect(Page.Locator("h1")).ToHaveTextAsync("Neutral page");
            Assert.That(await Page.EvaluateAsync<int>("history.length"), Is.EqualTo(before), $"{how}: no history entry");
            await Page.GoBackAsync();
            Assert.That(Page.Url, Is.EqualTo("about:blank"), $"{how}: Back does not return to the results");
        }
    }

    [Test]
    public async Task A_page_shown_again_from_the_back_forward_cache_shows_the_widget()
    {
        await Page.GotoAsync(PartnerPage());
        await Expect(Widget().Locator("button.exit")).ToBeVisibleAsync();
        // What the browser does when it shows a cached page again after the quick exit hid it.
        await Page.EvaluateAsync(@"() => {
            const w = document.querySelector('referral-search');
            w.shadowRoot.replaceChildren(); w.built = false; w.hidden = true; document.body.hidden = true;
            window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
        }");
        await Expect(Widget().Locator("button.exit")).ToBeVisibleAsync();
        Assert.That(await Page.EvaluateAsync<bool>("document.body.hidden"), Is.False);
    }

    [TestCase("en", "Find help near you", "If you or someone else is in immediate danger, call 911.")]
    [TestCase("es", "Encuentre ayuda cerca de usted", "Si usted u otra persona está en peligro inmediato, llame al 911.")]
    public async Task Accessible_in_English_and_Spanish_at_1280_and_320_px(string lang, string title, string emergency)
    {
        foreach (var width in new[] { 1280, 320 })
        {
            await Page.SetViewportSizeAsync(width, 900);
            await Page.GotoAsync(PartnerPage(lang));
            await Expect(Widget().Locator("h2").First).ToHaveTextAsync(title);
            await Expect(Widget().Locator("section.help .emergency")).ToHaveTextAsync(emergency);
            await Widget().Locator("#rs-place").FillAsync("65201");
            await Widget().Locator("form button[type=submit]").ClickAsync();
            await Expect(Cards()).ToHaveCountAsync(5);
            await Cards().First.Locator("button[aria-expanded]").ClickAsync();
            await Expect(Cards().First.Locator("a.website")).ToBeVisibleAsync();
            Assert.That(await Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(width), $"{lang} at {width} px scrolls sideways");
            await AssertAccessibleAsync(Page, $"widget results, {lang}, {width} px");
            await Widget().Locator("#rs-tab-learn").ClickAsync();
            await Expect(Widget().Locator("#rs-panel-learn details").Nth(4)).ToBeAttachedAsync();
            await Widget().Locator("#rs-panel-learn summary").Nth(4).ClickAsync();
            await AssertAccessibleAsync(Page, $"widget Learn tab, {lang}, {width} px");
        }
    }

    [Test]
    public async Task The_language_switch_redraws_every_string_in_Spanish()
    {
        await Page.GotoAsync(PartnerPage());
        await SearchAsync("65201");
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("5 of 8 results near 65201."); // the answer is in (it moves focus to the status)
        await Widget().GetByRole(AriaRole.Button, new() { Name = "Ver en español" }).ClickAsync();
        await Expect(Widget().Locator(".rs")).ToHaveAttributeAsync("lang", "es");
        await Expect(Widget().Locator("button.exit")).ToHaveTextAsync("Salir de esta página");
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync("5 de 8 resultados cerca de 65201.");
        await Expect(Widget().Locator("li[data-id='demo-boone-county-safe-house'] .private-note")).ToHaveTextAsync("Ubicación privada por seguridad: llame para coordinar la admisión.");
        await Expect(Widget().Locator("#rs-service option[value='emergency-shelter']")).ToHaveTextAsync("Refugio de emergencia");
        Assert.That(await Page.EvaluateAsync<string>("document.querySelector('referral-search').shadowRoot.activeElement.textContent"), Is.EqualTo("English"), "focus stays on the switch");
        await Widget().Locator("#rs-tab-learn").ClickAsync();
        await Expect(Widget().Locator("#rs-panel-learn summary").First).ToHaveTextAsync("Cómo reconocer la trata de personas");
        var profile = Widget().Locator("#rs-panel-learn details").Last;
        await profile.Locator("summary").ClickAsync();
        await Expect(profile).ToContainTextAsync("§ 566.203");
        await Expect(profile).ToContainTextAsync("800-700-1650");
        // The state tipline: a Spanish description, then its listed (English) name marked as English.
        var tipline = Widget().Locator("section.help li", new() { HasText = "800-700-1650" });
        await Expect(tipline).ToHaveTextAsync("Línea estatal de Missouri (Missouri Attorney General Human Trafficking Tipline): Llame al 800-700-1650.");
        await Expect(tipline.Locator("span[lang='en']")).ToHaveTextAsync("Missouri Attorney General Human Trafficking Tipline");
        // The safety note links to the service's own advice on clearing history, in Spanish.
        await Expect(Widget().Locator("p.safety a")).ToHaveAttributeAsync("href", BaseUrl + "/safety?lang=es#clear-history");
        await Expect(Widget().Locator("p.safety a")).ToHaveTextAsync("Cómo borrar el historial de su navegador");
    }

    [Test]
    public async Task The_Learn_tab_shows_the_guidance_and_the_Missouri_profile_with_sources()
    {
        await Page.GotoAsync(PartnerPage());
        await Widget().GetByRole(AriaRole.Tab, new() { Name = "Learn" }).ClickAsync();
        var panel = Widget().Locator("#rs-panel-learn");
        await Expect(panel.Locator("summary")).ToHaveCountAsync(5);
        await Expect(panel.Locator("summary").Last).ToHaveTextAsync("State profile: Missouri: Efforts to Combat Human Trafficking");
        await panel.Locator("summary").Last.ClickAsync();
        await Expect(panel).ToContainTextAsync("6,166 contacts");
        await Expect(panel).ToContainTextAsync("§ 566.203 Abusing an Individual Through Forced Labor Penalty");
        await Expect(panel.Locator("a[href='tel:+18883737888']").First).ToContainTextAsync("1-888-373-7888");
        await panel.Locator("summary").Nth(3).ClickAsync();
        await Expect(panel).ToContainTextAsync("Are you being paid?");
        await Expect(panel.Locator(".source").First).ToContainTextAsync("as of 2026-11-21.");
    }

    [Test]
    public async Task After_a_search_there_are_no_cookies_no_storage_and_no_search_terms_in_the_URL()
    {
        var partner = PartnerPage();
        await Page.GotoAsync(partner);
        await SearchAsync("Columbia, MO");
        await Expect(Cards()).ToHaveCountAsync(5);
        await Widget().GetByLabel("Service").SelectOptionAsync("emergency-shelter");
        await Expect(Cards()).ToHaveCountAsync(1);
        Assert.That(Page.Url, Is.EqualTo(partner));
        Assert.That(await Page.EvaluateAsync<int>("history.length"), Is.EqualTo(2), "about:blank and the partner page, no entry per search");
        await AssertNoBrowserStateAsync(Page);
    }

    [Test]
    public async Task Use_my_location_asks_only_after_the_press_and_keeps_the_coordinates_out_of_the_URL()
    {
        await Context.GrantPermissionsAsync(["geolocation"], new() { Origin = _partner.Origin });
        await Context.SetGeolocationAsync(new() { Latitude = 38.9517f, Longitude = -92.3341f });
        var partner = PartnerPage();
        await Page.GotoAsync(partner);
        await Expect(Widget().Locator("button.exit")).ToBeVisibleAsync();
        Assert.That(await Widget().Locator("ol.results > li").CountAsync(), Is.EqualTo(0), "nothing searched before the press");
        await Widget().GetByRole(AriaRole.Button, new() { Name = "Use my location" }).ClickAsync();
        await Expect(Cards().First.Locator("h3")).ToHaveTextAsync("Mid-Missouri Legal Advocates (demo)");
        Assert.That(Page.Url, Is.EqualTo(partner));
        await AssertNoBrowserStateAsync(Page);
    }

    [TestCase("en", "If you or someone else is in immediate danger, call 911.", "We could not reach the directory right now. You can still get help: call or text the hotline below.")]
    [TestCase("es", "Si usted u otra persona está en peligro inmediato, llame al 911.", "No pudimos conectar con el directorio en este momento. Aún puede recibir ayuda: llame o envíe un mensaje de texto a la línea de abajo.")]
    public async Task With_the_API_unreachable_the_widget_still_shows_the_national_hotline_and_911(string lang, string emergency, string unreachable)
    {
        Intercept(DeadApi, route => route.AbortAsync("connectionrefused"));
        ExpectConsoleError("net::ERR_CONNECTION_REFUSED");
        await Page.GotoAsync(PartnerPage(lang, apiBase: DeadApi));
        var help = Widget().Locator("section.help");
        await Expect(help.Locator(".emergency")).ToHaveTextAsync(emergency);
        await Expect(help.Locator("a[href='tel:+18883737888']")).ToHaveTextAsync("1-888-373-7888");
        await Expect(help.Locator("a[href='sms:233733']")).ToHaveTextAsync("233733");
        await Widget().Locator("#rs-place").FillAsync("65201");
        await Widget().Locator("form button[type=submit]").ClickAsync();
        await Expect(Widget().Locator("p.status")).ToHaveTextAsync(unreachable);
        await Expect(help.Locator("a[href='tel:+18883737888']")).ToHaveTextAsync("1-888-373-7888");
        await Expect(help.Locator(".emergency")).ToHaveTextAsync(emergency);
        // The filters still offer the stable codes.
        await Expect(Widget().Locator("#rs-service option[value='emergency-shelter']")).ToHaveCountAsync(1);
        await AssertNoBrowserStateAsync(Page);
    }

    [TestCase("en", "Search", "5 of 8 results near 65201.")]
    [TestCase("es", "Buscar", "5 de 8 resultados cerca de 65201.")]
    public async Task The_landing_page_shows_the_widget_live_with_the_snippet_to_copy(string lang, string search, string found)
    {
        Intercept("https://www.google.com/", NeutralPage);
        await Page.GotoAsync(Url("/?lang=" + lang));
        var widget = Page.Locator("#widget-demo referral-search");
        await Expect(widget.Locator(".rs")).ToHaveAttributeAsync("lang", lang);
        await widget.Locator("#rs-place").FillAsync("65201");
        await widget.GetByRole(AriaRole.Button, new() { Name = search, Exact = true }).ClickAsync();
        await Expect(widget.Locator("p.status")).ToHaveTextAsync(found);
        await Expect(widget.Locator("ol.results > li h3")).ToHaveTextAsync(FirstPageNames);
        await Expect(Page.Locator("#widget-snippet")).ToHaveTextAsync(
            $"<script src=\"{BaseUrl}/widget/v1/referral-search.js\" defer></script>\n<referral-search lang=\"{lang}\" state=\"MO\" exit-url=\"https://www.google.com/\"></referral-search>");
        Assert.That(Page.Url, Is.EqualTo(Url("/?lang=" + lang)));
        await AssertNoBrowserStateAsync(Page);
        await AssertAccessibleAsync(Page, $"landing page with the widget's results, {lang}");
    }

    [Test]
    public async Task The_widget_script_is_served_to_other_origins_with_CORS_and_caching()
    {
        using var client = App.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/widget/v1/referral-search.js");
        request.Headers.Add("Origin", "https://any-partner.example");
        using var response = await client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("*"));
        Assert.That(response.Headers.GetValues("Cross-Origin-Resource-Policy").Single(), Is.EqualTo("cross-origin"));
        Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=3600"));
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
    }

    /// <summary>Every file the service serves under /widget, gzipped as a server would, together at most 50 KB.</summary>
    [Test]
    public async Task The_widget_assets_are_at_most_50_KB_gzipped_together()
    {
        const int limit = 50 * 1024;
        var web = App.Services.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        var files = new List<string>();
        void Walk(string dir)
        {
            foreach (var f in web.GetDirectoryContents(dir))
            {
                if (f.IsDirectory) Walk(dir + "/" + f.Name);
                else files.Add(dir + "/" + f.Name);
            }
        }
        Walk("/widget");
        Assert.That(files, Does.Contain("/widget/v1/referral-search.js"));
        using var client = App.Client();
        long total = 0;
        foreach (var path in files)
        {
            var bytes = await client.GetByteArrayAsync(path);
            using var packed = new MemoryStream();
            await using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true)) await gzip.WriteAsync(bytes);
            TestContext.Out.WriteLine($"{path}: {bytes.Length} bytes, {packed.Length} gzipped");
            total += packed.Length;
        }
        TestContext.Out.WriteLine($"total gzipped: {total} bytes of {limit}");
        Assert.That(total, Is.LessThanOrEqualTo(limit));
    }
}
