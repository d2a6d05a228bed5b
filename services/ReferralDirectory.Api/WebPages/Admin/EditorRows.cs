using System.Globalization;
using System.Text.RegularExpressions;

namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>The rows the listing editor shows for a list (phones, services, periods…): every row the form has, then
/// <c>blank</c> empty rows to add more (a row left blank is dropped on save, see <see cref="ReferralDirectory.Api.Admin.ListingForm"/>).</summary>
public static partial class EditorRows
{
    public static IReadOnlyList<int> Of(IReadOnlyDictionary<string, string> values, string list, int blank)
    {
        var prefix = list + "[";
        var present = values.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => Index().Match(k, prefix.Length)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        var next = present.Count == 0 ? 0 : present[^1] + 1;
        return [.. present, .. Enumerable.Range(next, blank)];
    }

    [GeneratedRegex(@"\G(\d{1,3})\]")]
    private static partial Regex Index();

    /// <summary>The time zones the editor offers (IANA names of the US states and territories).</summary>
    public static readonly IReadOnlyList<string> TimeZones =
    [
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
        "Pacific/Honolulu", "America/Puerto_Rico", "America/St_Thomas", "Pacific/Guam", "Pacific/Pago_Pago", "Pacific/Saipan",
        "America/Detroit", "America/Indiana/Indianapolis", "America/Kentucky/Louisville", "America/Boise", "America/Adak",
    ];
}
