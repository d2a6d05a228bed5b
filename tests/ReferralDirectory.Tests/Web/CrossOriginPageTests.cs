using ReferralDirectory.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ReferralDirectory.Tests.Web;

/// <summary>The browser fixture's second origin: a partner page on another loopback origin calls the public API
/// (CORS allows the partner's origin), which is how embed tests run.</summary>
public sealed class CrossOriginPageTests : BrowserTests
{
    private OtherOrigin _partner = null!;

    protected override DirectoryApp CreateApp()
    {
        _partner = OtherOrigin.StartAsync().GetAwaiter().GetResult();
        return new DirectoryApp(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = _partner.Origin });
    }

    [OneTimeTearDown]
    public async Task StopPartnerAsync() => await _partner.DisposeAsync();

    [Test]
    public async Task A_partner_page_on_another_origin_reads_guidance_in_Spanish()
    {
        AllowOrigin(_partner.Origin);
        Assert.That(_partner.Origin, Is.Not.EqualTo(BaseUrl));
        var page = _partner.Serve("/partner.html", $$"""
            <!DOCTYPE html><html lang="es"><head><title>Partner</title></head><body>
            <main><h1>Partner</h1><p id="out">…</p></main>
            <script>
              fetch('{{BaseUrl}}/v1/guidance?lang=es')
                .then(r => r.json().then(b => document.getElementById('out').textContent = r.headers.get('Content-Language') + ': ' + b.topics[0].title))
                .catch(e => document.getElementById('out').textContent = 'failed: ' + e);
            </script></body></html>
            """);
        await Page.GotoAsync(page);
        await Expect(Page.Locator("#out")).ToHaveTextAsync("es: Cómo reconocer la trata de personas");
        await AssertNoBrowserStateAsync(Page);
    }
}
