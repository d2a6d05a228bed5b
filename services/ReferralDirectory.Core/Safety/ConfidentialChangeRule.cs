using ReferralDirectory.Model;

namespace ReferralDirectory.Safety;

/// <summary>
/// Confidential locations need care to change: setting one (a new confidential location, or a public one made
/// confidential), moving one (its point or any part of its address), or making one public waits for a second editor's
/// approval. Removing a confidential location, and every change that leaves confidential locations as they were, does not.
/// A location is followed by its id; a confidential location under a new id is a new one.
/// </summary>
public static class ConfidentialChangeRule
{
    /// <summary>The reasons this change needs a second editor (empty: it does not), one per location.</summary>
    public static IReadOnlyList<string> Reasons(Listing? current, Listing proposed)
    {
        var before = (current?.Locations ?? []).GroupBy(l => l.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var reasons = new List<string>();
        foreach (var after in proposed.Locations)
        {
            before.TryGetValue(after.Id, out var was);
            if (after.Confidential)
            {
                if (was is null) reasons.Add($"Adds the confidential location {after.Id}.");
                else if (!was.Confidential) reasons.Add($"Makes the location {after.Id} confidential.");
                else if (was.Latitude != after.Latitude || was.Longitude != after.Longitude || was.Address != after.Address)
                    reasons.Add($"Moves the confidential location {after.Id}.");
            }
            else if (was is { Confidential: true })
            {
                reasons.Add($"Makes the confidential location {after.Id} public.");
            }
        }
        return reasons;
    }

    public static bool NeedsApproval(Listing? current, Listing proposed) => Reasons(current, proposed).Count > 0;
}
