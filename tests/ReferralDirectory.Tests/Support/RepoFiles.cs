namespace ReferralDirectory.Tests.Support;

/// <summary>Files of the repository the tests read (the README, the committed OpenAPI document, infra/, samples): found
/// from the test assembly's folder upwards, at the folder that holds ReferralDirectory.sln.</summary>
public static class RepoFiles
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ReferralDirectory.sln"))) return dir.FullName;
        throw new FileNotFoundException("The repository root (the folder with ReferralDirectory.sln) is not above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository's root folder.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>A path inside the repository: <c>RepoFiles.Path("openapi", "referral-directory.v1.json")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
