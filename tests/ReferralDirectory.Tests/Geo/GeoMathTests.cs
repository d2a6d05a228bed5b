using ReferralDirectory.Geo;

namespace ReferralDirectory.Tests.Geo;

public sealed class GeoMathTests
{
    /// <summary>An independent oracle: Vincenty's inverse formula on the WGS84 ellipsoid (metres).</summary>
    private static double VincentyMetres(double lat1, double lon1, double lat2, double lon2)
    {
        const double a = 6378137.0, f = 1 / 298.257223563, b = a * (1 - f);
        double Rad(double d) => d * Math.PI / 180;
        var L = Rad(lon2 - lon1);
        var U1 = Math.Atan((1 - f) * Math.Tan(Rad(lat1)));
        var U2 = Math.Atan((1 - f) * Math.Tan(Rad(lat2)));
        double sinU1 = Math.Sin(U1), cosU1 = Math.Cos(U1), sinU2 = Math.Sin(U2), cosU2 = Math.Cos(U2);
        double lambda = L, sinSigma, cosSigma, sigma, cosSqAlpha, cos2SigmaM;
        var iterations = 0;
        double lambdaP;
        do
        {
            var sinLambda = Math.Sin(lambda); var cosLambda = Math.Cos(lambda);
            sinSigma = Math.Sqrt(Math.Pow(cosU2 * sinLambda, 2) + Math.Pow(cosU1 * sinU2 - sinU1 * cosU2 * cosLambda, 2));
            cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
            sigma = Math.Atan2(sinSigma, cosSigma);
            var sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
            cosSqAlpha = 1 - sinAlpha * sinAlpha;
            cos2SigmaM = cosSigma - 2 * sinU1 * sinU2 / cosSqAlpha;
            var C = f / 16 * cosSqAlpha * (4 + f * (4 - 3 * cosSqAlpha));
            lambdaP = lambda;
            lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
        } while (Math.Abs(lambda - lambdaP) > 1e-12 && ++iterations < 200);
        var uSq = cosSqAlpha * (a * a - b * b) / (b * b);
        var A = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
        var B = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
        var deltaSigma = B * sinSigma * (cos2SigmaM + B / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
            - B / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
        return b * A * (sigma - deltaSigma);
    }

    [Test]
    public void Oracle_matches_the_published_Flinders_Peak_to_Buninyong_geodesic()
    {
        // Geoscience Australia's worked example: 54,972.271 m on the ellipsoid (GRS80 ≈ WGS84 at this precision).
        var lat1 = -(37 + 57 / 60.0 + 3.72030 / 3600); var lon1 = 144 + 25 / 60.0 + 29.52440 / 3600;
        var lat2 = -(37 + 39 / 60.0 + 10.15610 / 3600); var lon2 = 143 + 55 / 60.0 + 35.38390 / 3600;
        Assert.That(VincentyMetres(lat1, lon1, lat2, lon2), Is.EqualTo(54972.271).Within(0.01));
    }

    // City pairs (city-centre coordinates) with their WGS84 geodesic distance in km (Vincenty, to 0.1 km).
    [TestCase(38.6270, -90.1994, 39.0997, -94.5786, 383.6, TestName = "St. Louis to Kansas City")]
    [TestCase(38.6270, -90.1994, 38.9517, -92.3341, 188.9, TestName = "St. Louis to Columbia MO")]
    [TestCase(39.0997, -94.5786, 37.2090, -93.2923, 238.2, TestName = "Kansas City to Springfield MO")]
    [TestCase(40.7128, -74.0060, 34.0522, -118.2437, 3944.4, TestName = "New York to Los Angeles")]
    [TestCase(41.8781, -87.6298, 29.7604, -95.3698, 1514.0, TestName = "Chicago to Houston")]
    [TestCase(47.6062, -122.3321, 25.7617, -80.1918, 4400.5, TestName = "Seattle to Miami")]
    [TestCase(61.2181, -149.9003, 21.3069, -157.8583, 4475.7, TestName = "Anchorage to Honolulu")]
    public void Distance_is_within_half_a_percent_of_the_ellipsoidal_geodesic(double lat1, double lon1, double lat2, double lon2, double wgs84Km)
    {
        var km = GeoMath.DistanceKm(lat1, lon1, lat2, lon2);
        var geodesicKm = VincentyMetres(lat1, lon1, lat2, lon2) / 1000;
        Assert.That(Math.Abs(km - geodesicKm) / geodesicKm, Is.LessThan(0.005), $"sphere {km:F1} km vs ellipsoid {geodesicKm:F1} km");
        Assert.That(geodesicKm, Is.EqualTo(wgs84Km).Within(0.05), "the oracle gives the tabulated geodesic");
        Assert.That(km, Is.EqualTo(wgs84Km).Within(wgs84Km * 0.005), "within 0.5 % of the geodesic");
        Assert.That(GeoMath.DistanceKm(lat2, lon2, lat1, lon1), Is.EqualTo(km).Within(1e-9), "symmetric");
    }

    [Test]
    public void Chord_conversions_round_trip_and_preserve_order()
    {
        foreach (var km in new[] { 0.0, 0.001, 1, 10, 500, 5000, 15000, 20000 })
        {
            Assert.That(GeoMath.KmFromChordSquared(GeoMath.ChordSquaredFromKm(km)), Is.EqualTo(km).Within(1e-6 + km * 1e-9));
        }
        var (x1, y1, z1) = GeoMath.ToUnitVector(38.6270, -90.1994);
        var (x2, y2, z2) = GeoMath.ToUnitVector(39.0997, -94.5786);
        var chord2 = (x1 - x2) * (x1 - x2) + (y1 - y2) * (y1 - y2) + (z1 - z2) * (z1 - z2);
        Assert.That(GeoMath.KmFromChordSquared(chord2), Is.EqualTo(GeoMath.DistanceKm(38.6270, -90.1994, 39.0997, -94.5786)).Within(1e-6));
    }

    [Test]
    public void Destination_travels_the_given_distance()
    {
        var (lat, lon) = GeoMath.Destination(38.6270, -90.1994, 73, 250);
        Assert.That(GeoMath.DistanceKm(38.6270, -90.1994, lat, lon), Is.EqualTo(250).Within(1e-6));
    }
}
