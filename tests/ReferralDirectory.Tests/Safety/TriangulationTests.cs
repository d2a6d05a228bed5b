using System.Globalization;
using System.Text.Json;
using ReferralDirectory.Geo;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Safety;

/// <summary>
/// The attack the safety rules forbid: from many chosen points, use what the public API says about a confidential
/// shelter (banded distances, nearest order, radius membership) to estimate where it is. Public answers rank it by its
/// county's fixed point, so the best estimate an attacker can make is that point: nothing finer than the county. The
/// test plays the attacker, checks the attack works (it finds the county's point), and that the shelter is still at
/// least 5 km from the estimate.
/// </summary>
[TestFixture]
public sealed class TriangulationTests
{
    private const string Shelter = "demo-boone-county-safe-house";
    private const double TrueLat = 39.0030, TrueLon = -92.1564; // what the store holds (never served publicly)

    [Test]
    public async Task Many_queries_find_only_the_county_never_the_shelter()
    {
        var (countyLat, countyLon) = ReferralDirectory.Safety.ConfidentialLocationPolicy.Default.RankingPoint("29019")!.Value;
        using var app = new DirectoryApp();
        await Attack(app, countyLat, countyLon);
    }

    private static async Task Attack(DirectoryApp app, double standInLat, double standInLon)
    {
        using var client = app.Client();
        var observations = new List<(double Lat, double Lon, double Km)>();
        var radiusIn = new List<(double Lat, double Lon, double R)>();
        var radiusOut = new List<(double Lat, double Lon, double R)>();
        var rng = new Random(2026);
        // 600 points: a grid over ±0.6° around the shelter's city plus random points, as an attacker would choose.
        var points = new List<(double, double)>();
        for (var i = -12; i <= 12; i++)
            for (var j = -12; j <= 12; j++)
                points.Add((TrueLat + i * 0.05, TrueLon + j * 0.06));
        while (points.Count < 600) points.Add((TrueLat + (rng.NextDouble() - 0.5) * 1.2, TrueLon + (rng.NextDouble() - 0.5) * 1.5));
        foreach (var (lat, lon) in points)
        {
            var q = $"lat={lat.ToString(CultureInfo.InvariantCulture)}&lon={lon.ToString(CultureInfo.InvariantCulture)}";
            var body = await client.GetJsonAsync($"/v1/resources/nearest?{q}&service=emergency-shelter&limit=50");
            var hit = body.Items("results").Single(r => r.GetProperty("id").GetString() == Shelter);
            observations.Add((lat, lon, hit.GetProperty("distance").GetProperty("km").GetDouble()));
            Assert.That(hit.TryGetProperty("latitude", out _), Is.False, "a confidential card carries no coordinates");
            Assert.That(hit.GetProperty("confidential").GetBoolean(), Is.True);
            // Radius probing: is it within r km?
            var r = 2 + rng.Next(20);
            var within = await client.GetJsonAsync($"/v1/resources/nearest?{q}&service=emergency-shelter&limit=50&radiusKm={r}");
            if (within.Ids("results").Contains(Shelter)) radiusIn.Add((lat, lon, r)); else radiusOut.Add((lat, lon, r));
        }
        Assert.That(observations, Has.Count.GreaterThanOrEqualTo(500));

        // The attacker's estimator: every candidate on a fine grid, scored by how many observations it explains
        // (a banded distance km means the true distance is in (km - 5, km]); the estimate is the mean of the best.
        var best = new List<(double Lat, double Lon)>();
        var bestScore = -1;
        for (var la = TrueLat - 0.6; la <= TrueLat + 0.6; la += 0.005)
        {
            for (var lo = TrueLon - 0.75; lo <= TrueLon + 0.75; lo += 0.006)
            {
                var score = 0;
                foreach (var o in observations)
                {
                    var d = GeoMath.DistanceKm(o.Lat, o.Lon, la, lo);
                    if (d > o.Km - 5 && d <= o.Km) score++;
                }
                foreach (var o in radiusIn) if (GeoMath.DistanceKm(o.Lat, o.Lon, la, lo) <= o.R) score++;
                foreach (var o in radiusOut) if (GeoMath.DistanceKm(o.Lat, o.Lon, la, lo) > o.R) score++;
                if (score > bestScore) { bestScore = score; best.Clear(); }
                if (score == bestScore) best.Add((la, lo));
            }
        }
        var estLat = best.Average(b => b.Lat);
        var estLon = best.Average(b => b.Lon);
        var error = GeoMath.DistanceKm(estLat, estLon, TrueLat, TrueLon);
        var fromStandIn = GeoMath.DistanceKm(estLat, estLon, standInLat, standInLon);
        TestContext.Out.WriteLine($"attack used {observations.Count} distance and {radiusIn.Count + radiusOut.Count} radius answers; " +
                                  $"{best.Count} best candidates explain {bestScore}; estimate is {error:F1} km from the shelter, " +
                                  $"{fromStandIn:F1} km from the county's point ({GeoMath.DistanceKm(standInLat, standInLon, TrueLat, TrueLon):F1} km from the shelter)");
        Assert.That(error, Is.GreaterThanOrEqualTo(5.0), "the public answers must not locate the shelter within 5 km");
        // The attack does work: it finds the county's point. So this test would catch a leak of the true point.
        Assert.That(fromStandIn, Is.LessThan(2.0), "the estimator locates the county's point");
    }
}
