using System.Runtime.CompilerServices;
using System.Text;

namespace ReferralDirectory.Places;

/// <summary>Normalization and fuzzy matching of place names.</summary>
internal static class PlaceNames
{
    // Abbreviation equivalences, applied per word: "St." == "St" == "Saint".
    private static readonly Dictionary<string, string> WordAliases = new(StringComparer.Ordinal)
    {
        ["saint"] = "st", ["st"] = "st",
        ["sainte"] = "ste", ["ste"] = "ste",
        ["fort"] = "ft", ["ft"] = "ft",
        ["mount"] = "mt", ["mt"] = "mt",
    };

    /// <summary>
    /// Key used for matching: lower case ASCII letters and digits only, words joined without spaces,
    /// abbreviations unified ("St. Louis" / "Saint Louis" / "st louis" → "stlouis").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Key(string text)
    {
        var sb = new StringBuilder(text.Length);
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length == 0) return;
            var w = word.ToString();
            sb.Append(WordAliases.TryGetValue(w, out var alias) ? alias : w);
            word.Clear();
        }
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch)) word.Append(char.ToLowerInvariant(ch));
            else if (ch is '\'' or '’' or '`') continue; // "O'Fallon" == "OFallon"
            else Flush();                                 // '.', '-', spaces, ... end a word
        }
        Flush();
        return sb.ToString();
    }

    /// <summary>Splits into words on anything that is not a letter, digit or apostrophe.</summary>

    /// <summary>Levenshtein distance, or <c>max + 1</c> as soon as it must exceed <paramref name="max"/>.</summary>
    public static int EditDistance(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max) return max + 1;
        if (a.Length == 0) return b.Length;
        if (b.Length == 0) return a.Length;
        Span<int> prev = b.Length < 256 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        Span<int> cur = b.Length < 256 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            var rowMin = cur[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (cur[j] < rowMin) rowMin = cur[j];
            }
            if (rowMin > max) return max + 1;
            cur.CopyTo(prev);
        }
        return prev[b.Length] > max ? max + 1 : prev[b.Length];
    }
}
