using System.Text;
using System.Text.RegularExpressions;

namespace ReferralDirectory.Model;

/// <summary>
/// The rules every way into the directory applies to the same fields (admin API, CSV import, query strings), so a
/// phone number the admin API refuses cannot arrive through an import instead.
/// </summary>
public static partial class FieldRules
{
    public const int MaxIdLength = 100;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")] private static partial Regex IdPattern();
    [GeneratedRegex(@"^[^@\s,;<>""]+@[^@\s,;<>""]+\.[A-Za-z]{2,}$")] private static partial Regex EmailPattern();
    [GeneratedRegex(@"^\+?[0-9*#]{2,16}((x|ext\.?)[0-9]{1,6})?$")] private static partial Regex PhonePattern();

    /// <summary>Listing, service and location ids: lower-case letters and digits in groups joined by single dashes.</summary>
    public static bool IsId(string s) => s.Length is >= 2 and <= MaxIdLength && IdPattern().IsMatch(s);

    public static bool IsEmail(string s) => s.Length <= 254 && EmailPattern().IsMatch(s);

    /// <summary>An absolute http or https address with a host and no user name or password in it.</summary>
    public static bool IsHttpUrl(string s) =>
        s.Length <= 2048 && Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(u.Host) && string.IsNullOrEmpty(u.UserInfo);

    /// <summary>An ISO 639 code, optionally with subtags: en, es, hmn, zh-Hant.</summary>
    public static bool IsLanguageCode(string s) =>
        s.Length is >= 2 and <= 12 && s.Split('-') is var parts && parts[0].Length is 2 or 3 && parts[0].All(char.IsAsciiLetterLower)
        && parts.Skip(1).All(p => p.Length is >= 2 and <= 8 && p.All(char.IsAsciiLetterOrDigit));

    /// <summary>
    /// A phone number a survivor can dial: a North American number (area code not starting with 0 or 1), an
    /// international number with +, an N11 number (911, 211, 988...), an SMS short code (233733), or a star code (*55);
    /// an extension may follow (x12, ext. 12). Spaces, dashes, dots and parentheses are ignored.
    /// </summary>
    public static bool IsPhoneNumber(string number)
    {
        var compact = new StringBuilder();
        foreach (var ch in number.ToLowerInvariant())
        {
            if (ch is ' ' or '-' or '(' or ')' or '.') continue;
            compact.Append(ch);
        }
        var c = compact.ToString();
        if (!PhonePattern().IsMatch(c)) return false;
        var digits = c.TakeWhile(ch => ch != 'x' && ch != 'e').Count(char.IsAsciiDigit);
        if (c.StartsWith('*')) return digits is >= 2 and <= 4;
        if (c.StartsWith('+')) return digits is >= 8 and <= 15;
        if (digits == 11 && c.StartsWith('1')) c = c[1..];
        return digits switch
        {
            3 => c[..3] is "911" or "211" or "311" or "411" or "511" or "611" or "711" or "811" or "988",
            >= 5 and <= 6 => true, // SMS short codes such as 233733
            10 or 11 => c[0] is >= '2' and <= '9', // NANP: area codes do not start with 0 or 1
            _ => false,
        };
    }

    /// <summary>A US ZIP code as a listing stores it: 5 digits, or ZIP+4 (63101-1234).</summary>
    public static bool IsZip(string s) =>
        (s.Length == 5 && s.All(char.IsAsciiDigit)) || (s.Length == 10 && s[5] == '-' && s[..5].All(char.IsAsciiDigit) && s[6..].All(char.IsAsciiDigit));

    /// <summary>A ZIP code a searcher typed: as <see cref="IsZip"/>, or ZIP+4 without its dash (631011234).</summary>
    public static bool IsSearchedZip(string s) => IsZip(s) || (s.Length == 9 && s.All(char.IsAsciiDigit));

    public const string ZipHint = "Must be a 5-digit ZIP code such as 63101, or ZIP+4 such as 63101-1234.";

    /// <summary>A two-letter US state (or DC, territory) code, upper case: "MO".</summary>
    public static bool IsStateCode(string s) => s.Length == 2 && Geo.UsStates.ByCode(s) is not null;

    public const string StateHint = "Must be a two-letter US state code such as MO.";

    public const string CountyHint = "Must be a known 5-digit county FIPS code such as 29019 (Boone County, MO).";

    /// <summary>Why <paramref name="fips"/> is not a county (in <paramref name="state"/> when given), or null when it is.</summary>
    public static string? CountyProblem(Places.Gazetteer gazetteer, string fips, string? state = null) =>
        fips.Length != 5 || !fips.All(char.IsAsciiDigit) || gazetteer.County(fips) is not { } county ? CountyHint
        : state is not null && county.StateCode != state ? $"County {fips} ({county.DisplayName}) is not in {state}."
        : null;

    /// <summary>What a listing or service id must look like (ids of this directory; HSDS ids are UUIDs).</summary>
    public static readonly string IdHint = $"Use 2 to {MaxIdLength} lower-case letters and digits, in groups joined by single dashes.";

    public const string EmailHint = "Must be an e-mail address such as help@example.org.";

    public const string UrlHint = "Must be an absolute http or https address such as https://example.org.";

    public const string PhoneHint = "Must be a phone number such as (573) 555-0100, 1-888-373-7888, +1 202 555 0100 x12, or a short code such as 233733 or *55.";
}
