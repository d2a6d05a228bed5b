using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Safety;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Contracts;

/// <summary>
/// Maps stored listings to the public listing document (<see cref="ResourceDto"/>). Locations are shown as
/// <see cref="ConfidentialLocationPolicy"/> decides: a confidential location's county and state only, unless the
/// caller may see the exact details (then the answer is private).
/// </summary>
public static class ResourceMapper
{
    public static readonly EmergencyNoticeDto Emergency =
        new("911", "If you or someone else is in immediate danger, call 911.");

    /// <summary>The public view; with <c>exact</c>, confidential details too (only for roles that may see them).</summary>
    public static ResourceDto ToDto(this Listing l, ConfidentialLocationPolicy policy, bool exact = false) => new(
        l.Id, l.Kind, l.CollaborationType, l.Name, l.AlternateName, l.Description, l.Website, l.Email,
        [.. l.Services.Select(s => new ServiceDto(s.Id, s.Name, s.Description,
            [.. s.TaxonomyCodes.Select(c => Taxonomy.Find(c) is { } t ? new CodeLabelDto(t.Code, t.Label) : new CodeLabelDto(c, c))]))],
        [.. l.Locations.Select((loc, i) => Location(exact ? policy.ExactView(loc) : policy.View(l, i)))],
        [.. l.Phones.Select(ToDto)],
        [.. l.ServiceAreas.Select(a => new ServiceAreaDto(a.Type, a.Code, a.Name))],
        l.Hours?.ToDto(),
        l.Is24x7(),
        l.Languages,
        l.InterpretationAvailable,
        l.Populations,
        l.TraffickingTypes,
        l.EligibilityNotes,
        l.FreeOfCharge,
        l.AcceptingReferrals,
        l.Funding is { } f ? new FundingDto(f.Funder, f.Program, f.Eligibility, f.AmountMin, f.AmountMax, f.Deadline, f.Url) : null,
        l.LastVerified,
        l.IsDemo,
        l.Readiness is { } r && (exact || !r.StaffOnly) ? r.ToDto(l) : null);

    public static ReadinessDto ToDto(this ReferralReadiness r, Listing l) => new(r.IntakeProtocol, r.WarmTransfers, r.WarmTransferPhone,
        r.WarmTransferHours?.ToDto(), l.AcceptingReferrals, r.CapacityNote, r.CapacityAsOf, r.EligibilityNotes, r.StaffOnly);

    private static LocationDto Location(PublicLocation v)
    {
        var hasAddress = v.Street1 is not null || v.Town is not null || v.State is not null || v.County is not null;
        return new LocationDto(v.Id, v.Name, v.Confidential,
            hasAddress ? new AddressDto(v.Street1, v.Street2, v.Town, v.State, v.PostalCode, v.CountyFips, v.County) : null,
            v.Latitude, v.Longitude);
    }

    public static PhoneDto ToDto(this Phone p) => new(p.Number, p.Type, p.Description, p.Hours?.ToDto(), p.Languages);

    public static ScheduleDto ToDto(this Schedule s) => new(s.TimeZone, s.Always,
        [.. s.Periods.Select(p => new OpeningPeriodDto(p.Day.ToString(), p.Opens.ToString("HH:mm"), p.Closes.ToString("HH:mm")))], s.Notes);

    public static string ScopeCode(CoverageScope s) => s switch
    {
        CoverageScope.County => "county",
        CoverageScope.Area => "area",
        CoverageScope.State => "state",
        _ => "nationwide",
    };

    /// <summary>The searched point echoed back with its state and county (on a border, the lowest FIPS, as
    /// <see cref="Gazetteer.Locate"/> picks), from the boundary lookup the search already did.</summary>
    public static SearchPointDto Point(ResolvedPlace place, SearchPlace at, Gazetteer gazetteer)
    {
        var state = at.States is [var s, ..] ? gazetteer.State(s) : null;
        var county = at.Counties is [var c, ..] ? gazetteer.County(c) : null;
        return new SearchPointDto(place.Latitude, place.Longitude, new PlaceDto(state?.Code, state?.Name, county?.Fips, county?.DisplayName),
            place.Source, place.Zip, place.Town);
    }
}
