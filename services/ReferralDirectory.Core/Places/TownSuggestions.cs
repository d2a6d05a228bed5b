namespace ReferralDirectory.Places;

/// <summary>
/// Towns whose name starts with what someone has typed so far ("colu" → "Columbia, MO", "Columbus, OH", …), for the
/// search box's suggestions before they press Search. The typed text is compared the way <see cref="FindCity"/>
/// compares names (case, spacing, punctuation and "St."/"Saint" ignored), so every suggestion is a town that search
/// then finds. Text after a comma narrows to the states whose code or name starts with it ("springfield, mi").
/// Towns in the preferred state come first (the partner's own state), then the larger towns (more ZIP codes).
/// </summary>
public sealed partial class Gazetteer
{
    /// <summary>At most this many suggestions in one answer.</summary>
    public const int MaxTownSuggestions = 10;

    private readonly Lazy<(string Key, CityPlace Place)[]> _townsByKey;

    private (string Key, CityPlace Place)[] TownsByKey() =>
        [.. _cityByStateAndKey.Select(kv => (Key: kv.Key[(kv.Key.IndexOf('|') + 1)..], Place: kv.Value)).OrderBy(t => t.Key, StringComparer.Ordinal)];

    /// <summary>
    /// Up to <paramref name="limit"/> towns starting with <paramref name="typed"/>, the <paramref name="preferredState"/>'s
    /// first; none when the typed name is empty after normalising.
    /// </summary>
    public IReadOnlyList<CityPlace> SuggestTowns(string typed, string? preferredState = null, int limit = MaxTownSuggestions)
    {
        limit = Math.Clamp(limit, 1, MaxTownSuggestions);
        var comma = typed.IndexOf(',');
        var key = PlaceNames.Key(comma < 0 ? typed : typed[..comma]);
        if (key.Length == 0) return [];
        var statePart = comma < 0 ? "" : PlaceNames.Key(typed[(comma + 1)..]);
        var states = statePart.Length == 0 ? null
            : _stateCodeByKey.Where(kv => kv.Key.StartsWith(statePart, StringComparison.Ordinal)).Select(kv => kv.Value).ToHashSet(StringComparer.Ordinal);

        var towns = _townsByKey.Value;
        var lo = 0;
        var hi = towns.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(towns[mid].Key, key) < 0) lo = mid + 1; else hi = mid;
        }
        var found = new List<CityPlace>();
        for (var i = lo; i < towns.Length && towns[i].Key.StartsWith(key, StringComparison.Ordinal); i++)
            if (states is null || states.Contains(towns[i].Place.State)) found.Add(towns[i].Place);
        return [.. found
            .OrderByDescending(p => p.State == preferredState)
            .ThenByDescending(p => p.ZipCount)
            .ThenBy(p => p.City, StringComparer.Ordinal)
            .ThenBy(p => p.State, StringComparer.Ordinal)
            .Take(limit)];
    }
}
