using System.Text.Json;

namespace ReferralDirectory.Api.Admin;

// What admins send to create or replace a listing (and what PATCH merges into). Every field is optional here so
// that the validator, not the JSON reader, reports what is missing, field by field.

public sealed record ListingInput
{
    /// <summary>Stable id (lower-case letters, digits, dashes). Generated from the name when absent on create.</summary>
    public string? Id { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
    public string? AlternateName { get; init; }
    public string? Description { get; init; }
    public string? Email { get; init; }
    public string? Website { get; init; }
    public string? CollaborationType { get; init; }
    public List<ServiceInput>? Services { get; init; }
    public List<LocationInput>? Locations { get; init; }
    public List<ServiceAreaInput>? ServiceAreas { get; init; }
    public List<PhoneInput>? Phones { get; init; }
    public ScheduleInput? Hours { get; init; }
    public List<string>? Languages { get; init; }
    public bool? InterpretationAvailable { get; init; }
    public List<string>? Populations { get; init; }
    public List<string>? TraffickingTypes { get; init; }
    public string? EligibilityNotes { get; init; }
    public bool? FreeOfCharge { get; init; }
    public bool? AcceptingReferrals { get; init; }
    public FundingInput? Funding { get; init; }
    public string? ExternalId { get; init; }
    public bool? IsDemo { get; init; }
    /// <summary>How to refer someone here: intake, warm transfers, capacity now, eligibility. With <c>staffOnly</c>
    /// true, none of it is ever shown to the public (signed-in caseworkers, editors and admins only).</summary>
    public ReadinessInput? Readiness { get; init; }
}

/// <summary>Referral readiness. <c>capacityAsOf</c>: yyyy-MM-dd, the date the capacity note and <c>acceptingReferrals</c>
/// were last confirmed. <c>warmTransferPhone</c>: the number a caseworker calls to connect the survivor directly.</summary>
public sealed record ReadinessInput(string? IntakeProtocol, bool? WarmTransfers, string? WarmTransferPhone, ScheduleInput? WarmTransferHours,
    string? CapacityNote, string? CapacityAsOf, string? EligibilityNotes, bool? StaffOnly);

public sealed record ServiceInput(string? Id, string? Name, string? Description, List<string>? TaxonomyCodes);

public sealed record LocationInput(string? Id, string? Name, double? Latitude, double? Longitude, AddressInput? Address, bool? Confidential);

public sealed record AddressInput(string? Street1, string? Street2, string? City, string? State, string? PostalCode, string? CountyFips, string? CountyName);

/// <summary>type: nationwide | state (code: MO) | county (code: 5-digit FIPS) | polygon (geometry: GeoJSON Polygon or MultiPolygon).</summary>
public sealed record ServiceAreaInput(string? Type, string? Code, string? Name, JsonElement? Geometry);

public sealed record PhoneInput(string? Number, string? Type, string? Description, ScheduleInput? Hours, List<string>? Languages);

public sealed record ScheduleInput(string? TimeZone, bool? Always, List<OpeningPeriodInput>? Periods, string? Notes);

/// <summary>day: Monday..Sunday; opens/closes: HH:mm local time.</summary>
public sealed record OpeningPeriodInput(string? Day, string? Opens, string? Closes);

public sealed record FundingInput(string? Funder, string? Program, string? Eligibility, decimal? AmountMin, decimal? AmountMax, string? Deadline, string? Url);

/// <summary>A listing as admins see it: everything, including confidential details, with its version.</summary>
public sealed record AdminListingResponse(
    ListingInput Listing,
    string ETag,
    long Version,
    bool Retired,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? LastVerified,
    VerificationResponse? LastVerification,
    bool Stale);

public sealed record VerificationResponse(DateTimeOffset At, string ByObjectId, string ByName, string Method, string? Notes);

public sealed record VerifyRequest(string? Method, string? Notes);
