using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

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
/// Reads RFC 4180 records with CsvHelper's parser: comma-separated, a field is quoted when it starts with a double quote
/// (then a doubled quote inside is one quote, and commas and line breaks are kept), CRLF, LF or CR line ends, blank
/// lines skipped, a UTF-8 BOM skipped. What this class adds: the line each record starts on (quoted line breaks count),
/// the spreadsheet escape undone (<see cref="CsvFormulaEscaping"/>), and broken quoting reported in plain words instead
/// of guessed at: the record is returned with <see cref="Error"/> set, and the next record starts cleanly.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private readonly CsvParser _parser;
    private readonly int _maxFieldLength;
    private string? _badField;
    private bool _stopped;

    public CsvRecordReader(TextReader reader, int maxFieldLength = 32_768)
    {
        if (reader.Peek() == '\uFEFF') reader.Read();
        _maxFieldLength = maxFieldLength;
        _parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = ",",
            DetectDelimiter = false,
            Mode = CsvMode.RFC4180,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.None,
            MaxFieldSize = maxFieldLength,
            BadDataFound = args => _badField ??= args.Field,
            // Parser exceptions must not echo the file's contents.
            ExceptionMessagesContainRawData = false,
        }, leaveOpen: true);
    }

    /// <summary>Set when the last record read was malformed (its fields are then not reliable).</summary>
    public string? Error { get; private set; }

    /// <summary>Reads the next record; null at the end of the file.</summary>
    public CsvRecord? Read()
    {
        Error = null;
        _badField = null;
        if (_stopped) return null;
        string[] fields;
        try
        {
            if (!_parser.Read()) return null;
            fields = _parser.Record ?? [];
        }
        catch (MaxFieldSizeException)
        {
            // The parser cannot go on after this; the file has a problem either way.
            _stopped = true;
            Error = $"A field is longer than {_maxFieldLength} characters.";
            return new CsvRecord(_parser.RawRow, []);
        }
        var raw = _parser.RawRecord;
        var unclosed = false;
        if (_badField is { } bad)
        {
            (Error, unclosed) = Describe(bad);
        }
        // RawRow is the line the record ends on; step back over the line breaks inside it (a trailing one ends the
        // record, unless a quote left open swallowed it).
        var breaks = LineBreaks(raw);
        if (!unclosed && raw.Length > 0 && raw[^1] is '\n' or '\r') breaks--;
        var line = _parser.RawRow - breaks;
        if (Error is null)
            for (var i = 0; i < fields.Length; i++) fields[i] = CsvFormulaEscaping.Unescape(fields[i]);
        if (unclosed) Error = $"A quoted field opened on line {line} is never closed.";
        return new CsvRecord(line, fields);
    }

    /// <summary>What is wrong with a field CsvHelper found bad: a quote left open, text after a closing quote, or a quote
    /// in a field that does not start with one.</summary>
    private static (string Message, bool Unclosed) Describe(string field)
    {
        if (field.Length > 0 && field[0] == '"')
        {
            for (var i = 1; i < field.Length; i++)
            {
                if (field[i] != '"') continue;
                if (i + 1 < field.Length && field[i + 1] == '"') { i++; continue; }
                return ("A quoted field must end at a comma or the end of the line (text after the closing quote; write a quote inside a quoted field as \"\").", false);
            }
            return ("", true);
        }
        return ("A quote inside a field that does not start with a quote: put the whole field in quotes and double the quote (\"\").", false);
    }

    /// <summary>Line breaks as the parser counts them: CRLF, LF and CR each end one line.</summary>
    private static int LineBreaks(string s)
    {
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\n') n++;
            else if (s[i] == '\r' && (i + 1 >= s.Length || s[i + 1] != '\n')) n++;
        }
        return n;
    }

    public void Dispose() => _parser.Dispose();
}
