namespace ReferralDirectory.Model;

// The stored model. It is what the store keeps (as JSON) and what the index reads; the API maps it to
// its own DTOs, so renaming a field here never silently changes the public contract.
// Field names follow Open Referral HSDS 3.0 where HSDS has the concept.

/// <summary>One listing in the directory: an organization (agency, coalition, funder, hotline...) with
/// its services, locations, phones and service areas.</summary>
public sealed record Listing
{
    /// <summary>Stable id, lower-case letters, digits and dashes.</summary>
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public string? AlternateName { get; init; }
    public string Description { get; init; } = "";
    public string? Email { get; init; }
    public string? Website { get; init; }
    /// <summary>For coalitions: coalition, task-force, working-group or network.</summary>
    public string? CollaborationType { get; init; }
    public List<Service> Services { get; init; } = [];
    public List<Location> Locations { get; init; } = [];
    public List<ServiceArea> ServiceAreas { get; init; } = [];
    public List<Phone> Phones { get; init; } = [];
    /// <summary>Opening hours of the organization's office or service.</summary>
    public Schedule? Hours { get; init; }
    /// <summary>ISO 639-1 codes of languages staff speak.</summary>
    public List<string> Languages { get; init; } = [];
    /// <summary>True when interpretation into any language is available (e.g. a hotline's interpreter line).</summary>
    public bool InterpretationAvailable { get; init; }
    public List<string> Populations { get; init; } = [];
    public List<string> TraffickingTypes { get; init; } = [];
    public string? EligibilityNotes { get; init; }
    public bool FreeOfCharge { get; init; }
    public bool AcceptingReferrals { get; init; } = true;
    public FundingDetails? Funding { get; init; }
    public DateOnly? LastVerified { get; init; }
    /// <summary>The last verification: who confirmed the listing is true, when and how.</summary>
    public Verification? LastVerification { get; init; }
    /// <summary>True for made-up demo listings (their links use example.org).</summary>
    public bool IsDemo { get; init; }
    /// <summary>An id in another system (for idempotent imports).</summary>
    public string? ExternalId { get; init; }
    /// <summary>How to refer someone here (intake, warm transfers, capacity); caseworkers' referrals rely on it.</summary>
    public ReferralReadiness? Readiness { get; init; }
    /// <summary>Open Referral HSDS data this model does not hold, kept from an HSDS import and returned in HSDS exports
    /// (JSON, see Exchange.Hsds.HsdsOverlay); null for listings not imported from HSDS.</summary>
    public string? HsdsData { get; init; }
}

/// <summary>
/// How a caseworker hands a survivor over to this agency: its intake protocol, whether it takes warm transfers (a
/// three-way call) and how, whether it has room now (with a note and the date that was true), and eligibility notes.
/// When <see cref="StaffOnly"/> is true none of it is ever shown to the public (the caseworker view only).
/// </summary>
public sealed record ReferralReadiness
{
    /// <summary>What happens at intake, in plain language (who to call, what to bring, what to expect).</summary>
    public string? IntakeProtocol { get; init; }
    /// <summary>Whether the agency takes warm transfers (the caseworker stays on the line while connecting the survivor).</summary>
    public bool? WarmTransfers { get; init; }
    /// <summary>The number to call for a warm transfer.</summary>
    public string? WarmTransferPhone { get; init; }
    /// <summary>When warm transfers are taken.</summary>
    public Schedule? WarmTransferHours { get; init; }
    /// <summary>Space or capacity now, in plain language ("2 beds", "waiting list of 3 weeks").</summary>
    public string? CapacityNote { get; init; }
    /// <summary>The date the capacity note and <see cref="Listing.AcceptingReferrals"/> were last confirmed.</summary>
    public DateOnly? CapacityAsOf { get; init; }
    /// <summary>Who the agency can take, beyond the populations list ("women 18+ with children under 12").</summary>
    public string? EligibilityNotes { get; init; }
    /// <summary>Shown to signed-in caseworkers, editors and admins only.</summary>
    public bool StaffOnly { get; init; }
}

public sealed record Service
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    /// <summary>Codes from <see cref="Taxonomy"/>.</summary>
    public List<string> TaxonomyCodes { get; init; } = [];
    // Optional service details, as in Open Referral HSDS 3.0 (all optional: older stored documents lack them).
    public string? AlternateName { get; init; }
    public string? Url { get; init; }
    public string? Email { get; init; }
    /// <summary>HSDS service status: active, inactive, defunct or temporarily closed (null: active).</summary>
    public string? Status { get; init; }
    /// <summary>How to apply or be referred, in plain language.</summary>
    public string? ApplicationProcess { get; init; }
    public string? FeesDescription { get; init; }
    public string? EligibilityDescription { get; init; }
    public int? MinimumAge { get; init; }
    public int? MaximumAge { get; init; }
}

public sealed record Location
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    /// <summary>WGS84 coordinates. Required for a public location; a confidential location may leave them out
    /// (it is then placed by its county only, see <see cref="Safety.ConfidentialLocationPolicy"/>).</summary>
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public Address? Address { get; init; }
    /// <summary>What the site is (HSDS location description). Not shown for a confidential location.</summary>
    public string? Description { get; init; }
    /// <summary>How to get there (HSDS location transportation). Not shown for a confidential location.</summary>
    public string? Transportation { get; init; }
    /// <summary>A confidential location: its street address and exact point are never shown to the public.</summary>
    public bool Confidential { get; init; }
}

public sealed record Address
{
    public string? Street1 { get; init; }
    public string? Street2 { get; init; }
    public required string City { get; init; }
    /// <summary>Two-letter USPS state code.</summary>
    public required string State { get; init; }
    public string? PostalCode { get; init; }
    /// <summary>5-digit county FIPS code, when known.</summary>
    public string? CountyFips { get; init; }
    public string? CountyName { get; init; }
    public string Country { get; init; } = "US";
}

public sealed record ServiceArea
{
    public required string Type { get; init; }
    /// <summary>State code (MO) for state areas; 5-digit FIPS for county areas.</summary>
    public string? Code { get; init; }
    public string? Name { get; init; }
    /// <summary>GeoJSON Polygon or MultiPolygon (RFC 7946) for polygon areas.</summary>
    public string? GeoJson { get; init; }
}

public sealed record Phone
{
    public required string Number { get; init; }
    public int? Extension { get; init; }
    public string Type { get; init; } = PhoneTypes.Voice;
    public string? Description { get; init; }
    public Schedule? Hours { get; init; }
    public List<string> Languages { get; init; } = [];
}

/// <summary>A weekly schedule in a time zone. <see cref="Always"/> means open 24 hours, 7 days.</summary>
public sealed record Schedule
{
    /// <summary>IANA time zone, e.g. America/Chicago.</summary>
    public string TimeZone { get; init; } = "America/Chicago";
    public bool Always { get; init; }
    public List<OpeningPeriod> Periods { get; init; } = [];
    public string? Notes { get; init; }
}

/// <summary>Open from <see cref="Opens"/> to <see cref="Closes"/> on <see cref="Day"/>; closing at or before
/// opening means the period runs past midnight.</summary>
public sealed record OpeningPeriod(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

/// <summary>An admin confirmed the listing (phone call, site visit, e-mail...).</summary>
public sealed record Verification(DateTimeOffset At, string ByObjectId, string ByName, string Method, string? Notes);

public static class VerificationMethods
{
    public static readonly IReadOnlyList<string> All = ["phone-call", "site-visit", "email", "document", "other"];
}

public sealed record FundingDetails
{
    public required string Funder { get; init; }
    public string? Program { get; init; }
    public string? Eligibility { get; init; }
    public decimal? AmountMin { get; init; }
    public decimal? AmountMax { get; init; }
    public DateOnly? Deadline { get; init; }
    public string? Url { get; init; }
}
