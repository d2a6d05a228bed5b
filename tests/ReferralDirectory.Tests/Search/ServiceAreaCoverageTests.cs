using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Search;

namespace ReferralDirectory.Tests.Search;

/// <summary>Who serves here, against real county and state boundaries from the gazetteer.</summary>
public sealed class ServiceAreaCoverageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);
    private DirectoryIndex _index = null!;

    private static Listing Serving(string id, params ServiceArea[] areas) => new()
    {
        Id = id, Kind = ListingKinds.VictimServiceAgency, Name = id, ServiceAreas = [.. areas],
    };

    [OneTimeSetUp]
    public void Build()
    {
        _index = new DirectoryIndex(ReferralDirectory.Safety.ConfidentialLocationPolicy.Default, Gazetteer.Default);
        _index.Load(
        [
            Serving("boone", new ServiceArea { Type = ServiceAreaTypes.County, Code = "29019" }),
            Serving("callaway", new ServiceArea { Type = ServiceAreaTypes.County, Code = "29027" }),
            Serving("missouri", new ServiceArea { Type = ServiceAreaTypes.State, Code = "MO" }),
            Serving("kansas", new ServiceArea { Type = ServiceAreaTypes.State, Code = "KS" }),
            Serving("nation", new ServiceArea { Type = ServiceAreaTypes.Nationwide }),
            Serving("drawn", new ServiceArea
            {
                Type = ServiceAreaTypes.Polygon,
                GeoJson = """{"type":"Polygon","coordinates":[[[-92.5,38.8],[-92.2,38.8],[-92.2,39.1],[-92.5,39.1],[-92.5,38.8]]]}""",
            }),
        ]);
    }

    private string[] At(double lat, double lon) =>
        [.. _index.Current.Covering(lat, lon, SearchFilter.None, Now).Select(h => h.Listing.Id).Order(StringComparer.Ordinal)];

    [Test]
    public void Inside_Boone_County()
    {
        // Downtown Columbia.
        Assert.That(At(38.9517, -92.3341), Is.EqualTo(new[] { "boone", "drawn", "missouri", "nation" }));
    }

    [Test]
    public void Outside_Boone_County_in_a_neighbouring_county()
    {
        // Fulton, Callaway County.
        Assert.That(At(38.8467, -91.9479), Is.EqualTo(new[] { "callaway", "missouri", "nation" }));
        // Jefferson City, Cole County: only the state and the nation.
        Assert.That(At(38.5767, -92.1735), Is.EqualTo(new[] { "missouri", "nation" }));
    }

    [Test]
    public void On_the_Boone_Callaway_border_both_counties_serve()
    {
        // A vertex shared by the two county outlines.
        var boone = Gazetteer.Default.CountyBoundary("29019")!;
        var callaway = Gazetteer.Default.CountyBoundary("29027")!;
        var shared = boone.Coordinates.First(c => callaway.Coordinates.Any(d => d.Equals2D(c)));
        var ids = At(shared.Y, shared.X);
        Assert.That(ids, Does.Contain("boone").And.Contain("callaway").And.Contain("missouri"));
        // Just off that vertex, one side is Boone only and another Callaway only.
        var around = new[] { (0.01, 0.0), (-0.01, 0.0), (0.0, 0.01), (0.0, -0.01) }.Select(d => At(shared.Y + d.Item1, shared.X + d.Item2)).ToArray();
        Assert.That(around.Any(a => a.Contains("boone") && !a.Contains("callaway")), Is.True);
        Assert.That(around.Any(a => a.Contains("callaway") && !a.Contains("boone")), Is.True);
    }

    [Test]
    public void State_borders()
    {
        // St. Louis is in Missouri; East St. Louis, across the river, is in Illinois.
        Assert.That(At(38.6270, -90.1994), Is.EqualTo(new[] { "missouri", "nation" }));
        Assert.That(At(38.6245, -90.1509), Is.EqualTo(new[] { "nation" }));
        // Kansas City, Kansas.
        Assert.That(At(39.1141, -94.6275), Is.EqualTo(new[] { "kansas", "nation" }));
        // A vertex on the Missouri-Kansas line is in both states.
        var mo = Gazetteer.Default.StateBoundary("MO")!;
        var ks = Gazetteer.Default.StateBoundary("KS")!;
        var shared = mo.Coordinates.First(c => ks.Coordinates.Any(d => d.Equals2D(c)));
        Assert.That(At(shared.Y, shared.X), Does.Contain("kansas").And.Contain("missouri"));
    }

    [Test]
    public void Drawn_area_edges()
    {
        Assert.That(At(38.8, -92.35), Does.Contain("drawn"), "on the edge counts as inside");
        Assert.That(At(38.79, -92.35), Does.Not.Contain("drawn"));
    }

    [Test]
    public void Coverage_follows_writes_after_the_index_was_built()
    {
        var index = new DirectoryIndex(ReferralDirectory.Safety.ConfidentialLocationPolicy.Default, Gazetteer.Default);
        index.Load([Serving("boone", new ServiceArea { Type = ServiceAreaTypes.County, Code = "29019" })]);
        index.Upsert(Serving("late", new ServiceArea { Type = ServiceAreaTypes.County, Code = "29019" }));
        var ids = index.Current.Covering(38.9517, -92.3341, SearchFilter.None, Now).Select(h => h.Listing.Id);
        Assert.That(ids, Is.EquivalentTo(new[] { "boone", "late" }));
        index.Remove("boone");
        ids = index.Current.Covering(38.9517, -92.3341, SearchFilter.None, Now).Select(h => h.Listing.Id);
        Assert.That(ids, Is.EquivalentTo(new[] { "late" }));
    }
}
