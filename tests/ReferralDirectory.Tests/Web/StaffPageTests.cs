using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using ReferralDirectory.Api.WebPages;
using ReferralDirectory.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ReferralDirectory.Tests.Web;

/// <summary>The caseworker pages under /staff in a real browser: sign-in, the confidential shelter's exact address for
/// caseworkers only, the referral flow (search, shortlist, compare, sheet, print, copy), the client note that never
/// leaves the browser, and axe on every staff page. The service runs in Development (for the local sign-in).</summary>
public sealed class StaffPageTests : BrowserTests
{
    private const string ShelterStreet = "Route B, Box 18"; // the demo Boone County Safe House (confidential)
    private static readonly string KeysFolder = Path.Combine(Path.GetTempPath(), "rd-tests", "staff-keys-" + Guid.NewGuid().ToString("N"));

    protected override DirectoryApp CreateApp()
    {
        // Development writes its dev key set next to AzureAd:SigningKeysFile: give it a copy, never the shared test key file.
        Directory.CreateDirectory(KeysFolder);
        var keys = Path.Combine(KeysFolder, "jwks.json");
        File.Copy(TestTokens.JwksFile, keys, overwrite: true);
        return new DirectoryApp(settings: new Dictionary<string, string?> { ["AzureAd:SigningKeysFile"] = keys },
            configure: b => b.UseEnvironment("Development"));
    }

    [SetUp]
    public void AnswerTheNeutralSiteLocally() =>
        Intercept("https://www.google.com/", "<!DOCTYPE html><html lang=\"en\"><head><title>Neutral</title></head><body><h1>Neutral page</h1></body></html>");

    private async Task SignInAsync(string role = "Caseworker")
    {
        await Page.GotoAsync(Url("/staff"));
        await Expect(Page).ToHaveURLAsync(new Regex("/staff/dev-sign-in"));
        await AssertAccessibleAsync(Page, "the development sign-in");
        if (role != "Caseworker")
        {
            await Page.GetByLabel("Caseworker", new() { Exact = true }).UncheckAsync();
            await Page.GetByLabel(role, new() { Exact = true }).CheckAsync();
        }
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Url("/staff"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Find referrals");
    }

    private async Task<IResponse?> SearchAsync(string place)
    {
        await Page.GetByLabel("ZIP code or town").FillAsync(place);
        var response = await Page.RunAndWaitForResponseAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync(),
            r => r.Url == Url("/staff") && r.Request.Method == "POST");
        await Expect(Page.Locator("#results-title")).ToContainTextAsync("results near");
        return response;
    }

    [Test]
    public async Task Signed_out_staff_pages_redirect_to_sign_in_and_forms_need_the_anti_forgery_token()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };
        foreach (var path in new[] { "/staff" })
        {
            using var response = await client.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/staff/sign-in?ReturnUrl=%2Fstaff"));
        }
        foreach (var path in new[] { "/staff", "/staff/compare", "/staff/sheet" })
        {
            using var post = await client.PostAsync(path, new FormUrlEncodedContent([new("place", "65255")]));
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), path);
            Assert.That(await post.Content.ReadAsStringAsync(), Does.Not.Contain(ShelterStreet));
        }

        await SignInAsync();
        // Signed in, a form posted without the anti-forgery token is refused.
        var forged = await Context.APIRequest.PostAsync(Url("/staff"), new() { Form = Context.APIRequest.CreateFormData().Set("place", "65255") });
        Assert.That(forged.Status, Is.EqualTo(400));
        Assert.That(await forged.TextAsync(), Does.Not.Contain(ShelterStreet));
    }

    [Test]
    public async Task A_caseworker_sees_the_confidential_shelters_exact_address_privately_and_a_public_visitor_never_does()
    {
        await SignInAsync();
        var response = await SearchAsync("65255");
        var headers = await response!.AllHeadersAsync();
        Assert.That(headers["cache-control"], Is.EqualTo("no-store, private"));
        Assert.That(headers["content-security-policy"], Is.EqualTo(WebPageSetup.ContentSecurityPolicy));
        var shelter = Page.Locator("li.result[data-id='demo-boone-county-safe-house']");
        await Expect(shelter.Locator(".address")).ToContainTextAsync("Route B, Box 18, Hallsville, MO 65255");
        await Expect(shelter.Locator("dt").First).ToHaveTextAsync("Confidential address (do not share)");
        await Expect(shelter.Locator("a.directions")).ToHaveAttributeAsync("href", "https://www.google.com/maps/dir/?api=1&destination=39.003%2C-92.1564");
        await Expect(shelter.Locator(".intake")).ToContainTextAsync("Staff check safety by phone first");
        await AssertAccessibleAsync(Page, "the search results");

        // A public visitor: the public pages and answers never show it.
        var visitor = await Browser.NewContextAsync();
        try
        {
            var page = await visitor.NewPageAsync();
            foreach (var path in new[] { "/", "/v1/resources/demo-boone-county-safe-house", "/v1/resources/nearest?zip=65255&limit=20", "/hsds/organizations?full=true&per_page=100", "/staff" })
            {
                await page.GotoAsync(Url(path));
                Assert.That(await page.ContentAsync(), Does.Not.Contain(ShelterStreet).And.Not.Contain("Staff check safety by phone first"), path);
            }
            await Expect(page).ToHaveURLAsync(new Regex("/staff/dev-sign-in"));
        }
        finally
        {
            await visitor.CloseAsync();
        }
    }

    [Test]
    public async Task Referral_flow_search_shortlist_compare_sheet_print_copy_and_the_note_never_leaves_the_browser()
    {
        await Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = BaseUrl });
        var sent = new List<string>();
        Page.Request += (_, r) => sent.Add(r.Method + " " + r.Url + "\n" + r.PostData);

        await SignInAsync();
        await SearchAsync("65201");
        var results = Page.Locator("li.result");
        Assert.That(await results.CountAsync(), Is.GreaterThanOrEqualTo(3));
        var chosen = new List<(string Id, string Name, string Phone)>();
        for (var i = 0; i < 3; i++)
        {
            // The first result not yet on the shortlist.
            var item = Page.Locator("li.result").Filter(new() { Has = Page.Locator("button[name=add]") }).First;
            var id = (await item.GetAttributeAsync("data-id"))!;
            var name = await item.Locator("h3").InnerTextAsync();
            var phone = await item.Locator(".phone a").First.InnerTextAsync();
            chosen.Add((id, name, phone));
            await Expect(item.Locator("button[name=add]")).ToHaveAccessibleNameAsync($"Add {name} to shortlist");
            await item.Locator("button[name=add]").ClickAsync();
            await Expect(Page.Locator("#shortlist-items li")).ToHaveCountAsync(i + 1);
        }
        await Expect(Page.Locator("#shortlist-items li")).ToHaveTextAsync(chosen.Select(c => new Regex("^" + Regex.Escape(c.Name))).ToArray());

        await Page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Compare agencies");
        await Expect(Page.Locator("table.compare thead th")).ToHaveTextAsync(chosen.Select(c => c.Name).ToArray());
        foreach (var row in new[] { "Services", "Serves", "Languages", "Hours", "Distance", "Accepting referrals", "Warm transfers", "Intake" })
            await Expect(Page.Locator("table.compare tbody th", new() { HasTextString = row }).First).ToBeVisibleAsync();
        await Expect(Page.Locator("table.compare tbody tr", new() { Has = Page.Locator("th", new() { HasTextString = "Distance" }) }).Locator("td").First).ToContainTextAsync("km");
        await AssertAccessibleAsync(Page, "the compare page");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Referral sheet" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Referral sheet");
        await Expect(Page.Locator(".sheet-date")).ToHaveTextAsync("Prepared November 18, 2026");
        var agencies = Page.Locator("article.agency");
        await Expect(agencies).ToHaveCountAsync(3);
        for (var i = 0; i < 3; i++)
        {
            await Expect(agencies.Nth(i).Locator("h3")).ToHaveTextAsync(chosen[i].Name);
            await Expect(agencies.Nth(i).Locator(".phone").First).ToContainTextAsync(chosen[i].Phone);
        }
        await Expect(Page.Locator(".sheet-hotlines")).ToContainTextAsync("1-888-373-7888");
        await Expect(Page.Locator(".sheet-hotlines")).ToContainTextAsync("233733");
        await Expect(Page.Locator(".sheet-hotlines")).ToContainTextAsync("800-700-1650");
        await Expect(Page.Locator(".sheet-hotlines")).ToContainTextAsync("call 911");
        await AssertAccessibleAsync(Page, "the referral sheet");

        // The client note: typed, printed and copied, never sent.
        const string note = "Zebracake appointment Thursday bluefinch";
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Note for the client (optional)" }).FillAsync(note);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Copy text" }).ClickAsync();
        await Expect(Page.Locator("#copy-status")).ToHaveTextAsync("Copied.");
        var copied = await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.That(copied, Is.EqualTo(await Page.Locator("#case-file-text").InputValueAsync()));
        Assert.That(copied, Does.StartWith("Referral sheet, November 18, 2026\n"));
        foreach (var (_, name, phone) in chosen) Assert.That(copied, Does.Contain(name + "\n  Phone: " + phone));
        Assert.That(copied, Does.Contain("National Human Trafficking Hotline: call 1-888-373-7888 · text 233733"));
        Assert.That(copied, Does.EndWith("Note\n  " + note + "\n"));

        // Print: the print stylesheet hides the navigation chrome and keeps every agency, one block each.
        await Page.EmulateMediaAsync(new() { Media = Media.Print });
        foreach (var chrome in new[] { ".site-header", ".staff-nav", ".staff-help", ".case-file", "#client-note" })
            await Expect(Page.Locator(chrome)).ToBeHiddenAsync();
        for (var i = 0; i < 3; i++) await Expect(agencies.Nth(i)).ToBeVisibleAsync();
        Assert.That(await agencies.First.EvaluateAsync<string>("e => getComputedStyle(e).breakInside"), Is.EqualTo("avoid"));
        await Expect(Page.Locator("#client-note-print")).ToHaveTextAsync(note);
        var printed = await Page.Locator("main").InnerTextAsync();
        foreach (var (_, name, phone) in chosen) Assert.That(printed, Does.Contain(name).And.Contain(phone));
        Assert.That(printed, Does.Not.Contain("Sign out").And.Not.Contain("Exit this page"));
        var pdf = await Page.PdfAsync(new() { Format = "Letter" });
        Assert.That(System.Text.Encoding.ASCII.GetString(pdf, 0, 5), Is.EqualTo("%PDF-"));
        await Page.EmulateMediaAsync(new() { Media = Media.Screen });

        Assert.That(sent, Is.Not.Empty);
        foreach (var word in note.Split(' '))
            Assert.That(sent.Where(s => s.Contains(word, StringComparison.OrdinalIgnoreCase)), Is.Empty, $"the note's word '{word}' was sent");
    }

    [Test]
    public async Task The_results_map_is_an_inline_svg_with_one_marker_per_located_result_linked_to_the_list_by_name()
    {
        var requests = new List<string>();
        Page.Request += (_, r) => requests.Add(r.Url);
        await SignInAsync();
        await SearchAsync("65201");

        // What the list shows: each result's name, whether it has a position (a directions link) and is confidential.
        var items = Page.Locator("li.result");
        var expected = new List<(string Id, string Label)>();
        for (var i = 0; i < await items.CountAsync(); i++)
        {
            var item = items.Nth(i);
            if (await item.Locator("a.directions").CountAsync() == 0) continue;
            var name = await item.Locator("h3").InnerTextAsync();
            var confidential = await item.Locator("dt", new() { HasTextString = "Confidential address (do not share)" }).CountAsync() > 0;
            expected.Add(((await item.GetAttributeAsync("data-id"))!, $"{i + 1}. {name}" + (confidential ? " (confidential location)" : "")));
        }
        Assert.That(expected, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(expected.Select(e => e.Id), Does.Contain("demo-boone-county-safe-house"), "staff see the confidential shelter on the map");

        var map = Page.Locator("figure.results-map svg");
        await Expect(map.Locator("title#map-title")).ToHaveTextAsync("Map of the results near ZIP 65201");
        await Expect(map.Locator("desc#map-desc")).ToContainTextAsync($"{expected.Count} located results, numbered as in the list");
        await Expect(map).ToHaveAccessibleNameAsync("Map of the results near ZIP 65201");
        var markers = map.Locator("a.marker");
        await Expect(markers).ToHaveCountAsync(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            await Expect(markers.Nth(i)).ToHaveAttributeAsync("href", "#result-" + expected[i].Id);
            await Expect(markers.Nth(i)).ToHaveAccessibleNameAsync(expected[i].Label);
            await Expect(markers.Nth(i).Locator("title")).ToHaveTextAsync(expected[i].Label);
        }
        var confidentialIds = expected.Where(e => e.Label.EndsWith(" (confidential location)", StringComparison.Ordinal)).Select(e => e.Id).ToList();
        Assert.That(confidentialIds, Does.Contain("demo-boone-county-safe-house"));
        Assert.That(await map.Locator("a.marker--confidential").EvaluateAllAsync<string[]>("ms => ms.map(m => m.dataset.id)"), Is.EqualTo(confidentialIds));
        await Expect(map.Locator("path.county[data-code='29019'] title")).ToHaveTextAsync("Boone County");
        await Expect(map.Locator("path.state[data-code='MO']")).ToHaveCountAsync(1);

        // A marker leads to its list item.
        await map.Locator("a.marker[data-id='demo-boone-county-safe-house']").ClickAsync();
        await Expect(Page).ToHaveURLAsync(Url("/staff#result-demo-boone-county-safe-house"));
        await Expect(Page.Locator("li.result:target h3")).ToHaveTextAsync("Boone County Safe House (demo)");

        // No tile server, no other origin.
        Assert.That(requests.Where(u => !u.StartsWith(BaseUrl, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task The_staff_pages_in_Spanish_show_Spanish_labels_guidance_and_results_and_pass_axe()
    {
        await Page.GotoAsync(Url("/staff?lang=es"));
        await Expect(Page).ToHaveURLAsync(Url("/staff/dev-sign-in?lang=es&ReturnUrl=%2Fstaff%3Flang%3Des"));
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Inicio de sesión de desarrollo");
        await AssertAccessibleAsync(Page, "the development sign-in in Spanish");
        await Expect(Page.GetByLabel("Trabajador social", new() { Exact = true })).ToBeCheckedAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Iniciar sesión" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(Url("/staff?lang=es"));
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Buscar referencias");
        await Expect(Page).ToHaveTitleAsync("Buscar referencias · Personal del Directorio de Referencias");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Salir de esta página" })).ToBeVisibleAsync();
        await Expect(Page.Locator(".staff-help .emergency")).ToHaveTextAsync("Si alguien está en peligro inmediato, llame al 911.");
        await Expect(Page.Locator("#f-service option[value='emergency-shelter']")).ToHaveTextAsync("Refugio de emergencia");
        await Expect(Page.Locator("#f-population option[value='minors']")).ToHaveTextAsync("Menores de 18 años");
        foreach (var label in new[] { "Código postal o ciudad", "Servicio", "Atiende a", "Idioma que se habla (código ISO)", "Abierto ahora", "Acepta referencias ahora", "Gratis" })
            await Expect(Page.GetByLabel(label, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Page.Locator("#danger-title")).ToHaveTextAsync("Si alguien está en peligro inmediato");
        await Expect(Page.Locator("#danger-title + p")).ToHaveTextAsync(ReferralDirectory.Guidance.GuidanceLibrary.Default.Data.Emergency.Message.Es);
        await Expect(Page.Locator(".staff-guidance summary")).ToHaveTextAsync(["Preguntas que hacer", "Señales a las que prestar atención"]);
        await AssertAccessibleAsync(Page, "the search page in Spanish");

        await Page.GetByLabel("Código postal o ciudad").FillAsync("65255");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buscar", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#results-title")).ToContainTextAsync("resultados cerca de código postal 65255");
        var shelter = Page.Locator("li.result[data-id='demo-boone-county-safe-house']");
        await Expect(shelter.Locator("dt").First).ToHaveTextAsync("Dirección confidencial (no la comparta)");
        await Expect(shelter.Locator(".address")).ToContainTextAsync("Route B, Box 18, Hallsville, MO 65255");
        await Expect(shelter.Locator("button[name=add]")).ToHaveAccessibleNameAsync("Agregar Boone County Safe House (demo) a la lista corta");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await AssertAccessibleAsync(Page, "the search results in Spanish");

        // Shortlist two, compare them and open the sheet, all in Spanish.
        for (var i = 0; i < 2; i++)
        {
            await Page.Locator("li.result button[name=add]").First.ClickAsync();
            await Expect(Page.Locator("#shortlist-items li")).ToHaveCountAsync(i + 1);
        }
        await Page.GetByRole(AriaRole.Button, new() { Name = "Comparar" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Comparar agencias");
        await Expect(Page.Locator("table.compare tbody th").First).ToHaveTextAsync("Servicios");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await AssertAccessibleAsync(Page, "the compare page in Spanish");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Hoja de referencia" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Hoja de referencia");
        await Expect(Page.Locator(".sheet-date")).ToHaveTextAsync("Preparada el 18 de noviembre de 2026");
        await Expect(Page.Locator(".sheet-hotlines li").First).ToHaveTextAsync("Si alguien está en peligro inmediato, llame al 911.");
        Assert.That(await Page.Locator("#case-file-text").InputValueAsync(), Does.StartWith("Hoja de referencia, 18 de noviembre de 2026\n"));
        await AssertAccessibleAsync(Page, "the referral sheet in Spanish");

        // The switch leads back to English.
        await Page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(Url("/staff"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Find referrals");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
    }

    [Test]
    public async Task Development_sign_in_answers_404_in_production()
    {
        await using var production = new DirectoryApp();
        Uri baseAddress;
        using (var started = production.Client()) baseAddress = started.BaseAddress!;
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress };
        using var get = await client.GetAsync("/staff/dev-sign-in");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var post = await client.PostAsync("/staff/dev-sign-in", new FormUrlEncodedContent([new("role", "Caseworker")]));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(post.Headers.Contains("Set-Cookie"), Is.False);
        using var signIn = await client.GetAsync("/staff/sign-in");
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "no tenant and not Development: no way to sign in");
        using var staff = await client.GetAsync("/staff");
        Assert.That(staff.Headers.Location?.ToString(), Is.EqualTo("/staff/sign-in?ReturnUrl=%2Fstaff"));
    }
}
