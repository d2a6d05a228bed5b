using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Contracts;

/// <summary>
/// Maps stored listings to public DTOs. This is where the public view is decided: a confidential location
/// never carries its street, postal code or coordinates, and distances to it are banded.
/// </summary>
public static class ResourceMapper
{
    public static readonly EmergencyNoticeDto Emergency =
        new("911", "If you or someone else is in immediate danger, call 911.");

    /// <summary>The public view; with <c>exact</c>, confidential details too (only for roles that may see them).</summary>
    public static ResourceDto ToDto(this Listing l, bool exact = false) => new(
        l.Id, l.Kind, l.CollaborationType, l.Name, l.AlternateName, l.Description, l.Website, l.Email,
        [.. l.Services.Select(s => new ServiceDto(s.Id, s.Name, s.Description,
            [.. s.TaxonomyCodes.Select(c => Taxonomy.Find(c) is { } t ? new CodeLabelDto(t.Code, t.Label) : new CodeLabelDto(c, c))]))],
        [.. l.Locations.Select(loc => exact ? ToExactDto(loc) : ToPublicDto(loc))],
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
        l.IsDemo);

    private static LocationDto ToExactDto(Location loc)
    {
        var a = loc.Address;
        return new LocationDto(loc.Id, loc.Name, loc.Confidential,
            a is null ? null : new AddressDto(a.Street1, a.Street2, a.City, a.State, a.PostalCode, a.CountyFips, a.CountyName),
            loc.Latitude, loc.Longitude);
    }

    private static LocationDto ToPublicDto(Location loc)
    {
        var a = loc.Address;
        if (loc.Confidential)
        {
            return new LocationDto(loc.Id, "Confidential location", true,
                a is null ? null : new AddressDto(null, null, a.City, a.State, null, a.CountyFips, a.CountyName), null, null);
        }
        return new LocationDto(loc.Id, loc.Name, false,
            a is null ? null : new AddressDto(a.Street1, a.Street2, a.City, a.State, a.PostalCode, a.CountyFips, a.CountyName),
            loc.Latitude, loc.Longitude);
    }

    public static PhoneDto ToDto(this Phone p) => new(p.Number, p.Type, p.Description, p.Hours?.ToDto(), p.Languages);

    public static ScheduleDto ToDto(this Schedule s) => new(s.TimeZone, s.Always,
        [.. s.Periods.Select(p => new OpeningPeriodDto(p.Day.ToString(), p.Opens.ToString("HH:mm"), p.Closes.ToString("HH:mm")))], s.Notes);

    public static DistanceDto Distance(double km, bool confidential)
    {
        if (confidential) km = ConfidentialPoints.Band(km);
        else km = Math.Round(km, 2);
        return new DistanceDto(km, Math.Round(Geo.GeoMath.KmToMiles(km), 2), confidential);
    }

    public static string ScopeCode(CoverageScope s) => s switch
    {
        CoverageScope.County => "county",
        CoverageScope.Area => "area",
        CoverageScope.State => "state",
        _ => "nationwide",
    };

    public static HotlineDto ToHotline(CoverageHit h) => new(
        h.Listing.Id, h.Listing.Listing.Name, h.Listing.Listing.Description, [.. h.Listing.Listing.Phones.Select(ToDto)],
        h.Listing.Is24x7, ScopeCode(h.Scope), h.Listing.Listing.Website);

    /// <summary>The searched point echoed back with its state and county (on a border, the lowest FIPS, as
    /// <see cref="Gazetteer.Locate"/> picks), from the boundary lookup the search already did.</summary>
    public static SearchPointDto Point(ResolvedPlace place, SearchPlace at, Gazetteer gazetteer)
    {
        var state = at.States is [var s, ..] ? gazetteer.State(s) : null;
        var county = at.Counties is [var c, ..] ? gazetteer.County(c) : null;
        return new SearchPointDto(place.Latitude, place.Longitude, new PlaceDto(state?.Code, state?.Name, county?.Fips, county?.Name),
            place.Source, place.Zip, place.Town);
    }
}
