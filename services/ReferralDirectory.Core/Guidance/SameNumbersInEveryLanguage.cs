using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReferralDirectory.Guidance;

/// <summary>
/// A translation never changes a fact: every number in a text (phone numbers such as 1-888-373-7888 and *55,
/// statute references such as § 566.215.1, figures such as 6,166, years and dates) appears in every language,
/// written the same way, as often. The order may differ ("December 31, 2021" is "31 de diciembre de 2021").
/// </summary>
public static partial class SameNumbersInEveryLanguage
{
    /// <summary>Digit runs, with the separators inside them: 1-888-373-7888, 6,166, 566.215.1, 9-1-1.</summary>
    [GeneratedRegex(@"\d+(?:[.,\-]\d+)*")]
    private static partial Regex Number();

    public static IReadOnlyList<string> NumbersIn(string text) =>
        [.. Number().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    /// <summary>Problems with every localized text (an object holding exactly <c>en</c> and <c>es</c>) under <paramref name="root"/>.</summary>
    public static IEnumerable<string> Check(JsonNode? root)
    {
        foreach (var (path, en, es) in LocalizedTexts(root, "$"))
        {
            var a = NumbersIn(en);
            var b = NumbersIn(es);
            if (!a.SequenceEqual(b))
                yield return $"{path}: the English text has the numbers [{string.Join(", ", a)}], the Spanish text [{string.Join(", ", b)}].";
        }
    }

    internal static IEnumerable<(string Path, string En, string Es)> LocalizedTexts(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject o when o.Count == 2 && o["en"] is JsonValue en && o["es"] is JsonValue es:
                yield return (path, en.GetValue<string>(), es.GetValue<string>());
                break;
            case JsonObject o:
                foreach (var (k, v) in o)
                    foreach (var t in LocalizedTexts(v, path + "." + k)) yield return t;
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    foreach (var t in LocalizedTexts(a[i], $"{path}[{i}]")) yield return t;
                break;
        }
    }
}
