using System.Globalization;
using System.Text.Json;
using ReferralDirectory.Geo;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Safety;

/// <summary>
/// The attack the safety rules forbid: from many chosen points, use what the public API says about a confidential
/// shelter (banded distances, nearest order, radius membership) to estimate where it is. The estimate must stay
/// at least 5 km off. Each case fixes the server secret (so the stand-in, and the run, are reproducible); the cases
/// put the stand-in at different distances and directions from the shelter.
/// </summary>
[TestFixture]
public sealed class TriangulationTests
{
    private const string Shelter = "demo-boone-county-safe-house";
    private const double TrueLat = 38.9517, TrueLon = -92.3341; // what the store holds (never served publicly)

    private const string ShelterLocation = "demo-boone-county-safe-house-loc-1";

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task Many_queries_cannot_locate_a_confidential_shelter_within_5_km(int secretSeed)
    {
        var secret = new byte[32];
        new Random(secretSeed).NextBytes(secret);
        var dir = Path.Combine(Path.GetTempPath(), "rd-tests", "triangulation-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(dir, "directory.db");
        var store = new ReferralDirectory.Storage.SqliteDirectoryStore(path, TimeProvider.System);
        await store.InitializeAsync();
        await store.ImportSecretAsync(ReferralDirectory.Search.ConfidentialPoints.SecretName, secret);
        var (standInLat, standInLon) = new ReferralDirectory.Search.ConfidentialPoints(secret).StandIn(Shelter, ShelterLocation, TrueLat, TrueLon);
        try
        {
            await Attack(path, standInLat, standInLon);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }

    private static async Task Attack(string path, double standInLat, double standInLon)
    {
        using var app = new DirectoryApp(path);
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
            var hit = body.Items("results").Single(r => r.GetProperty("resource").GetProperty("id").GetString() == Shelter);
            observations.Add((lat, lon, hit.GetProperty("distance").GetProperty("km").GetDouble()));
            Assert.That(hit.GetProperty("resource").GetProperty("locations")[0].GetProperty("latitude").ValueKind, Is.EqualTo(JsonValueKind.Null));
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
                                  $"{fromStandIn:F1} km from the stand-in ({GeoMath.DistanceKm(standInLat, standInLon, TrueLat, TrueLon):F1} km from the shelter)");
        Assert.That(error, Is.GreaterThanOrEqualTo(5.0), "the public answers must not locate the shelter within 5 km");
        // The attack does work: it finds the stand-in. So this test would catch a leak of the true point.
        Assert.That(fromStandIn, Is.LessThan(2.0), "the estimator locates the stand-in");
    }
}
