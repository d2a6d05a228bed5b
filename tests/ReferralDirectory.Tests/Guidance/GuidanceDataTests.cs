using ReferralDirectory.Guidance;

namespace ReferralDirectory.Tests.Guidance;

/// <summary>The embedded guidance data and the rules it is checked against on start.</summary>
public sealed class GuidanceDataTests
{
    private static readonly string Shipped = GuidanceLibrary.ReadEmbedded();

    [Test]
    public void The_shipped_guidance_passes_every_rule()
    {
        Assert.That(GuidanceLibrary.Problems(Shipped), Is.Empty);
        var library = GuidanceLibrary.Default;
        Assert.That(library.Data.Topics, Has.Count.EqualTo(4));
        Assert.That(library.Profile("mo")?.State, Is.EqualTo("MO"));
        Assert.That(library.Profile("KS"), Is.Null);
        // The misprint is recorded for maintainers, never served.
        Assert.That(Shipped, Does.Contain("\"editorNote\": \"The page prints BeFREE (233722); corrected to 233733.\""));
    }

    [Test]
    public void A_translation_that_changes_a_number_is_refused()
    {
        const string right = "llame al 9-1-1 o al *55 (Patrulla";
        Assert.That(Shipped, Does.Contain(right));
        var problems = GuidanceLibrary.Problems(Shipped.Replace(right, "llame al 911 o al *55 (Patrulla", StringComparison.Ordinal));
        Assert.That(problems, Is.EqualTo(new[]
        {
            "$.topics[1].sections[1].items[0].text: the English text has the numbers [55, 9-1-1], the Spanish text [55, 911].",
        }));
        Assert.Throws<InvalidDataException>(() => GuidanceLibrary.Load(Shipped.Replace("6,166 contactos", "6.166 contactos", StringComparison.Ordinal)));
    }

    [Test]
    public void The_misprinted_text_number_cannot_be_served()
    {
        var problems = GuidanceLibrary.Problems(Shipped.Replace("INFO to BeFREE (233733)", "INFO to BeFREE (233722)", StringComparison.Ordinal)
            .Replace("INFO a BeFREE (233733)", "INFO a BeFREE (233722)", StringComparison.Ordinal));
        Assert.That(problems, Is.EqualTo(new[] { "The guidance contains the misprint '233722' outside an editorNote; write '233733'." }));
    }

    [Test]
    public void References_to_unknown_sources_or_hotlines_are_refused()
    {
        var problems = GuidanceLibrary.Problems(Shipped
            .Replace("\"source\": \"missouri-youth-safety\",\n          \"title\": { \"en\": \"Online safety\"", "\"source\": \"nowhere\",\n          \"title\": { \"en\": \"Online safety\"", StringComparison.Ordinal)
            .Replace("\"hotlines\": [ \"national-human-trafficking-hotline\",", "\"hotlines\": [ \"no-such-hotline\",", StringComparison.Ordinal));
        Assert.That(problems, Is.EqualTo(new[]
        {
            "topics.youth-safety.online: unknown source 'nowhere'.",
            "stateProfiles.MO.hotlines: unknown hotline 'no-such-hotline'.",
        }));
    }

    [TestCase("1-888-373-7888", "voice", "tel:+18883737888")]
    [TestCase("800-700-1650", "voice", "tel:+18007001650")]
    [TestCase("911", "voice", "tel:911")]
    [TestCase("*55", "voice", "tel:*55")]
    [TestCase("233733", "text", "sms:233733")]
    public void Phone_links_dial_or_text_the_number(string number, string type, string link) =>
        Assert.That(PhoneLinks.For(number, type), Is.EqualTo(link));

    [Test]
    public void Numbers_are_read_with_their_separators()
    {
        Assert.That(SameNumbersInEveryLanguage.NumbersIn("Call 1-888-373-7888, 24/7; § 566.215.1; 6,166 contacts from December 31, 2021."),
            Is.EqualTo(new[] { "1-888-373-7888", "2021", "24", "31", "566.215.1", "6,166", "7" }));
    }
}
