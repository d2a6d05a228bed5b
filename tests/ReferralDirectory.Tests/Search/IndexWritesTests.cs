using ReferralDirectory.Generation;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;
using ReferralDirectory.Search;

namespace ReferralDirectory.Tests.Search;

/// <summary>Writes after the index was built (overlay, tombstones, background rebuild) keep answers exact.</summary>
public sealed class IndexWritesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);

    private static string[] Brute(IEnumerable<Listing> listings, double lat, double lon, int k, string? service) =>
        [.. listings.Where(l => l.Locations.Count > 0 && (service is null || l.Services.Any(s => s.TaxonomyCodes.Contains(service))))
            .Select(l => (l.Id, Km: l.Locations.Where(x => !x.Confidential).Select(x => GeoMath.DistanceKm(lat, lon, x.Latitude!.Value, x.Longitude!.Value)).DefaultIfEmpty(double.MaxValue).Min()))
            .Where(x => x.Km < double.MaxValue)
            .OrderBy(x => x.Km).ThenBy(x => x.Id, StringComparer.Ordinal).Take(k).Select(x => x.Id)];

    [Test]
    public async Task Upserts_and_removals_through_overlay_and_rebuild_stay_exact()
    {
        // No confidential locations here, so brute force can use the true points.
        var all = new DirectoryGenerator(3).Generate(3000).Select(l => l with { Locations = [.. l.Locations.Select(x => x with { Confidential = false })] })
            .ToDictionary(l => l.Id);
        var index = new DirectoryIndex(new ReferralDirectory.Safety.ConfidentialLocationPolicy(null), minOverlayLimit: 100);
        index.Load(all.Values);
        var rng = new Random(11);
        var extra = new DirectoryGenerator(4).Generate(400).Select((l, i) => l with { Id = $"new-{i:D4}", Locations = [.. l.Locations.Select(x => x with { Confidential = false })] }).ToList();
        for (var step = 0; step < 400; step++)
        {
            switch (rng.Next(3))
            {
                case 0:
                    all[extra[step].Id] = extra[step];
                    index.Upsert(extra[step]);
                    break;
                case 1:
                {
                    // Move an existing listing somewhere else.
                    var victim = all.Values.ElementAt(rng.Next(all.Count));
                    var moved = victim with { Locations = [victim.Locations[0] with { Latitude = 30 + rng.NextDouble() * 15, Longitude = -120 + rng.NextDouble() * 40 }] };
                    all[moved.Id] = moved;
                    index.Upsert(moved);
                    break;
                }
                default:
                {
                    var victim = all.Keys.ElementAt(rng.Next(all.Count));
                    all.Remove(victim);
                    index.Remove(victim);
                    break;
                }
            }
            if (step % 20 == 0)
            {
                var lat = 25 + rng.NextDouble() * 24; var lon = -124 + rng.NextDouble() * 57;
                var service = rng.Next(2) == 0 ? null : Taxonomy.All[rng.Next(Taxonomy.All.Count)].Code;
                var filter = service is null ? SearchFilter.None : new SearchFilter { Services = [service] };
                var got = index.Current.Nearest(lat, lon, 10, filter, Now).Select(h => h.Listing.Id).ToArray();
                Assert.That(got, Is.EqualTo(Brute(all.Values, lat, lon, 10, service)), $"step {step}");
            }
        }
        await index.RebuildTask;
        Assert.That(index.Current.Count, Is.EqualTo(all.Count));
        Assert.That(index.Current.Get(all.Keys.First()), Is.Not.Null);
        var final = index.Current.Nearest(38.6, -90.2, 25, SearchFilter.None, Now).Select(h => h.Listing.Id);
        Assert.That(final, Is.EqualTo(Brute(all.Values, 38.6, -90.2, 25, null)));
    }
}
