using System.Diagnostics;
using Microsoft.Data.Sqlite;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Storage;

/// <summary>
/// One rule for relative paths (<see cref="LocalPaths"/>): typed on a command line they start from the working directory,
/// for rd-import and for the API's copy-store alike, also when run through <c>dotnet run</c> as the README does; in the
/// service's configuration they start from its content root (the project folder when run from source).
/// </summary>
public sealed class CommandLinePathTests
{
    private string _dir = null!;

    private static string RepoRoot() => RepoFiles.Root;

    /// <summary>The configuration the tests were built in (bin/&lt;configuration&gt;/net10.0).</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    [SetUp]
    public void Dir()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rd-path-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void Delete()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(180_000), Is.True, "the command finished");
        return (p.ExitCode, output.Result, error.Result);
    }

    [Test]
    public async Task Rd_import_and_copy_store_resolve_relative_store_paths_from_the_working_directory()
    {
        File.Copy(Path.Combine(RepoRoot(), "docs", "import-template.csv"), Path.Combine(_dir, "listings.csv"));
        var tool = Path.Combine(RepoRoot(), "tools", "ReferralDirectory.Import", "bin", Configuration, "net10.0", "rd-import.dll");
        var import = Run(tool, "listings.csv", "--db", "rel/store.db");
        Assert.That(import.Code, Is.EqualTo(0), import.Out + import.Err);
        // The template's second row has a quoted line break: 2 records on more lines than that; both bars still end at 100 %.
        Assert.That(import.Out, Does.Contain("Validating: 100 % (2 rows)").And.Contain("Writing: 100 % (2 rows)"));
        var source = Path.Combine(_dir, "rel", "store.db");
        Assert.That(File.Exists(source), Is.True, "rd-import --db rel/store.db wrote under the working directory");

        // copy-store as the README runs it (dotnet run --project ...), from the same folder, with the same relative path.
        var api = Path.Combine(RepoRoot(), "services", "ReferralDirectory.Api");
        var copy = Run("run", "--no-build", "-c", Configuration, "--no-launch-profile", "--project", api, "--",
            "copy-store", "--from", "sqlite:rel/store.db", "--to", "sqlite:rel/copy.db");
        Assert.That(copy.Code, Is.EqualTo(0), copy.Out + copy.Err);
        var target = Path.Combine(_dir, "rel", "copy.db");
        // The two import audit entries rd-import wrote travel with the listings.
        Assert.That(copy.Out.Trim(), Is.EqualTo($"copied 2 listings (0 retired), 0 API keys, 2 audit entries, 1 secrets, 0 work items from sqlite:{source} to sqlite:{target}"));
        Assert.That(await new SqliteDirectoryStore(target, TimeProvider.System).CountAsync(), Is.EqualTo(2));
        Assert.That(Directory.Exists(Path.Combine(api, "rel")), Is.False, "nothing was written under the API's folder");
    }

    [Test]
    public void Configured_paths_start_from_the_content_root_which_is_the_project_folder_when_run_from_source()
    {
        var api = Path.Combine(RepoRoot(), "services", "ReferralDirectory.Api");
        Assert.That(ContentRoot.Effective([]), Is.EqualTo(api));
        Assert.That(ContentRoot.Default([]), Is.EqualTo(api));
        Assert.That(ContentRoot.Default(["--contentRoot", "/srv/directory"]), Is.Null, "an explicit content root is the host's");
        Assert.That(ContentRoot.Effective(["--contentRoot=/srv/directory"]), Is.EqualTo("/srv/directory"));
        Assert.That(LocalPaths.FromConfiguration("data/referral-directory.db", api), Is.EqualTo(Path.Combine(api, "data", "referral-directory.db")));
        Assert.That(LocalPaths.FromCommandLine("rel/x.db"), Is.EqualTo(Path.Combine(Environment.CurrentDirectory, "rel", "x.db")));
        Assert.That(LocalPaths.SqliteStoreFromCommandLine("sqlite:/abs/x.db"), Is.EqualTo("/abs/x.db"));
        Assert.That(LocalPaths.SqliteStoreFromCommandLine("cosmos"), Is.Null);
    }
}
