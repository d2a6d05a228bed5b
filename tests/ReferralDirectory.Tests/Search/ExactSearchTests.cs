using ReferralDirectory.Generation;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;
using ReferralDirectory.Search;

namespace ReferralDirectory.Tests.Search;

/// <summary>The caseworker search ranks confidential locations by their true points: equal to brute force.</summary>
public sealed class ExactSearchTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);

    [Test]
    public void Exact_nearest_equals_brute_force_over_true_points_and_public_nearest_does_not_use_them()
    {
        var listings = new DirectoryGenerator(5).Generate(8000).ToList();
        Assert.That(listings.Count(l => l.Locations.Any(x => x.Confidential)), Is.GreaterThan(100), "the generator makes confidential shelters");
        var index = new DirectoryIndex(ReferralDirectory.Safety.ConfidentialLocationPolicy.Default, ReferralDirectory.Places.Gazetteer.Default);
        index.Load(listings.Take(7000));
        index.Apply(listings.Skip(7000).ToList(), []); // some in the overlay too
        var rng = new Random(17);
        var differs = 0;
        for (var q = 0; q < 300; q++)
        {
            var seed = listings[rng.Next(listings.Count)].Locations[0];
            var lat = seed.Latitude!.Value + (rng.NextDouble() - 0.5) * 0.2;
            var lon = seed.Longitude!.Value + (rng.NextDouble() - 0.5) * 0.2;
            var k = 1 + rng.Next(15);
            var service = rng.Next(2) == 0 ? null : Taxonomy.All[rng.Next(Taxonomy.All.Count)].Code;
            var filter = service is null ? SearchFilter.None : new SearchFilter { Services = [service] };
            var expected = listings
                .Where(l => service is null || l.Services.Any(s => s.TaxonomyCodes.Contains(service)))
                .Select(l => (l.Id, Km: l.Locations.Min(x => GeoMath.DistanceKm(lat, lon, x.Latitude!.Value, x.Longitude!.Value))))
                .OrderBy(x => x.Km).ThenBy(x => x.Id, StringComparer.Ordinal).Take(k).ToArray();
            var exact = index.Current.Nearest(lat, lon, k, filter, Now, exact: true);
            Assert.That(exact.Select(h => h.Listing.Id), Is.EqualTo(expected.Select(e => e.Id)), $"query {q}");
            for (var i = 0; i < exact.Count; i++) Assert.That(exact[i].DistanceKm, Is.EqualTo(expected[i].Km).Within(1e-6));
            var pub = index.Current.Nearest(lat, lon, k, filter, Now);
            if (!pub.Select(h => h.Listing.Id).SequenceEqual(exact.Select(h => h.Listing.Id))) differs++;
        }
        Assert.That(differs, Is.GreaterThan(0), "public answers rank confidential shelters by their county's point, not the true points");
    }
}
