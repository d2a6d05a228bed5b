namespace ReferralDirectory.Api.Contracts;

// The public API's shapes. Full listings are mapped from the stored model (ReferralDirectory.Model) by ResourceMapper;
// search answers are written from the index's pre-encoded cards (Search/CardEncoder, Search/SearchAnswers), in the
// shapes these records document. What the public may see of a location is ConfidentialLocationPolicy's decision.

/// <summary>A code with its plain-language label.</summary>
public sealed record CodeLabelDto(string Code, string Label, string? Description = null);

/// <summary>One listing in the directory.</summary>
public sealed record ResourceDto(
    string Id,
    string Kind,
    string? CollaborationType,
    string Name,
    string? AlternateName,
    string Description,
    string? Website,
    string? Email,
    IReadOnlyList<ServiceDto> Services,
    IReadOnlyList<LocationDto> Locations,
    IReadOnlyList<PhoneDto> Phones,
    IReadOnlyList<ServiceAreaDto> ServiceAreas,
    ScheduleDto? Hours,
    bool Is24x7,
    IReadOnlyList<string> Languages,
    bool InterpretationAvailable,
    IReadOnlyList<string> Populations,
    IReadOnlyList<string> TraffickingTypes,
    string? EligibilityNotes,
    bool FreeOfCharge,
    bool AcceptingReferrals,
    FundingDto? Funding,
    DateOnly? LastVerified,
    bool IsDemo,
    ReadinessDto? Readiness);

/// <summary>How to refer someone to this agency: its intake protocol, whether it takes warm transfers (and on which
/// number, when), whether it is accepting referrals now (with a capacity note and the date that was confirmed) and
/// eligibility notes. Readiness the listing marks staff-only is left out of every public answer; signed-in
/// caseworkers, editors and admins see it (in private answers), with <c>staffOnly</c> true.</summary>
public sealed record ReadinessDto(
    string? IntakeProtocol,
    bool? WarmTransfers,
    string? WarmTransferPhone,
    ScheduleDto? WarmTransferHours,
    bool AcceptingReferrals,
    string? CapacityNote,
    DateOnly? CapacityAsOf,
    string? EligibilityNotes,
    bool StaffOnly);

public sealed record ServiceDto(string Id, string Name, string? Description, IReadOnlyList<CodeLabelDto> Taxonomy);

/// <summary>A location. For a confidential location the public sees only its county and state: <c>confidential</c>
/// is true, the id is a public stand-in, and the street, town, ZIP code and coordinates are left out.</summary>
public sealed record LocationDto(string Id, string? Name, bool Confidential, AddressDto? Address, double? Latitude, double? Longitude);

public sealed record AddressDto(string? Street1, string? Street2, string? City, string? State, string? PostalCode, string? CountyFips, string? County);

public sealed record PhoneDto(string Number, string Type, string? Description, ScheduleDto? Hours, IReadOnlyList<string> Languages);

public sealed record ScheduleDto(string TimeZone, bool Always, IReadOnlyList<OpeningPeriodDto> Periods, string? Notes);

/// <summary>Open on <c>day</c> from <c>opens</c> to <c>closes</c> (HH:mm, local time); closing at or before opening runs past midnight.</summary>
public sealed record OpeningPeriodDto(string Day, string Opens, string Closes);

public sealed record ServiceAreaDto(string Type, string? Code, string? Name);

public sealed record FundingDto(string Funder, string? Program, string? Eligibility, decimal? AmountMin, decimal? AmountMax, DateOnly? Deadline, string? Url);

/// <summary>A distance, in kilometres and miles.</summary>
public sealed record DistanceDto(double Km, double Miles);

/// <summary>
/// One search result, as a list of results shows it: what the listing is, how far, whether it is open now, its main
/// phone and text line, its services and languages, where it is (the town and county of a public location; for a
/// confidential one, <c>confidential</c> is true and only its county and state are shown, and the distance is to
/// the county, rounded up to 5 km, with <c>approximate</c> true; <c>countyFips</c> is given for it, so a map can shade
/// the county), and when it was last verified. Fields without a value are left out; <c>is24x7</c> is written only when
/// true, <c>acceptingReferrals</c> only when false. The full listing is at <c>GET /v1/resources/{id}</c> (or in
/// <c>resource</c> with <c>detail=full</c>).
/// </summary>
public sealed record ResourceCardDto(
    string Id,
    string Name,
    string Kind,
    DistanceDto? Distance,
    bool? Approximate,
    string? Coverage,
    bool? OpenNow,
    bool? Confidential,
    string? Street1,
    string? Town,
    string? PostalCode,
    string? County,
    string? CountyFips,
    string? State,
    double? Latitude,
    double? Longitude,
    IReadOnlyList<string> Services,
    string? Phone,
    string? Text,
    IReadOnlyList<string> Languages,
    bool? Is24x7,
    bool? AcceptingReferrals,
    DateOnly? LastVerified,
    bool? IsDemo,
    ResourceDto? Resource);

/// <summary>A short card (a listing serving the searched place, in a nearest answer): who it is, how its service area
/// covers the place, and how to reach it. Its full card is on <c>/v1/resources/serving</c>.</summary>
public sealed record ShortCardDto(string Id, string Name, string Kind, string? Coverage, string? Phone, string? Text);

/// <summary>A hotline or tipline that covers the searched place.</summary>
public sealed record HotlineDto(string Id, string Name, IReadOnlyList<HotlinePhoneDto> Phones, bool? Is24x7, string? Website, string Coverage);

public sealed record HotlinePhoneDto(string Number, string Type, string? Description);

/// <summary>Shown with every search: what to do in immediate danger.</summary>
public sealed record EmergencyNoticeDto(string Number, string Message);

/// <summary>The state and county of the searched point, when it is in the United States.</summary>
public sealed record PlaceDto(string? State, string? StateName, string? CountyFips, string? County);

/// <summary>The searched point and the place it is in. <c>source</c> says how the place was given (coordinates,
/// zip or town); <c>zip</c> and <c>town</c> echo the resolved ZIP code or "City, ST" when given that way.</summary>
public sealed record SearchPointDto(double Latitude, double Longitude, PlaceDto Place, string Source, string? Zip, string? Town);

/// <summary>The listings serving the searched place (their service area covers it), most local first: the first few,
/// how many there are, and the link to page through the rest on <c>/v1/resources/serving</c>.</summary>
public sealed record ServingPartDto(IReadOnlyList<ShortCardDto> Results, int Total, string? Next);

/// <summary>Answer to a nearest search.</summary>
public sealed record NearestResponse(
    SearchPointDto Query,
    IReadOnlyList<ResourceCardDto> Results,
    ServingPartDto ServingThisPlace,
    IReadOnlyList<HotlineDto> Hotlines,
    EmergencyNoticeDto Emergency);

/// <summary>Answer to "who serves here": a page. Pass <c>nextCursor</c> as <c>cursor</c> for the next page.</summary>
public sealed record ServingResponse(
    SearchPointDto Query,
    IReadOnlyList<ResourceCardDto> Results,
    int Total,
    string? NextCursor,
    IReadOnlyList<HotlineDto> Hotlines,
    EmergencyNoticeDto Emergency);

/// <summary>A page of a by-service search. Pass <c>nextCursor</c> as <c>cursor</c> for the next page.</summary>
public sealed record ResourcePage(
    IReadOnlyList<ResourceCardDto> Results,
    int Total,
    string? NextCursor,
    SearchPointDto? Query,
    IReadOnlyList<HotlineDto> Hotlines,
    EmergencyNoticeDto Emergency);

/// <summary>Answer to the hotline lookup.</summary>
public sealed record HotlinesResponse(SearchPointDto Query, IReadOnlyList<HotlineDto> Hotlines, EmergencyNoticeDto Emergency);

/// <summary>The vocabularies the filters take.</summary>
public sealed record TaxonomyResponse(
    string Scheme,
    IReadOnlyList<CodeLabelDto> Services,
    IReadOnlyList<CodeLabelDto> Kinds,
    IReadOnlyList<CodeLabelDto> Populations,
    IReadOnlyList<CodeLabelDto> TraffickingTypes,
    IReadOnlyList<CodeLabelDto> CollaborationTypes);
