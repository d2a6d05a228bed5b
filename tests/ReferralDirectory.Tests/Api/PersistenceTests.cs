using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Api;

public sealed class PersistenceTests
{
    [Test]
    public async Task A_listing_written_is_found_at_once_and_again_after_a_restart_on_the_same_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "rd-tests", Guid.NewGuid().ToString("N"), "directory.db");
        var listing = new Listing
        {
            Id = "persisted-clinic",
            Kind = ListingKinds.VictimServiceAgency,
            Name = "Persisted Clinic",
            Services = [new Service { Id = "persisted-clinic-1", Name = "Medical care", TaxonomyCodes = ["medical-care"] }],
            Locations = [new Location { Id = "persisted-clinic-l1", Latitude = 37.1500, Longitude = -94.4500, Address = new Address { City = "Joplin", State = "MO", CountyFips = "29097" } }],
            Populations = ["adults"],
        };
        try
        {
            using (var first = new DirectoryApp(path))
            {
                using var client = first.Client();
                await first.Service<DirectoryService>().CreateAsync(listing);
                var found = await client.GetJsonAsync("/v1/resources/nearest?lat=37.15&lon=-94.45&service=medical-care&limit=1");
                Assert.That(found.Ids("results"), Is.EqualTo(new[] { "persisted-clinic" }), "the next search finds the new listing");
            }
            using (var second = new DirectoryApp(path))
            {
                using var client = second.Client();
                var again = await client.GetJsonAsync("/v1/resources/persisted-clinic");
                Assert.That(again.GetProperty("name").GetString(), Is.EqualTo("Persisted Clinic"));
                var found = await client.GetJsonAsync("/v1/resources/nearest?lat=37.15&lon=-94.45&service=medical-care&limit=1");
                Assert.That(found.Ids("results"), Is.EqualTo(new[] { "persisted-clinic" }));
                // The demo directory was seeded once, not again on the second start.
                var hotlines = await client.GetJsonAsync("/v1/hotlines?lat=37.0842&lon=-94.5133");
                Assert.That(hotlines.Ids("hotlines").Count(id => id == "national-human-trafficking-hotline"), Is.EqualTo(1));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }
}
