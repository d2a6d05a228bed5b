namespace ReferralDirectory.Guidance;

/// <summary>The languages guidance is written in. English is the default.</summary>
public static class GuidanceLanguages
{
    public const string English = "en";
    public const string Spanish = "es";
    public static readonly IReadOnlyList<string> All = [English, Spanish];

    public static bool IsSupported(string code) => code is English or Spanish;
}

/// <summary>One text in every guidance language. Numbers, statute references and phone numbers are the same in
/// each (<see cref="SameNumbersInEveryLanguage"/>).</summary>
public sealed record LocalizedText(string En, string Es)
{
    public string In(string language) => language == GuidanceLanguages.Spanish ? Es : En;
}

// The stored model of Data/guidance.json (see Guidance/README.md). The API's DTOs are rendered from it per language.
// EditorNote fields are for maintainers (what was corrected, and from what) and are never served.

public sealed class GuidanceData
{
    public required string About { get; init; }
    /// <summary>Where the guidance comes from and where its local numbers work.</summary>
    public required LocalizedText Scope { get; init; }
    public required IReadOnlyList<GuidanceSource> Sources { get; init; }
    public required EmergencyGuidance Emergency { get; init; }
    public required IReadOnlyList<GuidanceHotline> Hotlines { get; init; }
    public required IReadOnlyList<GuidanceTopic> Topics { get; init; }
    public required IReadOnlyList<StateProfile> StateProfiles { get; init; }
}

/// <summary>A public page the guidance quotes. <see cref="AsOf"/> is the date the project copied its text.</summary>
public sealed class GuidanceSource
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Publisher { get; init; }
    public string? Url { get; init; }
    public required DateOnly AsOf { get; init; }
    public required LocalizedText About { get; init; }
    public string? EditorNote { get; init; }
}

public sealed class EmergencyGuidance
{
    public required string Number { get; init; }
    public required string Source { get; init; }
    public required LocalizedText Message { get; init; }
}

public sealed class GuidanceHotline
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary><c>nationwide</c> or <c>state:XX</c>.</summary>
    public required string Coverage { get; init; }
    public required bool Is24x7 { get; init; }
    public required string Source { get; init; }
    public required LocalizedText Description { get; init; }
    public required IReadOnlyList<GuidancePhone> Phones { get; init; }
}

/// <summary>A number to call (<c>voice</c>) or to text (<c>text</c>).</summary>
public sealed class GuidancePhone
{
    public required string Number { get; init; }
    public required string Type { get; init; }
    public LocalizedText? Label { get; init; }
}

public sealed class GuidanceTopic
{
    public required string Id { get; init; }
    public required LocalizedText Title { get; init; }
    public LocalizedText? Summary { get; init; }
    public required IReadOnlyList<GuidanceSection> Sections { get; init; }
}

public sealed class GuidanceSection
{
    public required string Id { get; init; }
    /// <summary>The source of the section's items, unless an item names its own.</summary>
    public required string Source { get; init; }
    public required LocalizedText Title { get; init; }
    public LocalizedText? Intro { get; init; }
    public LocalizedText? Note { get; init; }
    public required IReadOnlyList<GuidanceItem> Items { get; init; }
}

public sealed class GuidanceItem
{
    public required string Id { get; init; }
    public required LocalizedText Text { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<GuidancePhone> Phones { get; init; } = [];
    /// <summary>What the project corrected in the source's text, for readers.</summary>
    public LocalizedText? Correction { get; init; }
    public string? EditorNote { get; init; }
}

public sealed class StateProfile
{
    public required string State { get; init; }
    public required string Source { get; init; }
    public required LocalizedText Title { get; init; }
    public required LocalizedText Summary { get; init; }
    public required ProfileHeadings Headings { get; init; }
    public required IReadOnlyList<StatisticGroup> Statistics { get; init; }
    public required IReadOnlyList<VenueList> TopVenues { get; init; }
    public required IReadOnlyList<StateLaw> Laws { get; init; }
    public required ProfileLink ReferralDirectory { get; init; }
    public required ProfileLink MoreStatistics { get; init; }
    public required IReadOnlyList<ProfileEntry> Collaborations { get; init; }
    public required IReadOnlyList<ProfileEntry> Resources { get; init; }
    public required IReadOnlyList<ProfileEntry> Funding { get; init; }
    public required IReadOnlyList<ProfileEntry> Campaigns { get; init; }
    /// <summary>Ids of <see cref="GuidanceData.Hotlines"/>.</summary>
    public required IReadOnlyList<string> Hotlines { get; init; }
}

public sealed class ProfileHeadings
{
    public required LocalizedText Statistics { get; init; }
    public required LocalizedText TopVenues { get; init; }
    public required LocalizedText Laws { get; init; }
    public required LocalizedText Collaborations { get; init; }
    public required LocalizedText Resources { get; init; }
    public required LocalizedText Funding { get; init; }
    public required LocalizedText Campaigns { get; init; }
    public required LocalizedText Hotlines { get; init; }
}

/// <summary>Figures for one place and period. <see cref="Scope"/> is a state code or <c>US</c>.</summary>
public sealed class StatisticGroup
{
    public required string Id { get; init; }
    public required string Scope { get; init; }
    public required string Source { get; init; }
    public required ReportingPeriod Period { get; init; }
    public required LocalizedText Title { get; init; }
    public required IReadOnlyList<StatisticFigure> Figures { get; init; }
    public required IReadOnlyList<LocalizedText> Notes { get; init; }
}

/// <summary>From and to as ISO 8601 dates or months (<c>2007-12</c>, <c>2021-12-31</c>), as precise as the source.</summary>
public sealed record ReportingPeriod(string From, string To);

public sealed class StatisticFigure
{
    public required string Id { get; init; }
    public required long Value { get; init; }
    public required LocalizedText Label { get; init; }
    public required LocalizedText Text { get; init; }
}

public sealed class VenueList
{
    public required string Id { get; init; }
    public required ReportingPeriod Period { get; init; }
    public required LocalizedText Title { get; init; }
    public required IReadOnlyList<Venue> Venues { get; init; }
}

public sealed record Venue(int Rank, LocalizedText Name);

/// <summary>A state statute: its number (<c>§ 566.203</c>), its official (English) title and the title in each language.</summary>
public sealed class StateLaw
{
    public required string Statute { get; init; }
    public required string OfficialTitle { get; init; }
    public required LocalizedText Title { get; init; }
}

public sealed class ProfileLink
{
    public required string Url { get; init; }
    public required LocalizedText Text { get; init; }
    public LocalizedText? Correction { get; init; }
    public string? EditorNote { get; init; }
}

/// <summary>A named collaboration, resource, funding source or campaign. Names stay as their owners write them.</summary>
public sealed class ProfileEntry
{
    public required string Name { get; init; }
    public LocalizedText? Description { get; init; }
    public string? EditorNote { get; init; }
}
