namespace ReferralDirectory.Api.Guidance;

// Public guidance answers, in one language each (Content-Language). Every item names its source page (an id of
// `sources`) and the date its text was copied (asOf). Numbers and phone numbers are the same in every language.

/// <summary>What to look for, what to do, what to ask, and safety tips for youth; with the hotlines and the 911 notice.</summary>
public sealed record GuidanceResponse(
    string Language,
    string Scope,
    IReadOnlyList<GuidanceTopicDto> Topics,
    IReadOnlyList<GuidanceHotlineDto> Hotlines,
    GuidanceEmergencyDto Emergency,
    IReadOnlyList<GuidanceSourceDto> Sources);

public sealed record GuidanceTopicDto(string Id, string Title, string? Summary, IReadOnlyList<GuidanceSectionDto> Sections);

public sealed record GuidanceSectionDto(string Id, string Title, string? Intro, IReadOnlyList<GuidanceItemDto> Items, string? Note);

/// <summary>One piece of guidance. <c>correction</c> says what the project corrected in the source's text.</summary>
public sealed record GuidanceItemDto(string Id, string Text, IReadOnlyList<GuidancePhoneDto> Phones, string Source, DateOnly AsOf, string? Correction);

/// <summary>A number to call (<c>voice</c>) or text (<c>text</c>), with the link that does it (<c>tel:</c>, <c>sms:</c>).</summary>
public sealed record GuidancePhoneDto(string Number, string Type, string Link, string? Label);

public sealed record GuidanceHotlineDto(string Id, string Name, string Description, IReadOnlyList<GuidancePhoneDto> Phones, bool Is24x7, string Coverage, string Source, DateOnly AsOf);

public sealed record GuidanceEmergencyDto(string Number, string Message);

/// <summary>A public page the guidance quotes: its title and publisher as the page gives them, and what it is, in the answer's language.</summary>
public sealed record GuidanceSourceDto(string Id, string Title, string Publisher, string? Url, DateOnly AsOf, string Language, string About);

/// <summary>A state's profile: hotline statistics, top trafficking venues, state laws, collaborations, resources,
/// funding, campaigns and the hotlines covering the state, with the 911 notice.</summary>
public sealed record StateProfileResponse(
    string Language,
    string State,
    string StateName,
    string Title,
    string Summary,
    string Source,
    DateOnly AsOf,
    StateProfileHeadingsDto Headings,
    IReadOnlyList<StatisticGroupDto> Statistics,
    IReadOnlyList<VenueListDto> TopVenues,
    IReadOnlyList<StateLawDto> Laws,
    ProfileLinkDto ReferralDirectory,
    ProfileLinkDto MoreStatistics,
    IReadOnlyList<ProfileEntryDto> Collaborations,
    IReadOnlyList<ProfileEntryDto> Resources,
    IReadOnlyList<ProfileEntryDto> Funding,
    IReadOnlyList<ProfileEntryDto> Campaigns,
    IReadOnlyList<GuidanceHotlineDto> Hotlines,
    GuidanceEmergencyDto Emergency,
    IReadOnlyList<GuidanceSourceDto> Sources);

/// <summary>Headings for the profile's parts, in the answer's language.</summary>
public sealed record StateProfileHeadingsDto(string Statistics, string TopVenues, string Laws, string Collaborations, string Resources, string Funding, string Campaigns, string Hotlines);

/// <summary>Figures for one place (<c>scope</c>: a state code or US) and reporting period.</summary>
public sealed record StatisticGroupDto(string Id, string Scope, string Title, ReportingPeriodDto Period, IReadOnlyList<StatisticDto> Figures, IReadOnlyList<string> Notes, string Source, DateOnly AsOf);

/// <summary>From and to as ISO 8601 dates or months, as precise as the source gives them.</summary>
public sealed record ReportingPeriodDto(string From, string To);

public sealed record StatisticDto(string Id, long Value, string Label, string Text);

public sealed record VenueListDto(string Id, string Title, ReportingPeriodDto Period, IReadOnlyList<VenueDto> Venues, string Source, DateOnly AsOf);

public sealed record VenueDto(int Rank, string Name);

/// <summary>A state statute: its number, its official (English) title and its title in the answer's language.</summary>
public sealed record StateLawDto(string Statute, string Title, string OfficialTitle, string Source, DateOnly AsOf);

public sealed record ProfileLinkDto(string Text, string Url, string? Correction, string Source, DateOnly AsOf);

/// <summary>A named collaboration, resource, funding source or campaign (names as their owners write them).</summary>
public sealed record ProfileEntryDto(string Name, string? Description, string Source, DateOnly AsOf);
