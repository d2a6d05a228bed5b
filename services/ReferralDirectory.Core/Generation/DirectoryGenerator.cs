using ReferralDirectory.Geo;
using ReferralDirectory.Model;

namespace ReferralDirectory.Generation;

// Generated directories are made from a seed so a benchmark or test can make the same one again: System.Random's
// reproducible sequence is the point, and nothing here is secret.
#pragma warning disable RS0030
/// <summary>
/// A deterministic generator of large made-up directories for tests and benchmarks: listings spread over the
/// United States, most near cities (weighted by population), some scattered; realistic mixes of kinds,
/// services, populations, languages, hours, confidential locations and service areas. Same seed, same directory.
/// </summary>
public sealed class DirectoryGenerator(int seed)
{
    private readonly Random _rng = new(seed);

    private sealed record City(string Name, string State, double Lat, double Lon, double Weight, string Zone);

    // Large US metros: (name, state, lat, lon, population in millions, zone).
    private static readonly City[] Cities =
    [
        new("New York", "NY", 40.7128, -74.0060, 19.5, "America/New_York"), new("Los Angeles", "CA", 34.0522, -118.2437, 13.0, "America/Los_Angeles"),
        new("Chicago", "IL", 41.8781, -87.6298, 9.4, "America/Chicago"), new("Dallas", "TX", 32.7767, -96.7970, 7.6, "America/Chicago"),
        new("Houston", "TX", 29.7604, -95.3698, 7.1, "America/Chicago"), new("Washington", "DC", 38.9072, -77.0369, 6.3, "America/New_York"),
        new("Philadelphia", "PA", 39.9526, -75.1652, 6.2, "America/New_York"), new("Miami", "FL", 25.7617, -80.1918, 6.1, "America/New_York"),
        new("Atlanta", "GA", 33.7490, -84.3880, 6.1, "America/New_York"), new("Boston", "MA", 42.3601, -71.0589, 4.9, "America/New_York"),
        new("Phoenix", "AZ", 33.4484, -112.0740, 4.9, "America/Phoenix"), new("San Francisco", "CA", 37.7749, -122.4194, 4.7, "America/Los_Angeles"),
        new("Riverside", "CA", 33.9806, -117.3755, 4.6, "America/Los_Angeles"), new("Detroit", "MI", 42.3314, -83.0458, 4.3, "America/Detroit"),
        new("Seattle", "WA", 47.6062, -122.3321, 4.0, "America/Los_Angeles"), new("Minneapolis", "MN", 44.9778, -93.2650, 3.7, "America/Chicago"),
        new("San Diego", "CA", 32.7157, -117.1611, 3.3, "America/Los_Angeles"), new("Tampa", "FL", 27.9506, -82.4572, 3.2, "America/New_York"),
        new("Denver", "CO", 39.7392, -104.9903, 3.0, "America/Denver"), new("Baltimore", "MD", 39.2904, -76.6122, 2.8, "America/New_York"),
        new("St. Louis", "MO", 38.6270, -90.1994, 2.8, "America/Chicago"), new("Orlando", "FL", 28.5383, -81.3792, 2.7, "America/New_York"),
        new("Charlotte", "NC", 35.2271, -80.8431, 2.7, "America/New_York"), new("San Antonio", "TX", 29.4241, -98.4936, 2.6, "America/Chicago"),
        new("Portland", "OR", 45.5152, -122.6784, 2.5, "America/Los_Angeles"), new("Sacramento", "CA", 38.5816, -121.4944, 2.4, "America/Los_Angeles"),
        new("Pittsburgh", "PA", 40.4406, -79.9959, 2.3, "America/New_York"), new("Austin", "TX", 30.2672, -97.7431, 2.3, "America/Chicago"),
        new("Las Vegas", "NV", 36.1699, -115.1398, 2.3, "America/Los_Angeles"), new("Cincinnati", "OH", 39.1031, -84.5120, 2.2, "America/New_York"),
        new("Kansas City", "MO", 39.0997, -94.5786, 2.2, "America/Chicago"), new("Columbus", "OH", 39.9612, -82.9988, 2.1, "America/New_York"),
        new("Indianapolis", "IN", 39.7684, -86.1581, 2.1, "America/Indiana/Indianapolis"), new("Cleveland", "OH", 41.4993, -81.6944, 2.1, "America/New_York"),
        new("Nashville", "TN", 36.1627, -86.7816, 2.0, "America/Chicago"), new("Virginia Beach", "VA", 36.8529, -75.9780, 1.8, "America/New_York"),
        new("Milwaukee", "WI", 43.0389, -87.9065, 1.6, "America/Chicago"), new("Jacksonville", "FL", 30.3322, -81.6557, 1.6, "America/New_York"),
        new("Oklahoma City", "OK", 35.4676, -97.5164, 1.4, "America/Chicago"), new("Raleigh", "NC", 35.7796, -78.6382, 1.4, "America/New_York"),
        new("Memphis", "TN", 35.1495, -90.0490, 1.3, "America/Chicago"), new("Louisville", "KY", 38.2527, -85.7585, 1.3, "America/Kentucky/Louisville"),
        new("New Orleans", "LA", 29.9511, -90.0715, 1.3, "America/Chicago"), new("Salt Lake City", "UT", 40.7608, -111.8910, 1.3, "America/Denver"),
        new("Birmingham", "AL", 33.5186, -86.8104, 1.1, "America/Chicago"), new("Albuquerque", "NM", 35.0844, -106.6504, 0.9, "America/Denver"),
        new("Omaha", "NE", 41.2565, -95.9345, 0.97, "America/Chicago"), new("Boise", "ID", 43.6150, -116.2023, 0.8, "America/Boise"),
        new("Springfield", "MO", 37.2090, -93.2923, 0.48, "America/Chicago"), new("Columbia", "MO", 38.9517, -92.3341, 0.21, "America/Chicago"),
        new("Anchorage", "AK", 61.2181, -149.9003, 0.4, "America/Anchorage"), new("Honolulu", "HI", 21.3069, -157.8583, 1.0, "Pacific/Honolulu"),
        new("Billings", "MT", 45.7833, -108.5007, 0.18, "America/Denver"), new("Fargo", "ND", 46.8772, -96.7898, 0.25, "America/Chicago"),
    ];

    private static readonly string[] Languages = ["es", "zh", "vi", "ar", "fr", "ko", "ru", "tl", "ht", "pt", "so", "am", "sw", "hmn", "ne"];
    private static readonly string[] Words = ["Hope", "Freedom", "Harbor", "Bridge", "Light", "Haven", "Path", "Promise", "Journey", "Anchor", "Compass", "Beacon", "Unity", "Restore", "Rise"];
    private static readonly string[] Nouns = ["Center", "Alliance", "Services", "Network", "House", "Project", "Collective", "Partners", "Coalition", "Clinic"];

    private readonly double[] _cumulative = Cumulative();

    private static double[] Cumulative()
    {
        var c = new double[Cities.Length];
        var sum = 0.0;
        for (var i = 0; i < Cities.Length; i++) { sum += Cities[i].Weight; c[i] = sum; }
        for (var i = 0; i < c.Length; i++) c[i] /= sum;
        return c;
    }

    public IEnumerable<Listing> Generate(int count)
    {
        for (var i = 0; i < count; i++) yield return Next(i);
    }

    private City PickCity()
    {
        var u = _rng.NextDouble();
        var i = Array.BinarySearch(_cumulative, u);
        return Cities[i < 0 ? Math.Min(~i, Cities.Length - 1) : i];
    }

    private double Gaussian()
    {
        var u1 = 1.0 - _rng.NextDouble();
        var u2 = _rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private (double Lat, double Lon, City City) PickPoint()
    {
        var city = PickCity();
        if (_rng.NextDouble() < 0.8)
        {
            // Within a metro: most within 30 km of the centre.
            var km = Math.Abs(Gaussian()) * 25;
            var (lat, lon) = GeoMath.Destination(city.Lat, city.Lon, _rng.NextDouble() * 360, km);
            return (lat, lon, city);
        }
        // Scattered over the contiguous United States (rural listings), named after the nearest metro.
        var sLat = 25.0 + _rng.NextDouble() * 24.0;
        var sLon = -124.0 + _rng.NextDouble() * 57.0;
        var nearest = Cities.MinBy(c => GeoMath.DistanceKm(c.Lat, c.Lon, sLat, sLon))!;
        return (sLat, sLon, nearest);
    }

    /// <summary>A point on land in a US county (tries again off shore or abroad), with that county.</summary>
    private (double Lat, double Lon, City City, Places.CountyInfo County) PickPlacedPoint()
    {
        while (true)
        {
            var (lat, lon, city) = PickPoint();
            if (Places.Gazetteer.Default.Locate(lat, lon).County is { } county) return (Math.Round(lat, 6), Math.Round(lon, 6), city, county);
        }
    }

    private Listing Next(int i)
    {
        var id = $"gen-{i:D7}";
        var k = _rng.NextDouble();
        var kind = k < 0.70 ? ListingKinds.VictimServiceAgency : k < 0.78 ? ListingKinds.Coalition : k < 0.82 ? ListingKinds.FundingSource
            : k < 0.85 ? ListingKinds.Hotline : k < 0.93 ? ListingKinds.TrainingResource : ListingKinds.Government;
        var (lat, lon, city, county) = PickPlacedPoint();
        var serviceCount = 1 + _rng.Next(4);
        var codes = new HashSet<string>();
        while (codes.Count < serviceCount) codes.Add(Taxonomy.All[_rng.Next(Taxonomy.All.Count)].Code);
        var services = codes.Select((c, j) => new Service { Id = $"{id}-s{j}", Name = Taxonomy.Find(c)!.Label, TaxonomyCodes = [c] }).ToList();

        var pops = Populations.All.Where(_ => _rng.NextDouble() < 0.6).Select(p => p.Code).ToList();
        var tt = _rng.NextDouble() switch { < 0.5 => new List<string> { "sex", "labor" }, < 0.8 => ["sex"], _ => ["labor"] };
        var langs = new List<string> { "en" };
        if (_rng.NextDouble() < 0.35) langs.Add("es");
        if (_rng.NextDouble() < 0.15) langs.Add(Languages[_rng.Next(Languages.Length)]);
        langs = langs.Distinct().ToList();
        var always = _rng.NextDouble() < 0.1;
        var hours = always ? new Schedule { Always = true, TimeZone = city.Zone } : new Schedule
        {
            TimeZone = city.Zone,
            Periods = [.. Enumerable.Range(1, 5).Select(d => new OpeningPeriod((DayOfWeek)d, new TimeOnly(8 + _rng.Next(2), 0), new TimeOnly(16 + _rng.Next(4), 0)))],
        };
        var confidential = kind == ListingKinds.VictimServiceAgency && _rng.NextDouble() < 0.05;
        var locations = new List<Location> { MakeLocation(id, 1, lat, lon, city, county, confidential) };
        if (_rng.NextDouble() < 0.1)
        {
            var (lat2, lon2) = GeoMath.Destination(lat, lon, _rng.NextDouble() * 360, 5 + _rng.NextDouble() * 80);
            if (Places.Gazetteer.Default.Locate(lat2, lon2).County is { } county2) locations.Add(MakeLocation(id, 2, lat2, lon2, city, county2, false));
        }
        var areas = new List<ServiceArea>();
        var a = _rng.NextDouble();
        if (a < 0.001) areas.Add(new ServiceArea { Type = ServiceAreaTypes.Nationwide, Name = "United States" });
        else if (a < 0.03) areas.Add(new ServiceArea { Type = ServiceAreaTypes.State, Code = county.StateCode });
        var name = $"{city.Name} {Words[_rng.Next(Words.Length)]} {Nouns[_rng.Next(Nouns.Length)]} {i}";
        return new Listing
        {
            Id = id,
            Kind = kind,
            Name = name,
            Description = $"Generated listing {i} serving the {city.Name} area.",
            Website = $"https://{id}.example.org",
            Services = services,
            Locations = locations,
            ServiceAreas = areas,
            Phones = [new Phone { Number = $"(555) 01{i % 100:D2}-{i % 10000:D4}", Type = always ? PhoneTypes.Hotline : PhoneTypes.Voice, Hours = hours }],
            Hours = hours,
            Languages = langs,
            InterpretationAvailable = _rng.NextDouble() < 0.03,
            Populations = pops,
            TraffickingTypes = tt,
            FreeOfCharge = _rng.NextDouble() < 0.8,
            AcceptingReferrals = _rng.NextDouble() < 0.85,
            LastVerified = new DateOnly(2026, 1, 1).AddDays(-_rng.Next(700)),
            IsDemo = true,
        };
    }

    private static Location MakeLocation(string id, int n, double lat, double lon, City city, Places.CountyInfo county, bool confidential) => new()
    {
        Id = $"{id}-l{n}",
        Latitude = Math.Round(lat, 6),
        Longitude = Math.Round(lon, 6),
        Confidential = confidential,
        // The town is the metro it was drawn around (a made-up address); the county and state are where the point is.
        Address = new Address
        {
            Street1 = $"{n * 100} Example Ave", City = city.Name, State = county.StateCode, CountyFips = county.Fips, CountyName = county.DisplayName,
        },
    };
}
#pragma warning restore RS0030
