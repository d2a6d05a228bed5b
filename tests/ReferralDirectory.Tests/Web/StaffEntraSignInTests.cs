using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Web;

/// <summary>
/// The staff pages' Entra ID sign-in as it runs in production: Microsoft.Identity.Web's OpenID Connect (its default
/// for sign-in: an ID token answered by form_post, with a nonce and a state) and then the staff cookie, against an OpenID provider on another loopback port over
/// HTTPS (its own discovery document, key set, authorize and token endpoints, like Entra's). The service is configured
/// as for a real tenant (no local key set); only the back channel is told to trust the provider's test certificate.
/// </summary>
public sealed class StaffEntraSignInTests
{
    private const string ShelterStreet = "Route B, Box 18, Hallsville, MO 65255";

    [Test]
    public async Task A_caseworker_signs_in_through_OpenID_Connect_and_sees_the_confidential_address()
    {
        await using var provider = await LoopbackOpenIdProvider.StartAsync();
        provider.Roles = [Roles.Caseworker];
        await using var app = App(provider);
        var browser = new CookieBrowser(app);

        using var staff = await browser.GetAsync("/staff");
        Assert.That(staff.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(staff.Headers.Location?.ToString(), Is.EqualTo("/staff/sign-in?ReturnUrl=%2Fstaff"));

        // The challenge: to the tenant's authorize endpoint, for an ID token posted back to the callback.
        using var signIn = await browser.GetAsync("/staff/sign-in?ReturnUrl=%2Fstaff");
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var authorize = signIn.Headers.Location!;
        Assert.That(authorize.GetLeftPart(UriPartial.Path), Is.EqualTo(provider.Instance + TestTokens.TenantId + "/oauth2/v2.0/authorize"));
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.That(query["client_id"].ToString(), Is.EqualTo(TestTokens.ClientId));
        Assert.That(query["redirect_uri"].ToString(), Is.EqualTo(browser.BaseUrl + "/staff/signin-oidc"));
        Assert.That(query["response_type"].ToString(), Is.EqualTo("id_token"));
        Assert.That(query["response_mode"].ToString(), Is.EqualTo("form_post"));
        Assert.That(query["scope"].ToString().Split(' '), Does.Contain("openid"));
        Assert.That(query["nonce"].ToString(), Is.Not.Empty);

        // The person signs in at the provider, whose page posts the ID token and the state back (form_post).
        var posted = await provider.AuthorizeAsync(authorize);
        Assert.That(posted.Keys, Is.EquivalentTo(new[] { "id_token", "state" }));
        using var callback = await browser.PostAsync("/staff/signin-oidc", posted);
        Assert.That(callback.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await callback.Content.ReadAsStringAsync());
        Assert.That(callback.Headers.Location?.ToString(), Is.EqualTo("/staff"));
        Assert.That(browser.Cookies.Keys, Does.Contain("rd-staff"));

        // The service read the tenant's discovery document and keys on its back channel (over HTTPS).
        Assert.That(provider.BackChannel, Is.SupersetOf(new[] { "/" + TestTokens.TenantId + "/v2.0/.well-known/openid-configuration", "/" + TestTokens.TenantId + "/discovery/v2.0/keys" }));

        using var page = await browser.GetAsync("/staff");
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<h1>Find referrals</h1>").And.Contain("Signed in as Casey Worker"));
        Assert.That(page.Headers.CacheControl?.ToString(), Is.EqualTo("no-store, private"));

        using var results = await browser.PostAsync("/staff", new() { ["__RequestVerificationToken"] = Token(html), ["place"] = "65255" });
        Assert.That(results.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await results.Content.ReadAsStringAsync(), Does.Contain(ShelterStreet));
        Assert.That(results.Headers.CacheControl?.ToString(), Is.EqualTo("no-store, private"));

        // The staff cookie is for the staff pages only: the admin API does not take it.
        using var admin = await browser.GetAsync("/v1/admin/listings/demo-boone-county-safe-house");
        Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Signed_in_without_a_staff_role_the_staff_pages_stay_closed()
    {
        await using var provider = await LoopbackOpenIdProvider.StartAsync();
        provider.Roles = [];
        await using var app = App(provider);
        var browser = new CookieBrowser(app);
        using var signIn = await browser.GetAsync("/staff/sign-in?ReturnUrl=%2Fstaff");
        using var callback = await browser.PostAsync("/staff/signin-oidc", await provider.AuthorizeAsync(signIn.Headers.Location!));
        Assert.That(callback.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        using var staff = await browser.GetAsync("/staff");
        Assert.That(staff.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(staff.Headers.Location?.ToString(), Is.EqualTo("/staff/sign-in?ReturnUrl=%2Fstaff"));
        Assert.That(await staff.Content.ReadAsStringAsync(), Does.Not.Contain(ShelterStreet));
    }

    [Test]
    public async Task An_ID_token_from_another_tenant_or_a_forged_state_is_refused_with_a_staff_page_not_a_500()
    {
        await using var provider = await LoopbackOpenIdProvider.StartAsync();
        provider.Roles = [Roles.Caseworker];
        provider.IssuerOverride = provider.Instance + "other-tenant/v2.0";
        await using var app = App(provider);
        var browser = new CookieBrowser(app);
        using var signIn = await browser.GetAsync("/staff/sign-in?ReturnUrl=%2Fstaff");
        var posted = await provider.AuthorizeAsync(signIn.Headers.Location!);

        using var wrongTenant = await browser.PostAsync("/staff/signin-oidc", posted);
        Assert.That(wrongTenant.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var html = await wrongTenant.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("<h1>Sign-in did not complete</h1>").And.Contain("href=\"/staff/sign-in\""));
        Assert.That(html, Does.Contain("tel:911"));
        Assert.That(wrongTenant.Headers.CacheControl?.ToString(), Is.EqualTo("no-store, private"));
        Assert.That(browser.Cookies.Keys, Does.Not.Contain("rd-staff"));

        // A valid ID token of this tenant with a state the service never issued.
        provider.IssuerOverride = null;
        var again = await provider.AuthorizeAsync(signIn.Headers.Location!);
        using var forged = await browser.PostAsync("/staff/signin-oidc", new() { ["id_token"] = again["id_token"], ["state"] = "made-up" });
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(browser.Cookies.Keys, Does.Not.Contain("rd-staff"));
        using var staff = await browser.GetAsync("/staff");
        Assert.That(staff.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    private static string Token(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

    /// <summary>The service as for a real tenant at the provider (no local key set, Production); the OpenID Connect
    /// back channel trusts the provider's test certificate.</summary>
    private static DirectoryApp App(LoopbackOpenIdProvider provider)
    {
        var app = new DirectoryApp(
            settings: new Dictionary<string, string?> { ["AzureAd:Instance"] = provider.Instance, ["AzureAd:SigningKeysFile"] = null },
            services: s => s.Configure<OpenIdConnectOptions>(AuthSchemes.StaffOpenIdConnect, o => o.BackchannelHttpHandler = provider.TrustingHandler()));
        provider.ServiceClock = app.Time;
        return app;
    }

    /// <summary>An HTTP client that keeps cookies itself (whatever their Secure flag or path), like a browser on this one site.</summary>
    private sealed class CookieBrowser
    {
        private readonly HttpClient _client;
        public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);
        public string BaseUrl { get; }

        public CookieBrowser(DirectoryApp app)
        {
            using (var started = app.Client()) BaseUrl = started.BaseAddress!.GetLeftPart(UriPartial.Authority);
            _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };
        }

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

        public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) });

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            using (request)
            {
                if (Cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => c.Key + "=" + c.Value)));
                var response = await _client.SendAsync(request);
                if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
                    foreach (var header in setCookies)
                    {
                        var pair = header.Split(';')[0];
                        var eq = pair.IndexOf('=', StringComparison.Ordinal);
                        var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                        if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) Cookies.Remove(name);
                        else Cookies[name] = value;
                    }
                return response;
            }
        }
    }

    /// <summary>
    /// A tiny OpenID provider on a loopback HTTPS port, shaped like Entra ID's v2.0 endpoints for the test tenant:
    /// <c>/{tenant}/v2.0/.well-known/openid-configuration</c>, <c>/{tenant}/discovery/v2.0/keys</c>,
    /// and <c>/{tenant}/oauth2/v2.0/authorize</c> (the person signs in: it answers what its page would post back, an
    /// RS256 ID token for the client with the request's nonce, and the state).
    /// </summary>
    private sealed class LoopbackOpenIdProvider : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly X509Certificate2 _certificate;
        private readonly RSA _key = RSA.Create(2048);

        public string Instance { get; private set; } = "";
        public string Issuer => IssuerOverride ?? Instance + TestTokens.TenantId + "/v2.0";
        public string? IssuerOverride { get; set; }
        public string[] Roles { get; set; } = [];
        /// <summary>The service's clock, so that tokens are valid for it too.</summary>
        public TimeProvider ServiceClock { get; set; } = TimeProvider.System;
        /// <summary>The paths the service requested on its back channel (everything but the person's authorize visit).</summary>
        public ConcurrentQueue<string> BackChannel { get; } = new();

        private LoopbackOpenIdProvider(WebApplication app, X509Certificate2 certificate) { _app = app; _certificate = certificate; }

        public static async Task<LoopbackOpenIdProvider> StartAsync()
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
            var app = builder.Build();
            var self = new LoopbackOpenIdProvider(app, certificate);
            app.Use((ctx, next) =>
            {
                if (!ctx.Request.Path.Value!.EndsWith("/authorize", StringComparison.Ordinal)) self.BackChannel.Enqueue(ctx.Request.Path.Value);
                return next(ctx);
            });
            const string tenant = "/" + TestTokens.TenantId;
            app.MapGet(tenant + "/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = self.Instance + TestTokens.TenantId + "/v2.0",
                ["authorization_endpoint"] = self.Instance + TestTokens.TenantId + "/oauth2/v2.0/authorize",
                ["token_endpoint"] = self.Instance + TestTokens.TenantId + "/oauth2/v2.0/token",
                ["jwks_uri"] = self.Instance + TestTokens.TenantId + "/discovery/v2.0/keys",
                ["end_session_endpoint"] = self.Instance + TestTokens.TenantId + "/oauth2/v2.0/logout",
                ["response_types_supported"] = new[] { "code", "id_token", "code id_token" },
                ["response_modes_supported"] = new[] { "query", "fragment", "form_post" },
                ["subject_types_supported"] = new[] { "pairwise" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
            }));
            app.MapGet(tenant + "/discovery/v2.0/keys", () => Results.Text(DevTokens.Jwks(self._key), "application/json"));
            app.MapGet(tenant + "/oauth2/v2.0/authorize", (HttpRequest r) =>
            {
                var q = r.Query;
                if (q["response_type"] != "id_token" || q["response_mode"] != "form_post" || string.IsNullOrEmpty(q["nonce"]) || string.IsNullOrEmpty(q["state"]))
                    return Results.BadRequest("unsupported request");
                // What the provider's page posts back to the redirect address once the person has signed in.
                return Results.Json(new Dictionary<string, string> { ["id_token"] = self.IdToken(q["client_id"].ToString(), q["nonce"].ToString()), ["state"] = q["state"].ToString() });
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            self.Instance = new Uri(address).GetLeftPart(UriPartial.Authority).Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/";
            return self;
        }

        /// <summary>The person signs in at the authorize address the service sent them to; the provider answers the code.</summary>
        public async Task<Dictionary<string, string>> AuthorizeAsync(Uri authorize)
        {
            using var client = new HttpClient(TrustingHandler());
            using var response = await client.GetAsync(authorize);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;
        }

        /// <summary>A handler that trusts this provider's certificate only.</summary>
        public HttpMessageHandler TrustingHandler() => new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == _certificate.GetCertHashString() },
        };

        private string IdToken(string clientId, string nonce)
        {
            // Valid on the machine's clock (which the token handler reads) and on the service's test clock alike.
            var clocks = new[] { DateTime.UtcNow, ServiceClock.GetUtcNow().UtcDateTime };
            var from = clocks.Min().AddMinutes(-5);
            var claims = new Dictionary<string, object>
            {
                ["sub"] = "loopback-subject-1",
                ["oid"] = "00000000-0000-0000-0000-00000000c0de",
                ["tid"] = TestTokens.TenantId,
                ["name"] = "Casey Worker",
                ["preferred_username"] = "casey@example.org",
                ["nonce"] = nonce,
                ["ver"] = "2.0",
            };
            if (Roles.Length > 0) claims["roles"] = Roles;
            var descriptor = new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = clientId,
                Claims = claims,
                IssuedAt = from,
                NotBefore = from,
                Expires = clocks.Max().AddHours(1),
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = DevTokens.KeyId(_key) }, SecurityAlgorithms.RsaSha256),
            };
            return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.DisposeAsync();
            _certificate.Dispose();
            _key.Dispose();
        }
    }
}
