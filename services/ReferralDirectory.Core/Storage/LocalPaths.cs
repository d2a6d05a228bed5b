namespace ReferralDirectory.Storage;

/// <summary>
/// The one rule for relative file paths, used by the service and by both commands (the API's <c>copy-store</c>
/// and <c>dev-token</c>, and <c>rd-import</c>):
/// <list type="bullet">
/// <item>A path typed on a command line (<c>copy-store --from/--to sqlite:PATH</c>, <c>rd-import FILE --db PATH</c>,
/// <c>rd-import generate --out FILE</c>) is resolved from the working directory: the folder the command was started
/// in. <c>dotnet run</c> keeps the caller's folder for both projects (the API project turns off the Web SDK's habit of
/// running in the project folder), so <c>--db services/ReferralDirectory.Api/data/referral-directory.db</c> names
/// the same file for both commands when typed at the repository root.</item>
/// <item>A path in the service's configuration (<c>Storage:SqlitePath</c>, <c>AzureAd:SigningKeysFile</c>) is resolved
/// from the service's content root, as ASP.NET Core resolves its other files: <c>services/ReferralDirectory.Api</c>
/// when run from source, the app's folder (<c>/app</c>) in the container.</item>
/// </list>
/// </summary>
public static class LocalPaths
{
    public const string SqlitePrefix = "sqlite:";

    /// <summary>A path typed on a command line, made absolute from the working directory.</summary>
    public static string FromCommandLine(string path) => Path.GetFullPath(path, Environment.CurrentDirectory);

    /// <summary>A path from configuration, made absolute from the service's content root.</summary>
    public static string FromConfiguration(string path, string contentRoot) => Path.GetFullPath(path, contentRoot);

    /// <summary>The absolute file path of a command-line store argument <c>sqlite:PATH</c>; null when
    /// <paramref name="store"/> is not one.</summary>
    public static string? SqliteStoreFromCommandLine(string store) =>
        store.StartsWith(SqlitePrefix, StringComparison.Ordinal) && store.Length > SqlitePrefix.Length
            ? FromCommandLine(store[SqlitePrefix.Length..])
            : null;
}
