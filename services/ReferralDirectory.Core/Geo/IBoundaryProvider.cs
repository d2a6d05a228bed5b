namespace ReferralDirectory.Geo;

/// <summary>Which states and counties cover a point (boundaries are closed: a point on a shared border is in both).</summary>
public interface IBoundaryProvider
{
    IReadOnlyList<string> StateCodesCovering(double latitude, double longitude);
    IReadOnlyList<string> CountyFipsCovering(double latitude, double longitude);
    /// <summary>The USPS code of the state a 5-digit county FIPS code belongs to, or null.</summary>
    string? StateCodeOfCounty(string countyFips);
    bool IsKnownState(string code);
    bool IsKnownCounty(string fips);
}
