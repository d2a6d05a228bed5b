using ReferralDirectory.Geo;

namespace ReferralDirectory.Places;

/// <summary>The gazetteer answers the search index's boundary questions.</summary>
public sealed partial class Gazetteer : IBoundaryProvider
{
    public string? StateCodeOfCounty(string countyFips) => County(countyFips)?.StateCode;
    public bool IsKnownState(string code) => State(code) is not null;
    public bool IsKnownCounty(string fips) => County(fips) is not null;
}
