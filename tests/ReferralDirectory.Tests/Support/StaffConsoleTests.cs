using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using ReferralDirectory.Api.Auth;
using static Microsoft.Playwright.Assertions;

namespace ReferralDirectory.Tests.Support;

/// <summary>
/// Browser tests of the staff console: the service in Development, so staff sign in with the dev sign-in (roles and a
/// name; each sign-in is a new person), and API calls carry tokens from Development's own signing key, written beside
/// <c>AzureAd:SigningKeysFile</c> in a folder of this fixture's own.
/// </summary>
public abstract class StaffConsoleTests : BrowserTests
{
    private readonly string _keysFolder = Path.Combine(Path.GetTempPath(), "rd-tests", "staff-console-keys-" + Guid.NewGuid().ToString("N"));
    // One key object for the fixture: the token library caches signers by key id.
    private RSA? _devKey;

    /// <summary>Settings beyond the signing keys (none by default).</summary>
    protected virtual Dictionary<string, string?> Settings() => [];

    protected sealed override DirectoryApp CreateApp()
    {
        Directory.CreateDirectory(_keysFolder);
        var keys = Path.Combine(_keysFolder, "jwks.json");
        File.Copy(TestTokens.JwksFile, keys, overwrite: true);
        var settings = Settings();
        settings["AzureAd:SigningKeysFile"] = keys;
        return new DirectoryApp(settings: settings, configure: b => b.UseEnvironment("Development"));
    }

    /// <summary>A token for the API from Development's signing key.</summary>
    protected string DevToken(string role, string oid, string name) =>
        DevTokens.Mint(_devKey ??= DevTokens.EnsureKeys(_keysFolder), TestTokens.Issuer, TestTokens.Audience, [role], oid, name, App.Time.GetUtcNow());

    /// <summary>Signs in on the test's page through the dev sign-in with one role (and a name, else the form's own).</summary>
    protected Task SignInAsync(string role, string? name = null) => SignInAsync(Page, role, name);

    /// <summary>Signs in on <paramref name="page"/> through the dev sign-in with one role (and a name, else the form's own).</summary>
    protected async Task SignInAsync(IPage page, string role, string? name = null)
    {
        await page.GotoAsync(Url("/staff"));
        await Expect(page).ToHaveURLAsync(new Regex("/staff/dev-sign-in"));
        await page.GetByLabel("Caseworker", new() { Exact = true }).UncheckAsync();
        await page.GetByLabel(role, new() { Exact = true }).CheckAsync();
        if (name is not null) await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Find referrals");
    }
}
