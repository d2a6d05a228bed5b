using System.Collections.Concurrent;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ReferralDirectory.Tests.Support;

/// <summary>
/// Debian's chromium (/usr/bin/chromium, installed by scripts/test.sh) driven by Playwright. Playwright's own browser
/// download cannot work on these machines; its driver (Node, shipped inside the Microsoft.Playwright package) runs
/// from the test output. The flags keep chromium from making any connection of its own (updates, sync, QUIC probes).
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static readonly IReadOnlyList<string> Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Without chromium the browser tests are skipped with the reason locally, and fail in CI.</summary>
    public static void RequireInstalled()
    {
        if (File.Exists(ExecutablePath)) return;
        const string message = ExecutablePath + " is missing: run ./scripts/test.sh (it installs Debian's chromium) or apt-get install -y chromium.";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message);
        Assert.Ignore(message);
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        Args = Args,
    });
}

/// <summary>
/// Base for real-browser tests: one real service (<see cref="DirectoryApp"/> on loopback) and one browser per fixture,
/// a new browser context (no shared cookies, storage or cache) per test. Every request the page makes to any other
/// origin is aborted and fails the test, except origins the fixture allows (<see cref="AllowOrigin"/>) and addresses it
/// answers itself (<see cref="Intercept(string, string)"/>, e.g. the quick exit's neutral site). Console errors (a CSP violation is
/// one) and uncaught page errors fail the test too. Use Playwright's auto-waiting (Expect, WaitFor...), never sleeps.
/// </summary>
public abstract class BrowserTests
{
    private readonly ConcurrentQueue<string> _outside = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentDictionary<string, Func<IRoute, Task>> _intercepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _allowed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _expectedErrors = new(StringComparer.Ordinal);
    private IPlaywright? _playwright;

    protected DirectoryApp App { get; private set; } = null!;
    /// <summary>The service's origin, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    protected string BaseUrl { get; private set; } = null!;
    protected IBrowser Browser { get; private set; } = null!;
    protected IBrowserContext Context { get; private set; } = null!;
    protected IPage Page { get; private set; } = null!;

    /// <summary>The app this fixture runs; override for other settings.</summary>
    protected virtual DirectoryApp CreateApp() => new();

    /// <summary>The new context's options (viewport 1280 x 900, English); override for others.</summary>
    protected virtual BrowserNewContextOptions ContextOptions() => new()
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        Locale = "en-US",
        ServiceWorkers = ServiceWorkerPolicy.Block,
    };

    [OneTimeSetUp]
    public async Task StartBrowserAsync()
    {
        Chromium.RequireInstalled();
        App = CreateApp();
        using var client = App.Client();
        BaseUrl = client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task StopBrowserAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
    }

    [SetUp]
    public async Task NewContextAsync()
    {
        _outside.Clear();
        _errors.Clear();
        _expectedErrors.Clear();
        Context = await Browser.NewContextAsync(ContextOptions());
        Context.SetDefaultTimeout(15_000);
        await Context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            // A test's own stand-in answers first (it may stand in for a path of the service too).
            var stand = _intercepted.FirstOrDefault(kv => url.StartsWith(kv.Key, StringComparison.Ordinal));
            if (stand.Key is not null)
            {
                await stand.Value(route);
                return;
            }
            if (url.StartsWith(BaseUrl + "/", StringComparison.Ordinal) || url == BaseUrl || _allowed.Keys.Any(o => url.StartsWith(o + "/", StringComparison.Ordinal)))
            {
                await route.ContinueAsync();
                return;
            }
            _outside.Enqueue(route.Request.Method + " " + url);
            await route.AbortAsync("blockedbyclient");
        });
        Page = await Context.NewPageAsync();
        Watch(Page);
    }

    [TearDown]
    public async Task CloseContextAsync()
    {
        if (Context is not null) await Context.CloseAsync();
        Assert.That(_outside, Is.Empty, "The page made requests outside the machine's own test origins.");
        Assert.That(_errors, Is.Empty, "The browser reported errors (console or uncaught).");
    }

    /// <summary>Records console errors and uncaught errors of <paramref name="page"/> (the default page is watched).</summary>
    protected void Watch(IPage page)
    {
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !_expectedErrors.Keys.Any(e => m.Text.Contains(e, StringComparison.Ordinal))) _errors.Enqueue($"console: {m.Text} ({m.Location})");
        };
        page.PageError += (_, e) => _errors.Enqueue("page error: " + e);
    }

    /// <summary>A console error this test causes on purpose (e.g. <c>net::ERR_CONNECTION_REFUSED</c> for an API made
    /// unreachable): messages containing <paramref name="contains"/> do not fail the test. Cleared before each test.</summary>
    protected void ExpectConsoleError(string contains) => _expectedErrors[contains] = true;

    /// <summary>Requests to another origin that this fixture serves or trusts (e.g. an <see cref="OtherOrigin"/>).</summary>
    protected void AllowOrigin(string origin) => _allowed[origin.TrimEnd('/')] = true;

    /// <summary>Answers requests starting with <paramref name="urlPrefix"/> with <paramref name="html"/>, inside the browser: nothing leaves the machine.</summary>
    protected void Intercept(string urlPrefix, string html) =>
        Intercept(urlPrefix, route => route.FulfillAsync(new() { Status = 200, ContentType = "text/html; charset=utf-8", Body = html }));

    /// <summary>Answers requests starting with <paramref name="urlPrefix"/> with <paramref name="handler"/> (it must fulfil or abort the route).</summary>
    protected void Intercept(string urlPrefix, Func<IRoute, Task> handler) => _intercepted[urlPrefix] = handler;

    /// <summary>The service's absolute address for <paramref name="path"/>.</summary>
    protected string Url(string path) => BaseUrl + path;

    /// <summary>A localStorage item of <paramref name="origin"/> in this test's browser context, read from outside the
    /// page (so it can be read after the page that wrote it was replaced). For test instrumentation only.</summary>
    protected async Task<string?> LocalStorageItemAsync(string origin, string name)
    {
        using var state = System.Text.Json.JsonDocument.Parse(await Context.StorageStateAsync());
        foreach (var o in state.RootElement.GetProperty("origins").EnumerateArray())
        {
            if (o.GetProperty("origin").GetString() != origin) continue;
            foreach (var item in o.GetProperty("localStorage").EnumerateArray())
                if (item.GetProperty("name").GetString() == name) return item.GetProperty("value").GetString();
        }
        return null;
    }

    /// <summary>axe-core (WCAG 2.0-2.2 A and AA rules and best practices) on the page as it is now: fails on any
    /// serious or critical violation and prints every violation found.</summary>
    protected static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        });
        foreach (var v in result.Violations)
        {
            TestContext.Out.WriteLine($"axe {what}: {v.Impact} {v.Id}: {v.Help} ({v.HelpUrl})");
            foreach (var n in v.Nodes.Take(5)) TestContext.Out.WriteLine($"    {string.Join(" ", n.Target?.ToString())}: {n.Html}");
        }
        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}").ToList();
        Assert.That(result.Passes, Is.Not.Empty, $"axe checked nothing on {what}");
        Assert.That(blocking, Is.Empty, $"axe found serious or critical violations on {what}");
    }

    /// <summary>The page left nothing in the browser: no cookies, no local or session storage, no IndexedDB databases, no Cache Storage.</summary>
    protected static async Task AssertNoBrowserStateAsync(IPage page)
    {
        Assert.That(await page.Context.CookiesAsync(), Is.Empty, "cookies");
        var state = await page.EvaluateAsync<string[]>(@"async () => [
            'localStorage:' + localStorage.length,
            'sessionStorage:' + sessionStorage.length,
            'indexedDB:' + (indexedDB.databases ? (await indexedDB.databases()).length : 0),
            'caches:' + (self.caches ? (await caches.keys()).length : 0),
            'cookie:' + document.cookie.length ]");
        Assert.That(state, Is.EqualTo(new[] { "localStorage:0", "sessionStorage:0", "indexedDB:0", "caches:0", "cookie:0" }));
    }
}
