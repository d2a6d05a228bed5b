namespace ReferralDirectory.Geo;

/// <summary>
/// Distances on the Earth. The directory uses great-circle distance on the IUGG mean-radius sphere
/// (R = 6371.0088 km): exact ordering is cheap (it is monotonic in the chord between unit vectors, which
/// the index uses) and it stays within 0.5 % of the WGS84 ellipsoidal geodesic (tests check known pairs).
/// </summary>
public static class GeoMath
{
    public const double EarthRadiusKm = 6371.0088;
    public const double KmPerMile = 1.609344;
    private const double DegToRad = Math.PI / 180.0;

    public static bool IsValidLatitude(double lat) => double.IsFinite(lat) && lat is >= -90 and <= 90;
    public static bool IsValidLongitude(double lon) => double.IsFinite(lon) && lon is >= -180 and <= 180;

    /// <summary>Great-circle distance in km (haversine).</summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        var p1 = lat1 * DegToRad;
        var p2 = lat2 * DegToRad;
        var dp = p2 - p1;
        var dl = (lon2 - lon1) * DegToRad;
        var s1 = Math.Sin(dp / 2);
        var s2 = Math.Sin(dl / 2);
        var a = s1 * s1 + Math.Cos(p1) * Math.Cos(p2) * s2 * s2;
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    public static double KmToMiles(double km) => km / KmPerMile;

    /// <summary>The unit vector of a point on the sphere.</summary>
    public static (double X, double Y, double Z) ToUnitVector(double lat, double lon)
    {
        var p = lat * DegToRad;
        var l = lon * DegToRad;
        var c = Math.Cos(p);
        return (c * Math.Cos(l), c * Math.Sin(l), Math.Sin(p));
    }

    /// <summary>Great-circle km from the squared chord between two unit vectors.</summary>
    public static double KmFromChordSquared(double chord2)
    {
        var half = Math.Sqrt(chord2) / 2;
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, half));
    }

    /// <summary>Squared chord of a great-circle distance in km (for radius bounds).</summary>
    public static double ChordSquaredFromKm(double km)
    {
        var angle = km / EarthRadiusKm;
        if (angle >= Math.PI) return 4.0;
        var c = 2 * Math.Sin(angle / 2);
        return c * c;
    }

    /// <summary>The point reached going <paramref name="km"/> from a start on a bearing (degrees).</summary>
    public static (double Lat, double Lon) Destination(double lat, double lon, double bearingDeg, double km)
    {
        var d = km / EarthRadiusKm;
        var b = bearingDeg * DegToRad;
        var p1 = lat * DegToRad;
        var l1 = lon * DegToRad;
        var p2 = Math.Asin(Math.Sin(p1) * Math.Cos(d) + Math.Cos(p1) * Math.Sin(d) * Math.Cos(b));
        var l2 = l1 + Math.Atan2(Math.Sin(b) * Math.Sin(d) * Math.Cos(p1), Math.Cos(d) - Math.Sin(p1) * Math.Sin(p2));
        var lonDeg = (l2 / DegToRad + 540) % 360 - 180;
        return (p2 / DegToRad, lonDeg);
    }
}
