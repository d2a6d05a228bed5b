using Microsoft.AspNetCore.Mvc;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>Problem details (RFC 9457) the endpoints answer with.</summary>
public static class Problems
{
    public static IResult Of(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    /// <summary>The field a System.Text.Json error path names: <c>$.phones[0].number</c> becomes <c>phones[0].number</c>.</summary>
    public static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) ? "$" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;
}
