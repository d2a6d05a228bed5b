using ReferralDirectory.Places;

namespace ReferralDirectory.Listings;

/// <summary>
/// Every location is stored with its county (the FIPS code and the county's name), whichever way it was written
/// (admin API, CSV, HSDS): the county it names, else the county at its point, else at its ZIP code's centre, else at
/// its town's centre. A confidential location must have one: the public sees its county and state only, so without a
/// county it could not be shown at all. A confidential location may leave out its coordinates.
/// </summary>
public static class LocationCountyRule
{
    public const string ConfidentialNeedsCounty =
        "A confidential location needs its county: give countyFips, a ZIP code, a known town and state, or coordinates.";

    /// <summary>The county of a location from what is known of it, or null.</summary>
    public static CountyInfo? Resolve(Gazetteer gazetteer, string? countyFips, double? latitude, double? longitude, string? postalCode, string? city, string? state)
    {
        if (countyFips is not null) return gazetteer.County(countyFips);
        CountyInfo? InState(CountyInfo? c) => c is not null && (state is null || c.StateCode == state) ? c : null;
        if (latitude is { } lat && longitude is { } lon) return InState(gazetteer.Locate(lat, lon).County);
        if (postalCode is not null && gazetteer.FindZip(postalCode) is { } zip && InState(gazetteer.Locate(zip.Latitude, zip.Longitude).County) is { } byZip) return byZip;
        if (city is not null && state is not null && gazetteer.FindCity($"{city}, {state}").Place is { } town) return InState(gazetteer.Locate(town.Latitude, town.Longitude).County);
        return null;
    }
}
