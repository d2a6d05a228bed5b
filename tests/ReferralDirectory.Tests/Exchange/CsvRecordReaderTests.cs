using ReferralDirectory.Exchange.Csv;

namespace ReferralDirectory.Tests.Exchange;

public sealed class CsvRecordReaderTests
{
    private static List<(long Line, string[] Fields, string? Error)> ReadAll(string text)
    {
        var r = new CsvRecordReader(new StringReader(text));
        var all = new List<(long, string[], string?)>();
        while (r.Read() is { } rec) all.Add((rec.Line, rec.Fields, r.Error));
        return all;
    }

    [Test]
    public void Quoted_fields_hold_commas_quotes_and_line_breaks()
    {
        var rows = ReadAll("\uFEFFa,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nplain,,end\n");
        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows[0].Fields, Is.EqualTo(new[] { "a", "b", "c" }), "the BOM is skipped");
        Assert.That(rows[1].Fields, Is.EqualTo(new[] { "x, y", "say \"hi\"", "two\r\nlines" }));
        Assert.That(rows[1].Line, Is.EqualTo(2));
        Assert.That(rows[2].Fields, Is.EqualTo(new[] { "plain", "", "end" }));
        Assert.That(rows[2].Line, Is.EqualTo(4), "the quoted line break counts");
        Assert.That(rows.All(r => r.Error is null));
    }

    [Test]
    public void Blank_lines_are_skipped_and_a_missing_final_line_end_is_fine()
    {
        var rows = ReadAll("a,b\n\n\r\nc,d");
        Assert.That(rows.Select(r => (r.Line, string.Join('|', r.Fields))), Is.EqualTo(new[] { (1L, "a|b"), (4L, "c|d") }));
    }

    [Test]
    public void An_unclosed_quote_is_reported()
    {
        var rows = ReadAll("a,b\n\"open,x\ny,z\n");
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[1].Error, Is.EqualTo("A quoted field opened on line 2 is never closed."));
    }

    [Test]
    public void Text_after_a_closing_quote_and_a_stray_quote_are_reported()
    {
        var rows = ReadAll("\"a\"b,c\nd\"e,f\ng,h\n");
        Assert.That(rows[0].Error, Does.StartWith("A quoted field must end at a comma"));
        Assert.That(rows[1].Error, Does.StartWith("A quote inside a field that does not start with a quote"));
        Assert.That(rows[2].Error, Is.Null, "the next record starts cleanly");
        Assert.That(rows[2].Fields, Is.EqualTo(new[] { "g", "h" }));
    }

    [TestCase("plain", "plain")]
    [TestCase("a,b", "\"a,b\"")]
    [TestCase("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [TestCase("two\nlines", "\"two\nlines\"")]
    [TestCase(" padded", "\" padded\"")]
    public void Quote_round_trips(string value, string quoted)
    {
        Assert.That(CsvListingWriter.Cell(value), Is.EqualTo(quoted));
        Assert.That(ReadAll(quoted + "\n")[0].Fields, Is.EqualTo(new[] { value }));
    }

    [TestCase("=HYPERLINK(\"http://x.example\",\"click\")", "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\"")]
    [TestCase("+1 573-555-0100", "\"'+1 573-555-0100\"")]
    [TestCase("-2+3+cmd|' /C calc'!A0", "\"'-2+3+cmd|' /C calc'!A0\"")]
    [TestCase("@SUM(A1:A9)", "\"'@SUM(A1:A9)\"")]
    [TestCase("\tx", "\"'\tx\"")]
    [TestCase("\rx", "\"'\rx\"")]
    [TestCase("'Tis", "\"''Tis\"")]
    [TestCase("'=x", "\"''=x\"")]
    [TestCase("-92.3341", "-92.3341")]
    [TestCase("573-555-0100", "573-555-0100")]
    public void Cells_starting_with_a_formula_character_are_escaped_and_read_back(string value, string written)
    {
        Assert.That(CsvListingWriter.Cell(value), Is.EqualTo(written));
        Assert.That(ReadAll(written + "\r\n")[0].Fields, Is.EqualTo(new[] { value }));
    }

    [Test]
    public void A_leading_apostrophe_before_anything_else_is_kept()
    {
        var rows = ReadAll("'Tis,'5,''x,'-1\n");
        Assert.That(rows[0].Fields, Is.EqualTo(new[] { "'Tis", "'5", "'x", "-1" }));
    }
}
