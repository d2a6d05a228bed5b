using ReferralDirectory.Generation;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;
using ReferralDirectory.Search;

namespace ReferralDirectory.Tests.Search;

/// <summary>The KD-tree search returns exactly what a brute-force scan over every listing returns.</summary>
public class KdTreeExactnessTests
{
    private static readonly string[] Languages = ["es", "zh", "vi", "ar", "fr", "ko", "ru", "tl", "ht", "pt", "so", "am", "sw", "hmn", "ne", "en"];

    [Test]
    public void NearestMatchesBruteForce()
    {
        var index = new DirectoryIndex(new ReferralDirectory.Safety.ConfidentialLocationPolicy(null));
        var generated = new DirectoryGenerator(1).Generate(20000).ToList();
        index.Load(generated);
        var snap = index.Current;
        var listings = snap.All().ToArray();
        Assert.That(listings, Has.Length.EqualTo(20000));
        // Unit vectors of every public search point (without a gazetteer a confidential location has none, as in the index).
        var vectors = listings.Select(l => l.Points.Select(p => GeoMath.ToUnitVector(p.Latitude, p.Longitude)).ToArray()).ToArray();
        var rng = new Random(12345);
        var now = new DateTimeOffset(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);
        var totalHits = 0;
        for (var q = 0; q < 1000; q++)
        {
            double lat, lon;
            if (rng.NextDouble() < 0.8)
            {
                var l = generated[rng.Next(generated.Count)];
                var loc = l.Locations[rng.Next(l.Locations.Count)];
                lat = Math.Clamp(loc.Latitude!.Value + (rng.NextDouble() - 0.5) * 2, -90, 90);
                lon = Math.Clamp(loc.Longitude!.Value + (rng.NextDouble() - 0.5) * 2, -180, 180);
            }
            else
            {
                lat = rng.NextDouble() * 180 - 90;
                lon = rng.NextDouble() * 360 - 180;
            }
            var filter = RandomFilter(rng);
            var k = rng.Next(1, 26);
            double? radius = rng.NextDouble() < 0.3 ? rng.NextDouble() * 300 : null;

            var actual = snap.Nearest(lat, lon, k, filter, now, radius);

            var f = new CompiledFilter(filter, now);
            var (qx, qy, qz) = GeoMath.ToUnitVector(lat, lon);
            var bound = radius is { } r ? GeoMath.ChordSquaredFromKm(r) : double.PositiveInfinity;
            var expected = new List<(double D, string Id, IndexedListing L)>();
            for (var i = 0; i < listings.Length; i++)
            {
                if (!f.Matches(listings[i])) continue;
                var best = double.PositiveInfinity;
                foreach (var (x, y, z) in vectors[i])
                {
                    var d = (x - qx) * (x - qx) + (y - qy) * (y - qy) + (z - qz) * (z - qz);
                    if (d < best) best = d;
                }
                // A listing without a public point (here: a confidential location of unknown county) cannot be ranked.
                if (double.IsFinite(best) && best <= bound) expected.Add((best, listings[i].Id, listings[i]));
            }
            expected.Sort((a, b) => a.D != b.D ? a.D.CompareTo(b.D) : string.CompareOrdinal(a.Id, b.Id));
            var want = expected.Take(k).ToList();

            Assert.That(actual.Select(h => h.Listing.Id).ToArray(), Is.EqualTo(want.Select(w => w.Id).ToArray()),
                $"query {q}: ({lat}, {lon}) k={k} radius={radius}");
            for (var i = 0; i < actual.Count; i++)
            {
                // The reported distance is the great-circle distance to the listing's nearest search point.
                var l = want[i].L;
                var km = l.Points.Min(p => GeoMath.DistanceKm(lat, lon, p.Latitude, p.Longitude));
                Assert.That(actual[i].DistanceKm, Is.EqualTo(km).Within(1e-6), $"query {q}, hit {i}");
            }
            totalHits += actual.Count;
        }
        Assert.That(totalHits, Is.GreaterThan(1000), "the random filters should not be so strict that nothing matches");
    }

    private static SearchFilter RandomFilter(Random rng)
    {
        static string[] Pick(Random rng, IReadOnlyList<string> all, int max)
        {
            var n = rng.Next(1, max + 1);
            return Enumerable.Range(0, n).Select(_ => all[rng.Next(all.Count)]).Distinct().ToArray();
        }
        return new SearchFilter
        {
            Services = rng.NextDouble() < 0.7 ? Pick(rng, Taxonomy.All.Select(c => c.Code).ToArray(), 3) : [],
            Kinds = rng.NextDouble() < 0.25 ? Pick(rng, ListingKinds.All.Select(c => c.Code).ToArray(), 2) : [],
            Populations = rng.NextDouble() < 0.2 ? Pick(rng, Populations.All.Select(c => c.Code).ToArray(), 1) : [],
            TraffickingTypes = rng.NextDouble() < 0.15 ? Pick(rng, TraffickingTypes.All.Select(c => c.Code).ToArray(), 1) : [],
            Languages = rng.NextDouble() < 0.15 ? Pick(rng, Languages, 1) : [],
            Only24x7 = rng.NextDouble() < 0.15,
            FreeOfCharge = rng.NextDouble() < 0.1,
            OpenNow = rng.NextDouble() < 0.1,
        };
    }
}
