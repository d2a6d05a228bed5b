using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReferralDirectory.Exchange.Hsds;

// Open Referral HSDS 3.0 documents (the subset of fields this directory reads and writes). Property names are
// written in HSDS's snake_case by HsdsJson.Options; absent values are left out. These are exchange shapes only:
// HsdsMapper maps them from and to the stored model.

/// <summary>JSON settings for HSDS documents: snake_case names, nulls left out.</summary>
public static class HsdsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

/// <summary>HSDS paged list: total_items, total_pages, page_number, size, first_page, last_page, empty, contents.</summary>
public sealed record HsdsPage<T>(int TotalItems, int TotalPages, int PageNumber, int Size, bool FirstPage, bool LastPage, bool Empty, IReadOnlyList<T> Contents);

public sealed record HsdsOrganization
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? AlternateName { get; init; }
    public string Description { get; init; } = "";
    public string? Email { get; init; }
    public string? Website { get; init; }
    public List<HsdsPhone>? Phones { get; init; }
    public List<HsdsLocation>? Locations { get; init; }
    public List<HsdsFunding>? Funding { get; init; }
    public List<HsdsAttribute>? Attributes { get; init; }
    /// <summary>The organization's services (in fully nested documents).</summary>
    public List<HsdsService>? Services { get; init; }
    /// <summary>This directory's extension (HSDS allows extra properties; the <c>x_</c> prefix marks ours): how to
    /// refer someone here. Left out when the listing marks its readiness staff-only (HSDS answers are public).</summary>
    [JsonPropertyName("x_referral_readiness")]
    public HsdsReferralReadiness? XReferralReadiness { get; init; }
}

/// <summary>Extension <c>x_referral_readiness</c> of an organization: intake protocol, warm transfers (whether, on which
/// number, when: a weekly schedule as in this directory's v1 API), accepting referrals now with a capacity note and its
/// date (yyyy-MM-dd), and eligibility notes.</summary>
public sealed record HsdsReferralReadiness
{
    public string? IntakeProtocol { get; init; }
    public bool? WarmTransfers { get; init; }
    public string? WarmTransferPhone { get; init; }
    public HsdsReadinessHours? WarmTransferHours { get; init; }
    public bool? AcceptingReferrals { get; init; }
    public string? CapacityNote { get; init; }
    public string? CapacityAsOf { get; init; }
    public string? EligibilityNotes { get; init; }
}

/// <summary>Warm-transfer hours: IANA <c>time_zone</c>, <c>always</c> (24/7) or weekly periods (<c>day</c> Monday..Sunday,
/// <c>opens</c>/<c>closes</c> HH:mm).</summary>
public sealed record HsdsReadinessHours(string TimeZone, bool Always, List<HsdsReadinessPeriod>? Periods);

public sealed record HsdsReadinessPeriod(string Day, string Opens, string Closes);

public sealed record HsdsService
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string? OrganizationId { get; init; }
    public string Name { get; init; } = "";
    public string? AlternateName { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }
    public string? Email { get; init; }
    public string Status { get; init; } = "active";
    public string? InterpretationServices { get; init; }
    public string? ApplicationProcess { get; init; }
    public string? FeesDescription { get; init; }
    public string? EligibilityDescription { get; init; }
    public double? MinimumAge { get; init; }
    public double? MaximumAge { get; init; }
    public string? AssuredDate { get; init; }
    /// <summary>When the service's public information last changed (ISO 8601, UTC, milliseconds): in minimal answers.</summary>
    public string? LastModified { get; init; }
    public List<HsdsPhone>? Phones { get; init; }
    public List<HsdsSchedule>? Schedules { get; init; }
    public List<HsdsServiceArea>? ServiceAreas { get; init; }
    public List<HsdsServiceAtLocation>? ServiceAtLocations { get; init; }
    public List<HsdsLanguage>? Languages { get; init; }
    public HsdsOrganization? Organization { get; init; }
    public List<HsdsAttribute>? Attributes { get; init; }
}

public sealed record HsdsLocation
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string LocationType { get; init; } = "physical";
    public string? OrganizationId { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Transportation { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public List<HsdsAddress>? Addresses { get; init; }
    public List<HsdsPhone>? Phones { get; init; }
    public List<HsdsSchedule>? Schedules { get; init; }
    public List<HsdsLanguage>? Languages { get; init; }
    public List<HsdsAttribute>? Attributes { get; init; }
}

public sealed record HsdsAddress
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string? LocationId { get; init; }
    [JsonPropertyName("address_1")]
    public string Address1 { get; init; } = "";
    [JsonPropertyName("address_2")]
    public string? Address2 { get; init; }
    public string City { get; init; } = "";
    /// <summary>Here: the county name (e.g. "Boone County").</summary>
    public string? Region { get; init; }
    public string StateProvince { get; init; } = "";
    public string PostalCode { get; init; } = "";
    public string Country { get; init; } = "US";
    public string AddressType { get; init; } = "physical";
    public List<HsdsAttribute>? Attributes { get; init; }
}

public sealed record HsdsPhone
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string Number { get; init; } = "";
    public double? Extension { get; init; }
    public string? Type { get; init; }
    public string? Description { get; init; }
    public List<HsdsLanguage>? Languages { get; init; }
}

public sealed record HsdsSchedule
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string? ServiceId { get; init; }
    public string? LocationId { get; init; }
    /// <summary>UTC offset in hours (HSDS has no IANA zone field).</summary>
    public double? Timezone { get; init; }
    public string? Freq { get; init; }
    public double? Interval { get; init; }
    public string? Byday { get; init; }
    public string? OpensAt { get; init; }
    public string? ClosesAt { get; init; }
    public string? Description { get; init; }
    public string? Notes { get; init; }
}

public sealed record HsdsServiceArea
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string? ServiceId { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Extent { get; init; }
    public string? ExtentType { get; init; }
    public string? Uri { get; init; }
}

public sealed record HsdsLanguage
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? Code { get; init; }
    public string? Note { get; init; }
}

public sealed record HsdsFunding
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string? Source { get; init; }
}

public sealed record HsdsAttribute
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string? LinkId { get; init; }
    public string? TaxonomyTermId { get; init; }
    public string? LinkType { get; init; }
    public string? LinkEntity { get; init; }
    public string? Value { get; init; }
    public HsdsTaxonomyTerm? TaxonomyTerm { get; init; }
}

public sealed record HsdsTaxonomy
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string? Uri { get; init; }
    public string? Version { get; init; }
}

public sealed record HsdsTaxonomyTerm
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string? Code { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string? ParentId { get; init; }
    public string? Taxonomy { get; init; }
    public HsdsTaxonomy? TaxonomyDetail { get; init; }
    public string? Language { get; init; }
    public string? TaxonomyId { get; init; }
    public string? TermUri { get; init; }
}

public sealed record HsdsServiceAtLocation
{
    /// <summary>Fields this directory does not model, as read (and as kept from an import: <see cref="HsdsOverlay"/>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
    public string Id { get; init; } = "";
    public string? ServiceId { get; init; }
    public string? LocationId { get; init; }
    public string? Description { get; init; }
    public HsdsLocation? Location { get; init; }
    /// <summary>The service (in service_at_location answers; not part of the HSDS field list, but its examples nest it).</summary>
    public HsdsService? Service { get; init; }
}

/// <summary>The answer of GET / (HSDS API meta information).</summary>
public sealed record HsdsApiInfo(string Version, string Profile, string OpenapiUrl);
