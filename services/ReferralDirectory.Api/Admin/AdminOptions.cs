using System.ComponentModel.DataAnnotations;

namespace ReferralDirectory.Api.Admin;

/// <summary>Section <c>Verification</c>.</summary>
public sealed class VerificationOptions
{
    public const string Section = "Verification";

    /// <summary>A listing not verified for this many months is stale and goes to the review queue.</summary>
    [Range(1, 120)]
    public int StaleAfterMonths { get; set; } = 12;
}
