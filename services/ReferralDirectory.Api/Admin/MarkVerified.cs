using ReferralDirectory.Model;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Admin;

/// <summary>
/// "Mark verified", for the API (<c>POST /v1/admin/listings/{id}/verify</c>) and the freshness board: the method is one
/// of <see cref="VerificationMethods.All"/>, notes at most 1000 characters; the listing records when, by whom and how.
/// </summary>
public static class MarkVerified
{
    public const int MaxNotes = 1000;

    /// <summary>Field messages for the method and notes (empty when both are fine).</summary>
    public static Dictionary<string, string[]> Problems(string? method, string? notes)
    {
        var errors = new Dictionary<string, string[]>();
        if (Method(method) is null) errors["method"] = [$"Required: one of {string.Join(", ", VerificationMethods.All)}."];
        if (notes is { Length: > MaxNotes }) errors["notes"] = [$"At most {MaxNotes} characters."];
        return errors;
    }

    public static string? Method(string? method) => method?.Trim().ToLowerInvariant() is { } m && VerificationMethods.All.Contains(m) ? m : null;

    /// <summary>The listing as verified now by this actor.</summary>
    public static Listing Apply(Listing listing, Actor actor, DateTimeOffset now, string method, string? notes) => listing with
    {
        LastVerified = DateOnly.FromDateTime(now.UtcDateTime),
        LastVerification = new Verification(now, actor.ObjectId, actor.Name, Method(method)!, Trimmed(notes)),
    };

    public static string? Trimmed(string? notes) => string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
}
