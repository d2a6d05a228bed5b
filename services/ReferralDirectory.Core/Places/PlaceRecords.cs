namespace ReferralDirectory.Places;

/// <summary>A 5-digit ZIP code with its centroid (ZCTA internal point when the Census has one) and primary USPS city.</summary>
public sealed record ZipPlace(string Zip, string City, string State, double Latitude, double Longitude);

/// <summary>
/// A city (USPS primary city name of at least one ZIP) and its representative point.
/// <see cref="ZipCount"/> is how many ZIP codes name this city as their primary city.
/// </summary>
public sealed record CityPlace(string City, string State, double Latitude, double Longitude, int ZipCount = 0)
{
    /// <summary>"City, ST".</summary>
    public string Label => $"{City}, {State}";
}

/// <summary>Result of <see cref="Gazetteer.FindCity"/>: the place, or suggestions when it was not found.</summary>
public sealed record CityMatch(CityPlace? Place, IReadOnlyList<string> Suggestions)
{
    public bool Found => Place is not null;
}

/// <summary>A state, DC or territory present in the boundary data.</summary>
public sealed record StateInfo(string Code, string Fips, string Name);

/// <summary>
/// A county or county equivalent (parish, borough, independent city, municipio...).
/// <see cref="Name"/> is the Census name without the "County" suffix, e.g. "Boone".
/// </summary>
public sealed record CountyInfo(string Fips, string Name, string StateCode)
{
    public string StateFips => Fips[..2];

    /// <summary>The name people use: "Boone County", "St. Louis city", "Orleans Parish", "District of Columbia".
    /// (The Census names alone are ambiguous: 29189 and 29510 are both "St. Louis".)</summary>
    public string DisplayName => StateCode switch
    {
        "DC" => "District of Columbia",
        "LA" => Name + " Parish",
        "AK" => Name,
        "PR" => Name + " Municipio",
        _ when IsIndependentCity => Name.EndsWith(" City", StringComparison.Ordinal) ? Name : Name + " city",
        _ when Name.EndsWith(" County", StringComparison.Ordinal) => Name,
        _ => Name + " County",
    };

    // Independent cities are county equivalents with codes of 500 and above (Virginia's 38, Baltimore, St. Louis, Carson City).
    private bool IsIndependentCity => StateCode is "VA" or "MD" or "MO" or "NV" && int.TryParse(Fips.AsSpan(2), out var c) && c >= 500;
}

/// <summary>Reverse lookup of a point. On a shared border the lowest FIPS code wins.</summary>
public sealed record PlaceAt(StateInfo? State, CountyInfo? County);
