using System.Runtime.CompilerServices;
using CsvHelper;
using CsvHelper.Configuration;

namespace ReferralDirectory.Exchange.Csv;

/// <summary>
/// CSV injection (OWASP): a spreadsheet runs a cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a
/// carriage return as a formula. The rule, both ways:
/// <list type="bullet">
/// <item><b>Writing</b> (<see cref="CsvListingWriter"/>): a cell that starts with one of those characters, or with an
/// apostrophe, gets an apostrophe in front (<c>=HYPERLINK(...)</c> is written <c>'=HYPERLINK(...)</c>, <c>'Tis</c> is
/// written <c>''Tis</c>); a spreadsheet shows the cell as text. A plain number (<c>-92.3341</c>) is left alone: it is not a
/// formula, and coordinates stay numbers.</item>
/// <item><b>Reading</b> (<see cref="CsvRecordReader"/>, every import): a cell that starts with an apostrophe followed by
/// one of those characters or by another apostrophe loses that first apostrophe. So every file the writer makes reads
/// back to exactly the values written, and a file saved from a spreadsheet that kept the apostrophes reads as intended;
/// a lone leading apostrophe before anything else (<c>'Tis</c> typed by hand) is kept as it is.</item>
/// </list>
/// </summary>
public static class CsvFormulaEscaping
{
    public const char Escape = '\'';

    /// <summary>The characters a cell must not start with unescaped: the formula starters, and the escape itself.</summary>
    public static readonly char[] EscapedStarts = ['=', '+', '-', '@', '\t', '\r', Escape];

    /// <summary>The reading half of the rule.</summary>
    public static string Unescape(string cell) =>
        cell.Length >= 2 && cell[0] == Escape && Array.IndexOf(EscapedStarts, cell[1]) >= 0 ? cell[1..] : cell;

    /// <summary>An optional minus sign, digits, and optionally a decimal point and more digits.</summary>
    public static bool IsPlainNumber(ReadOnlySpan<char> s)
    {
        if (s.Length > 0 && s[0] == '-') s = s[1..];
        var point = s.IndexOf('.');
        var whole = point < 0 ? s : s[..point];
        var fraction = point < 0 ? [] : s[(point + 1)..];
        return whole.Length > 0 && !whole.ContainsAnyExceptInRange('0', '9') && (point < 0 || (fraction.Length > 0 && !fraction.ContainsAnyExceptInRange('0', '9')));
    }

    /// <summary>The writer settings: RFC 4180 (CRLF line ends, quotes only where needed) with the escape switched on.</summary>
    public static CsvConfiguration WriterConfiguration() => new(System.Globalization.CultureInfo.InvariantCulture)
    {
        NewLine = "\r\n",
        // Quote a field holding a comma, a quote or any line break (CsvHelper's default looks only for the configured
        // CRLF), or starting or ending with a space.
        ShouldQuote = args => args.Field is { Length: > 0 } f && (f.AsSpan().IndexOfAny(",\"\r\n") >= 0 || f[0] == ' ' || f[^1] == ' '),
        InjectionOptions = InjectionOptions.Escape,
        InjectionCharacters = EscapedStarts,
        InjectionEscapeCharacter = Escape,
    };

    /// <summary>CsvHelper's writer with the writing half of the rule (its own escape, except for plain numbers).</summary>
    public sealed class Writer(TextWriter writer, bool leaveOpen = true) : CsvWriter(writer, WriterConfiguration(), leaveOpen)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        protected override string? SanitizeForInjection(string? field) =>
            field is { Length: > 0 } && field[0] == '-' && IsPlainNumber(field) ? field : base.SanitizeForInjection(field);
    }
}
