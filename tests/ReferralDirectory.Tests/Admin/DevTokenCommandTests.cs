using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Admin;

/// <summary>
/// The README's dev-token line (<c>scripts/dev-token</c>), run as a process the way a new user runs it: standard output is
/// exactly one JWT (so <c>TOKEN=$(...)</c> captures just it), and the service, configured as in Development, accepts it.
/// </summary>
public sealed partial class DevTokenCommandTests
{
    private static string RepoRoot() => RepoFiles.Root;

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$")]
    private static partial Regex OneJwtLine();

    [Test]
    public async Task The_readme_dev_token_command_prints_exactly_one_token_the_service_accepts()
    {
        var root = RepoRoot();
        var line = File.ReadAllLines(Path.Combine(root, "README.md")).Single(l => l.StartsWith("TOKEN=$(", StringComparison.Ordinal));
        Assert.That(line, Is.EqualTo("TOKEN=$(./scripts/dev-token --role Directory.Admin --name \"Dev Admin\")"));
        // The command inside $( ), verbatim, run by bash from the repository root; in the configuration the tests were
        // built in (the script's CONFIGURATION, Debug by default), so its build finds everything up to date. It still runs
        // the restore and the build, whose warnings must stay off standard output.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(line["TOKEN=$(".Length..^1]);
        psi.Environment["CONFIGURATION"] = configuration;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(180_000), Is.True);
        Assert.That(p.ExitCode, Is.EqualTo(0), stderr.Result);
        Assert.That(OneJwtLine().IsMatch(stdout.Result), Is.True, $"stdout is one JWT and nothing else: [{stdout.Result}]");
        var token = stdout.Result.TrimEnd('\n');

        // The service as Development configures it (appsettings.Development.json), its key file resolved from the content
        // root like the service does (the project folder when run from source).
        var api = Path.Combine(root, "services", "ReferralDirectory.Api");
        using var dev = JsonDocument.Parse(File.ReadAllText(Path.Combine(api, "appsettings.Development.json")));
        var ad = dev.RootElement.GetProperty("AzureAd");
        // The command is a real process on the real clock: so is this service, to check the token's lifetime.
        using var app = new DirectoryApp(time: new ManualTimeProvider(DateTimeOffset.UtcNow), settings: new Dictionary<string, string?>
        {
            ["AzureAd:TenantId"] = ad.GetProperty("TenantId").GetString(),
            ["AzureAd:ClientId"] = ad.GetProperty("ClientId").GetString(),
            ["AzureAd:SigningKeysFile"] = Path.Combine(api, ad.GetProperty("SigningKeysFile").GetString()!),
        });
        using var client = app.Client();
        var queue = await client.SendAsync(HttpMethod.Get, "/v1/admin/review-queue", token);
        Assert.That(queue.Status, Is.EqualTo(HttpStatusCode.OK));
        var keys = await client.SendAsync(HttpMethod.Get, "/v1/admin/api-keys", token);
        Assert.That(keys.Status, Is.EqualTo(HttpStatusCode.OK), "the token carries Directory.Admin");
        var payload = JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token.Split('.')[1])).RootElement;
        Assert.That(payload.GetProperty("name").GetString(), Is.EqualTo("Dev Admin"));
    }
}
