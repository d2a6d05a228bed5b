using System.Diagnostics;
using System.Text.Json;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Deployment;

/// <summary>
/// The Bicep templates compile and lint clean with the real Bicep CLI (from the NuGet package
/// Azure.Bicep.CommandLine.linux-x64, downloaded by infra/bicep/Bicep.csproj, which this test project builds): 0 errors and
/// 0 warnings, the CLI's output printed. And the compiled template wires what the service needs.
/// </summary>
public sealed class BicepTests
{
    private static string RepoRoot() => RepoFiles.Root;

    /// <summary>The CLI next to Bicep.csproj's output, in the configuration the tests were built in.</summary>
    private static string Cli()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var cli = Path.Combine(RepoRoot(), "infra", "bicep", "bin", configuration, "net10.0", "bicep");
        Assert.That(File.Exists(cli), Is.True, $"the Bicep CLI is built by infra/bicep/Bicep.csproj: {cli}");
        return cli;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo(Cli()) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(RepoRoot(), "infra") };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(300_000), Is.True, "bicep finished");
        TestContext.Out.WriteLine($"$ bicep {string.Join(' ', args)} (exit {p.ExitCode})");
        TestContext.Out.WriteLine(error.Result.Length == 0 ? "(no diagnostics)" : error.Result);
        return (p.ExitCode, output.Result, error.Result);
    }

    /// <summary>Diagnostics lines look like "path(line,col) : Warning BCP334: ..." (or Error, Info).</summary>
    private static string[] Diagnostics(string text, string level) =>
        [.. text.Split('\n').Where(l => l.Contains($" : {level} ", StringComparison.Ordinal))];

    /// <summary>A template's resources: an array, or (symbolic names) an object.</summary>
    private static List<JsonElement> Resources(JsonElement template)
    {
        var r = template.GetProperty("resources");
        return r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToList() : r.EnumerateObject().Select(p => p.Value).ToList();
    }

    [Test]
    public void Bicep_build_and_lint_give_no_errors_and_no_warnings()
    {
        var build = Run("build", "main.bicep", "--stdout");
        Assert.That(Diagnostics(build.Err, "Error"), Is.Empty, "bicep build errors");
        Assert.That(Diagnostics(build.Err, "Warning"), Is.Empty, "bicep build warnings");
        Assert.That(build.Code, Is.EqualTo(0));
        using var template = JsonDocument.Parse(build.Out);
        Assert.That(Resources(template.RootElement).Count, Is.EqualTo(7), "the resource group and the six modules");

        var lint = Run("lint", "main.bicep");
        Assert.That(Diagnostics(lint.Err + lint.Out, "Error"), Is.Empty, "bicep lint errors");
        Assert.That(Diagnostics(lint.Err + lint.Out, "Warning"), Is.Empty, "bicep lint warnings");
        Assert.That(lint.Code, Is.EqualTo(0));
    }

    [Test]
    public void The_app_insights_connection_string_flows_from_the_monitoring_module_to_the_container_app()
    {
        var build = Run("build", "main.bicep", "--stdout");
        Assert.That(build.Code, Is.EqualTo(0), build.Err);
        using var template = JsonDocument.Parse(build.Out);
        // main.bicep passes the monitoring module's output to the api module...
        var api = Resources(template.RootElement).Single(r => r.TryGetProperty("name", out var n) && n.GetString() == "api");
        var passed = api.GetProperty("properties").GetProperty("parameters").GetProperty("applicationInsightsConnectionString").GetProperty("value").GetString();
        Assert.That(passed, Does.Contain("'monitoring'").And.Contain("outputs.applicationInsightsConnectionString.value"));
        // ...which keeps it as a secret of the container app and sets the variable the Azure Monitor exporter reads.
        var module = api.GetProperty("properties").GetProperty("template");
        var app = Resources(module).Single(r => r.GetProperty("type").GetString() == "Microsoft.App/containerApps");
        var secret = app.GetProperty("properties").GetProperty("configuration").GetProperty("secrets").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString() == "appinsights-connection-string");
        Assert.That(secret.GetProperty("value").GetString(), Is.EqualTo("[parameters('applicationInsightsConnectionString')]"));
        var env = app.GetProperty("properties").GetProperty("template").GetProperty("containers")[0].GetProperty("env").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == ReferralDirectory.Api.Infrastructure.Telemetry.AzureMonitorConnectionStringVariable);
        Assert.That(env.GetProperty("secretRef").GetString(), Is.EqualTo("appinsights-connection-string"));
    }
}
