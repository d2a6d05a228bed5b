using NetTopologySuite.Geometries;
using ReferralDirectory.Places;

namespace ReferralDirectory.Tests.Places;

[TestFixture]
public class GazetteerTests
{
    private static Gazetteer G => Gazetteer.Default;

    private const string Boone = "29019";

    // ------------------------------------------------------------ ZIP codes

    [Test]
    public void Zip63101_IsSaintLouisMissouri()
    {
        var z = G.FindZip("63101");
        Assert.That(z, Is.Not.Null);
        Assert.That(z!.Zip, Is.EqualTo("63101"));
        Assert.That(z.City, Is.EqualTo("Saint Louis")); // USPS spelling
        Assert.That(z.State, Is.EqualTo("MO"));
        Assert.That(z.Latitude, Is.EqualTo(38.63).Within(0.01));
        Assert.That(z.Longitude, Is.EqualTo(-90.19).Within(0.01));
        Assert.That(G.Locate(z.Latitude, z.Longitude).County?.Fips, Is.EqualTo("29510")); // St. Louis city
    }

    [TestCase("63101-1234")]
    [TestCase(" 63101 ")]
    [TestCase("631011234")]
    public void ZipPlusFour_IsAccepted(string input) =>
        Assert.That(G.FindZip(input), Is.EqualTo(G.FindZip("63101")));

    [TestCase("00000")]
    [TestCase("6310")]
    [TestCase("6310A")]
    [TestCase("63101-12")]
    [TestCase("")]
    [TestCase(null)]
    public void UnknownOrMalformedZip_IsNull(string? input) => Assert.That(G.FindZip(input), Is.Null);

    [Test]
    public void Zip65201_IsColumbiaMissouri_InBooneCounty()
    {
        var z = G.FindZip("65201")!;
        Assert.That((z.City, z.State), Is.EqualTo(("Columbia", "MO")));
        Assert.That(G.Locate(z.Latitude, z.Longitude).County?.Fips, Is.EqualTo(Boone));
    }

    [Test]
    public void ZipsAndCities_AreAllLoaded()
    {
        Assert.That(G.ZipCount, Is.EqualTo(42_254));
        Assert.That(G.Zips.Count(), Is.EqualTo(G.ZipCount));
        Assert.That(G.CityCount, Is.EqualTo(29_965));
    }

    [Test]
    public void ZipCentroids_LieInTheirOwnState()
    {
        // Data consistency between the ZIP table and the boundaries: nearly every ZIP centroid of a
        // state with boundaries is inside that state (a few sit offshore or just across a state line).
        var withBoundary = G.Zips.Where(z => G.State(z.State) is not null).ToList();
        var inside = withBoundary.Count(z => G.StateCodesCovering(z.Latitude, z.Longitude).Contains(z.State));
        Assert.That(withBoundary, Has.Count.GreaterThan(41_000));
        Assert.That((double)inside / withBoundary.Count, Is.GreaterThan(0.98));
        // ZIP codes without a state boundary are the military (AA, AE, AP) and freely associated states.
        var others = G.Zips.Where(z => G.State(z.State) is null).Select(z => z.State).Distinct().Order().ToArray();
        Assert.That(others, Is.EqualTo(new[] { "AA", "AE", "AP", "FM", "MH", "PW" }));
    }

    // ------------------------------------------------------------ cities

    [Test]
    public void ColumbiaMO_ResolvesInsideBooneCounty()
    {
        var m = G.FindCity("Columbia, MO");
        Assert.That(m.Found, Is.True);
        Assert.That((m.Place!.City, m.Place.State), Is.EqualTo(("Columbia", "MO")));
        Assert.That(m.Suggestions, Is.Empty);
        Assert.That(G.CountyFipsCovering(m.Place.Latitude, m.Place.Longitude), Is.EqualTo(new[] { Boone }));
    }

    [TestCase("St. Louis, Missouri")]
    [TestCase("saint louis, mo")]
    [TestCase("  ST   LOUIS ,  MO ")]
    [TestCase("St Louis, Mo.")]
    [TestCase("St. Louis MO")]
    [TestCase("St. Louis, MO 63101")]
    public void SaintLouis_Variants_AreEquivalent(string text)
    {
        var m = G.FindCity(text);
        Assert.That(m.Place, Is.Not.Null, text);
        Assert.That((m.Place!.City, m.Place.State), Is.EqualTo(("Saint Louis", "MO")));
        Assert.That(G.Locate(m.Place.Latitude, m.Place.Longitude).State?.Code, Is.EqualTo("MO"));
    }

    [Test]
    public void Misspelt_KansasCity_SuggestsKansasCityMO()
    {
        var m = G.FindCity("Kansas Cty, MO");
        Assert.That(m.Place, Is.Null);
        Assert.That(m.Suggestions, Is.Not.Empty.And.Count.LessThanOrEqualTo(5));
        Assert.That(m.Suggestions[0], Is.EqualTo("Kansas City, MO"));
        Assert.That(m.Suggestions, Has.All.EndsWith(", MO")); // within the given state
    }

    [Test]
    public void CityWithoutState_IsFoundOnlyWhenUnique()
    {
        var ambiguous = G.FindCity("Kansas City");
        Assert.That(ambiguous.Place, Is.Null);
        Assert.That(ambiguous.Suggestions, Is.EqualTo(new[] { "Kansas City, MO", "Kansas City, KS" }));

        var columbia = G.FindCity("columbia");
        Assert.That(columbia.Place, Is.Null);
        Assert.That(columbia.Suggestions, Has.Count.EqualTo(5).And.Contains("Columbia, SC").And.Contains("Columbia, MO"));

        var unique = G.FindCity("Albuquerque");
        Assert.That(unique.Place, Is.Not.Null);
        Assert.That(unique.Place!.State, Is.EqualTo("NM"));
    }

    [Test]
    public void UnknownState_SuggestsInEveryState()
    {
        var m = G.FindCity("Kansas Cty, Nowhere");
        Assert.That(m.Place, Is.Null);
        Assert.That(m.Suggestions, Does.Contain("Kansas City, MO").And.Contain("Kansas City, KS"));
    }

    [Test]
    public void StateNameWithoutComma_LongestNameWins()
    {
        Assert.That(G.FindCity("Charleston West Virginia").Place?.State, Is.EqualTo("WV"));
        Assert.That(G.FindCity("Charleston, South Carolina").Place?.State, Is.EqualTo("SC"));
        Assert.That(G.FindCity("New York New York").Place?.State, Is.EqualTo("NY"));
    }

    [Test]
    public void NonsenseCity_HasNoPlace()
    {
        var m = G.FindCity("Qqqqqqqqqq, MO");
        Assert.That(m.Place, Is.Null);
        Assert.That(m.Suggestions, Is.Empty);
        Assert.That(G.FindCity("   ").Found, Is.False);
    }

    // ------------------------------------------------------------ states and counties

    [Test]
    public void States_Are50PlusDcPlus5Territories()
    {
        var codes = G.States.Select(s => s.Code).ToArray();
        Assert.That(codes, Has.Length.EqualTo(56).And.Unique);
        Assert.That(codes, Does.Contain("DC").And.Contain("PR").And.Contain("VI").And.Contain("GU").And.Contain("AS").And.Contain("MP"));
        Assert.That(G.States.Count(s => int.Parse(s.Fips) < 60 && s.Code != "DC"), Is.EqualTo(50));
        Assert.That(G.States.Select(s => s.Fips), Is.Ordered);
    }

    [Test]
    public void Counties_Count()
    {
        Assert.That(G.Counties, Has.Count.EqualTo(3231));
        var territories = new[] { "AS", "GU", "MP", "PR", "VI" };
        Assert.That(G.Counties.Count(c => !territories.Contains(c.StateCode)), Is.EqualTo(3142)); // 50 states + DC
        Assert.That(G.Counties.Count(c => c.StateCode == "PR"), Is.EqualTo(78));
        Assert.That(G.CountiesOf("MO"), Has.Count.EqualTo(115));
    }

    [TestCase("MO")]
    [TestCase("mo")]
    [TestCase("29")]
    [TestCase("Missouri")]
    public void State_ByCodeFipsOrName(string input) =>
        Assert.That(G.State(input), Is.EqualTo(new StateInfo("MO", "29", "Missouri")));

    [Test]
    public void State_Unknown_IsNull()
    {
        Assert.That(G.State("XX"), Is.Null);
        Assert.That(G.State("99"), Is.Null);
        Assert.That(G.State("6")?.Code, Is.EqualTo("CA"));
        Assert.That(G.State("11")?.Name, Is.EqualTo("District of Columbia"));
    }

    [Test]
    public void County_ByFips()
    {
        Assert.That(G.County(Boone), Is.EqualTo(new CountyInfo(Boone, "Boone", "MO")));
        Assert.That(G.County("29510")?.Name, Is.EqualTo("St. Louis"));
        Assert.That(G.County("99999"), Is.Null);
    }

    // ------------------------------------------------------------ reverse lookup

    [Test]
    public void DowntownColumbia_IsBooneCountyMissouri()
    {
        var at = G.Locate(38.9517, -92.3341);
        Assert.That(at.State?.Code, Is.EqualTo("MO"));
        Assert.That(at.County?.Fips, Is.EqualTo(Boone));
        Assert.That(at.County?.Name, Is.EqualTo("Boone"));
    }

    [Test]
    public void GulfOfMexico_IsNowhere()
    {
        var at = G.Locate(26.0, -90.0);
        Assert.That(at.State, Is.Null);
        Assert.That(at.County, Is.Null);
        Assert.That(G.CountyFipsCovering(26.0, -90.0), Is.Empty);
        Assert.That(G.StateCodesCovering(26.0, -90.0), Is.Empty);
        Assert.That(G.Locate(double.NaN, 0).State, Is.Null);
    }

    [Test]
    public void EveryBooneVertex_IsCoveredByBooneAndItsNeighbours()
    {
        var boundary = G.CountyBoundary(Boone)!;
        var neighbours = new SortedSet<string>();
        foreach (var c in boundary.Coordinates)
        {
            var covering = G.CountyFipsCovering(c.Y, c.X);
            Assert.That(covering, Does.Contain(Boone), $"{c}");
            Assert.That(covering, Has.Count.GreaterThanOrEqualTo(2), $"vertex {c} only in Boone");
            neighbours.UnionWith(covering.Where(f => f != Boone));
        }
        // Audrain, Callaway, Cole, Cooper, Howard, Moniteau, Randolph.
        Assert.That(neighbours, Is.EqualTo(new[] { "29007", "29027", "29051", "29053", "29089", "29135", "29175" }));
    }

    [Test]
    public void VertexOnBooneCallawayBorder_IsInBoth()
    {
        // A vertex of Boone's boundary on the Callaway County line (Cedar Creek), taken from the data.
        var vertex = G.CountyBoundary(Boone)!.Coordinates
            .Single(c => Math.Abs(c.Y - 38.9437) < 0.001 && Math.Abs(c.X - -92.1536) < 0.001);
        Assert.That(G.CountyFipsCovering(vertex.Y, vertex.X), Is.EqualTo(new[] { Boone, "29027" }));
        Assert.That(G.CountyBoundary("29027")!.Coordinates, Does.Contain(vertex));
        Assert.That(G.Locate(vertex.Y, vertex.X).County?.Fips, Is.EqualTo(Boone)); // lowest FIPS wins
    }

    [Test]
    public void JustInsideAndJustOutsideBooneCounty()
    {
        // East line (Callaway), at the vertex near 38.9437 N, -92.1536 W.
        Assert.That(G.CountyFipsCovering(38.9437, -92.1636), Is.EqualTo(new[] { Boone }));
        Assert.That(G.CountyFipsCovering(38.9437, -92.1436), Is.EqualTo(new[] { "29027" }));
        // North line (Audrain), about 39.2428 N at -92.2 W.
        Assert.That(G.CountyFipsCovering(39.2328, -92.2), Is.EqualTo(new[] { Boone }));
        Assert.That(G.CountyFipsCovering(39.2528, -92.2), Is.EqualTo(new[] { "29007" }));
    }

    [Test]
    public void Missouri_CoversStLouis_NotEastStLouis()
    {
        Assert.That(G.StateCodesCovering(38.6270, -90.1994), Is.EqualTo(new[] { "MO" }));
        Assert.That(G.Locate(38.6270, -90.1994).County?.Fips, Is.EqualTo("29510"));
        Assert.That(G.StateCodesCovering(38.6245, -90.1509), Is.EqualTo(new[] { "IL" }));
        var eastStLouis = G.Locate(38.6245, -90.1509);
        Assert.That(eastStLouis.State?.Code, Is.EqualTo("IL"));
        Assert.That(eastStLouis.County?.Fips, Is.EqualTo("17163")); // St. Clair County
        var mo = G.StateBoundary("MO")!;
        Assert.That(mo.Covers(new Point(-90.1994, 38.6270)), Is.True);
        Assert.That(mo.Covers(new Point(-90.1509, 38.6245)), Is.False);
    }

    [Test]
    public void KansasCityMissouri_And_KansasCityKansas_AreInDifferentStates()
    {
        var mo = G.Locate(39.0997, -94.5786);
        var ks = G.Locate(39.1141, -94.6275);
        Assert.That((mo.State?.Code, mo.County?.Fips), Is.EqualTo(("MO", "29095"))); // Jackson County
        Assert.That((ks.State?.Code, ks.County?.Fips), Is.EqualTo(("KS", "20209"))); // Wyandotte County
    }

    [Test]
    public void VertexOnMissouriKansasLine_IsInBothStates()
    {
        var ks = G.StateBoundary("KS")!.Coordinates.ToHashSet();
        var shared = G.StateBoundary("MO")!.Coordinates.Where(ks.Contains).ToList();
        Assert.That(shared, Has.Count.GreaterThan(5));
        foreach (var c in shared)
        {
            // Two tri-points also touch Nebraska or Oklahoma.
            var covering = G.StateCodesCovering(c.Y, c.X);
            Assert.That(covering, Does.Contain("KS").And.Contain("MO"), $"{c}");
            Assert.That(covering, Has.Count.EqualTo(2).Or.EquivalentTo(new[] { "KS", "MO", "NE" }).Or.EquivalentTo(new[] { "KS", "MO", "OK" }));
            Assert.That(G.Locate(c.Y, c.X).State?.Code, Is.EqualTo("KS")); // FIPS 20 is the lowest
        }
    }

    [Test]
    public void Boundaries_AreCopies_InLonLat()
    {
        var a = G.CountyBoundary(Boone)!;
        Assert.That(a.Covers(new Point(-92.3341, 38.9517)), Is.True);
        Assert.That(a.EnvelopeInternal.MinX, Is.EqualTo(-92.57).Within(0.01));
        a.Coordinates[0].X = 0; // must not corrupt the gazetteer
        Assert.That(G.CountyBoundary(Boone)!.Coordinates[0].X, Is.Not.EqualTo(0));
        Assert.That(G.StateBoundary("XX"), Is.Null);
        Assert.That(G.CountyBoundary("00000"), Is.Null);
        Assert.That(G.StateBoundary("AK"), Is.InstanceOf<MultiPolygon>());
    }

    [Test]
    public void ConcurrentLookups_OnAFreshInstance_AgreeWithSequential()
    {
        var g = Gazetteer.Load();
        var rnd = new Random(42);
        var points = Enumerable.Range(0, 4000).Select(_ => (Lat: 25 + rnd.NextDouble() * 24, Lon: -124 + rnd.NextDouble() * 57)).ToArray();
        var parallel = new string[points.Length];
        Parallel.For(0, points.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => parallel[i] = string.Join(",", g.CountyFipsCovering(points[i].Lat, points[i].Lon)) + "|" + g.Locate(points[i].Lat, points[i].Lon).State?.Code);
        var sequential = points.Select(p => string.Join(",", G.CountyFipsCovering(p.Lat, p.Lon)) + "|" + G.Locate(p.Lat, p.Lon).State?.Code).ToArray();
        Assert.That(parallel, Is.EqualTo(sequential));
        Assert.That(sequential.Count(s => s.StartsWith('|')), Is.LessThan(points.Length / 2)); // most points are on land
    }

    [Test]
    public void Covering_agrees_with_the_boundaries_at_random_points()
    {
        // The indexed lookup against a brute-force check of every county's and state's outline.
        var rnd = new Random(7);
        var points = Enumerable.Range(0, 300).Select(_ => (Lat: 25 + rnd.NextDouble() * 24, Lon: -124 + rnd.NextDouble() * 57)).ToArray();
        var factory = new GeometryFactory();
        var inUs = 0;
        foreach (var (lat, lon) in points)
        {
            var at = factory.CreatePoint(new Coordinate(lon, lat));
            var counties = G.Counties.Where(c => G.CountyBoundary(c.Fips) is { } b && b.Covers(at)).Select(c => c.Fips).Order(StringComparer.Ordinal);
            var states = G.States.Where(s => G.StateBoundary(s.Code) is { } b && b.Covers(at)).Select(s => s.Code).Order(StringComparer.Ordinal);
            Assert.That(G.CountyFipsCovering(lat, lon).Order(StringComparer.Ordinal), Is.EqualTo(counties), $"counties at {lat}, {lon}");
            Assert.That(G.StateCodesCovering(lat, lon).Order(StringComparer.Ordinal), Is.EqualTo(states), $"states at {lat}, {lon}");
            if (states.Any()) inUs++;
        }
        Assert.That(inUs, Is.GreaterThan(150), "most random points of the box are in a state");
    }

    [Test]
    public void A_second_load_builds_the_same_gazetteer()
    {
        var g = Gazetteer.Load();
        Assert.That(g.ZipCount, Is.EqualTo(G.ZipCount));
        Assert.That(g.CityCount, Is.EqualTo(G.CityCount));
        Assert.That(g.Counties.Select(c => c.Fips), Is.EqualTo(G.Counties.Select(c => c.Fips)));
        Assert.That(g.FindCity("Columbia, MO").Place, Is.EqualTo(G.FindCity("Columbia, MO").Place));
    }
}
