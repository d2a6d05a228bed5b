using System.Reflection;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// The service's content root: where it reads appsettings*.json and where relative paths in its configuration start
/// (<see cref="Storage.LocalPaths"/>). Given explicitly (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>) it is
/// that. Otherwise, built from source, it is the project folder, wherever the command runs from: the project file
/// turns off <c>dotnet run</c>'s habit of starting web projects in their project folder (so that paths typed on a
/// command line start from the caller's folder) and records the folder here instead. Published (the container) it is
/// ASP.NET Core's default, the working directory (<c>/app</c>).
/// </summary>
public static class ContentRoot
{
    /// <summary>The assembly metadata key the project file sets in builds from source (never in <c>dotnet publish</c>).</summary>
    public const string SourceFolderKey = "ReferralDirectory.SourceContentRoot";

    /// <summary>For <c>WebApplicationOptions.ContentRootPath</c>: the project folder of a build from source when
    /// nothing names a content root; else null (the host's own rules).</summary>
    public static string? Default(string[] args) => Explicit(args) is null ? SourceFolder() : null;

    /// <summary>The content root the service would have with these arguments: for the commands (<c>dev-token</c>,
    /// <c>copy-store</c>) that read the service's configuration and must resolve its paths the same way.</summary>
    public static string Effective(string[] args) =>
        Explicit(args) is { } given ? Path.GetFullPath(given, AppContext.BaseDirectory) : SourceFolder() ?? Environment.CurrentDirectory;

    private static string? Explicit(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i].TrimStart('-', '/');
            if (a.StartsWith("contentRoot=", StringComparison.OrdinalIgnoreCase)) return a["contentRoot=".Length..];
            if (a.Equals("contentRoot", StringComparison.OrdinalIgnoreCase) && args[i].StartsWith('-') && i + 1 < args.Length) return args[i + 1];
        }
        return Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") ?? Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT");
    }

    private static string? SourceFolder()
    {
        var folder = typeof(ContentRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == SourceFolderKey)?.Value;
        return folder is not null && File.Exists(Path.Combine(folder, "appsettings.json")) ? folder : null;
    }
}
