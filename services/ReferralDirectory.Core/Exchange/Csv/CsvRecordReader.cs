using System.Text;

namespace ReferralDirectory.Exchange.Csv;

/// <summary>A problem found in an import file: the 1-based line it starts on, the column (header name) if any, and a
/// plain-language message.</summary>
public sealed record ImportProblem(long Line, string? Column, string Message)
{
    public override string ToString() => Column is null ? $"line {Line}: {Message}" : $"line {Line}, column {Column}: {Message}";
}

/// <summary>One CSV record: its fields and the line it starts on.</summary>
public sealed record CsvRecord(long Line, string[] Fields);

/// <summary>
/// A streaming RFC 4180 reader: comma-separated, fields optionally in double quotes, a doubled quote inside a
/// quoted field is one quote, quoted fields may hold commas and line breaks; CRLF or LF line ends; a UTF-8 BOM is
/// skipped. Broken quoting is reported (not guessed at): the record is returned with <see cref="Error"/> set.
/// </summary>
public sealed class CsvRecordReader(TextReader reader, int maxFieldLength = 32_768)
{
    private long _line = 1;
    private bool _first = true;

    /// <summary>Set when the last record read was malformed (its fields are then not reliable).</summary>
    public string? Error { get; private set; }

    /// <summary>Reads the next record; null at the end of the file. Empty lines are skipped.</summary>
    public CsvRecord? Read()
    {
        Error = null;
        if (_first)
        {
            _first = false;
            if (reader.Peek() == '\uFEFF') reader.Read();
        }
        while (true)
        {
            var c = reader.Peek();
            if (c < 0) return null;
            if (c == '\r') { reader.Read(); if (reader.Peek() == '\n') reader.Read(); _line++; continue; }
            if (c == '\n') { reader.Read(); _line++; continue; }
            break;
        }
        var start = _line;
        var fields = new List<string>();
        var sb = new StringBuilder();
        while (true)
        {
            // One field.
            sb.Clear();
            var c = reader.Peek();
            if (c == '"')
            {
                reader.Read();
                while (true)
                {
                    var d = reader.Read();
                    if (d < 0) { Error = $"A quoted field opened on line {start} is never closed."; fields.Add(sb.ToString()); return new CsvRecord(start, [.. fields]); }
                    if (d == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); sb.Append('"'); continue; }
                        break;
                    }
                    if (d == '\n') _line++;
                    else if (d == '\r' && reader.Peek() != '\n') _line++;
                    if (sb.Length < maxFieldLength) sb.Append((char)d);
                    else Error ??= $"A field is longer than {maxFieldLength} characters.";
                }
                var after = reader.Peek();
                if (after is not (',' or '\r' or '\n' or -1))
                {
                    Error ??= "A quoted field must end at a comma or the end of the line (text after the closing quote; write a quote inside a quoted field as \"\").";
                    // Skip to the end of the field so the next record starts cleanly.
                    while (reader.Peek() is not (',' or '\r' or '\n' or -1)) reader.Read();
                }
            }
            else
            {
                while (reader.Peek() is var p && p is not (',' or '\r' or '\n' or -1))
                {
                    reader.Read();
                    if (p == '"') Error ??= "A quote inside a field that does not start with a quote: put the whole field in quotes and double the quote (\"\").";
                    if (sb.Length < maxFieldLength) sb.Append((char)p);
                    else Error ??= $"A field is longer than {maxFieldLength} characters.";
                }
            }
            fields.Add(sb.ToString());
            var end = reader.Read();
            if (end == ',') continue;
            if (end == '\r') { if (reader.Peek() == '\n') reader.Read(); _line++; }
            else if (end == '\n') _line++;
            return new CsvRecord(start, [.. fields]);
        }
    }

    /// <summary>Quotes a field when it needs it (comma, quote, line break, or leading/trailing space).</summary>
    public static string Quote(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        return s.AsSpan().IndexOfAny(",\"\r\n") >= 0 || s[0] == ' ' || s[^1] == ' ' ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}
