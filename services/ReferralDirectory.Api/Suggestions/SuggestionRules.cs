namespace ReferralDirectory.Api.Suggestions;

/// <summary>
/// The field rules of a suggestion from the public (<c>POST /v1/suggestions</c>), in one place for the API and its
/// document. The messages name what is wrong, never what was sent: a suggestion's text is never echoed back.
/// </summary>
public static class SuggestionRules
{
    /// <summary>What a suggestion can be about.</summary>
    public static readonly IReadOnlyList<string> Fields = ["phone", "website", "address", "hours", "services", "closed", "other"];

    public const int MessageMin = 5;
    public const int MessageMax = 1000;
    public const int ContactMax = 200;
    public const int ListingIdMax = 200;

    public static readonly string FieldMessage = $"Required: one of {string.Join(", ", Fields)}.";
    public static readonly string MessageMessage = $"Required: from {MessageMin} to {MessageMax} characters, without control characters.";
    public static readonly string ContactMessage = $"Optional: at most {ContactMax} characters on one line.";
    public const string ListingIdMessage = "Required: the id of a listing in the directory.";
    public const string UnknownListingMessage = "No listing in the directory has this id.";

    /// <summary>The problems of a suggestion's fields, by field (empty: it is well formed). Whether the listing exists is
    /// checked afterwards by the caller (<see cref="UnknownListingMessage"/>).</summary>
    public static Dictionary<string, string[]> Problems(SuggestionRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var listingId = request.ListingId?.Trim();
        if (string.IsNullOrEmpty(listingId) || listingId.Length > ListingIdMax || listingId.Any(char.IsControl)) errors["listingId"] = [ListingIdMessage];
        if (request.Field is null || !Fields.Contains(request.Field, StringComparer.Ordinal)) errors["field"] = [FieldMessage];
        var message = Trimmed(request.Message);
        if (message is null || message.Length < MessageMin || message.Length > MessageMax || message.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
            errors["message"] = [MessageMessage];
        var contact = Trimmed(request.Contact);
        if (contact is not null && (contact.Length > ContactMax || contact.Any(char.IsControl))) errors["contact"] = [ContactMessage];
        return errors;
    }

    /// <summary>Text as kept: trimmed, line ends as <c>\n</c>; null when empty.</summary>
    public static string? Trimmed(string? text) =>
        text?.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim() is { Length: > 0 } t ? t : null;
}
