namespace ReferralDirectory.Geo;

/// <summary>Which states and counties cover a point (boundaries are closed: a point on a shared border is in both).</summary>
public interface IBoundaryProvider
{
    IReadOnlyList<string> StateCodesCovering(double latitude, double longitude);
    IReadOnlyList<string> CountyFipsCovering(double latitude, double longitude);
}
