using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Tests.Admin;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Safety;

public sealed class ErrorDetailTests
{
    /// <summary>A route that fails the way a bug would: with a message that must not reach the client.</summary>
    private sealed class ThrowingRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map("/boom", b => b.Run(_ => throw new InvalidOperationException("secret connection string Password=hunter2 at 38.9517,-92.3341")));
        };
    }

    [Test]
    public async Task An_unexpected_failure_is_a_plain_500_problem_without_details_outside_development()
    {
        using var app = new DirectoryApp(services: s => s.AddSingleton<IStartupFilter, ThrowingRoute>());
        using var client = app.Client();
        using var response = await client.GetAsync("/boom");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body, Does.Not.Contain("hunter2").And.Not.Contain("InvalidOperationException").And.Not.Contain("38.9517").And.Not.Contain(" at "));
        Assert.That(body, Does.Contain("\"traceId\""));
    }

    [Test]
    public async Task The_audit_log_survives_a_restart()
    {
        var path = Path.Combine(Path.GetTempPath(), "rd-tests", Guid.NewGuid().ToString("N"), "directory.db");
        try
        {
            using (var first = new DirectoryApp(path))
            {
                using var client = first.Client();
                var created = await client.SendAsync(HttpMethod.Post, "/v1/admin/listings", TestTokens.For(Roles.Editor), AdminClient.NewListing("restart-audit"));
                Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created));
            }
            using (var second = new DirectoryApp(path))
            {
                using var client = second.Client();
                var audit = await client.SendAsync(HttpMethod.Get, "/v1/admin/audit?listingId=restart-audit", TestTokens.For(Roles.Admin));
                Assert.That(audit.Body.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "create" }));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }
}
