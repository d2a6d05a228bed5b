namespace ReferralDirectory.Geo;

public sealed record UsState(string Code, string Fips, string Name);

/// <summary>US states, DC and territories with their USPS codes and FIPS codes (Census).</summary>
public static class UsStates
{
    public static readonly IReadOnlyList<UsState> All =
    [
        new("AL", "01", "Alabama"), new("AK", "02", "Alaska"), new("AZ", "04", "Arizona"), new("AR", "05", "Arkansas"),
        new("CA", "06", "California"), new("CO", "08", "Colorado"), new("CT", "09", "Connecticut"), new("DE", "10", "Delaware"),
        new("DC", "11", "District of Columbia"), new("FL", "12", "Florida"), new("GA", "13", "Georgia"), new("HI", "15", "Hawaii"),
        new("ID", "16", "Idaho"), new("IL", "17", "Illinois"), new("IN", "18", "Indiana"), new("IA", "19", "Iowa"),
        new("KS", "20", "Kansas"), new("KY", "21", "Kentucky"), new("LA", "22", "Louisiana"), new("ME", "23", "Maine"),
        new("MD", "24", "Maryland"), new("MA", "25", "Massachusetts"), new("MI", "26", "Michigan"), new("MN", "27", "Minnesota"),
        new("MS", "28", "Mississippi"), new("MO", "29", "Missouri"), new("MT", "30", "Montana"), new("NE", "31", "Nebraska"),
        new("NV", "32", "Nevada"), new("NH", "33", "New Hampshire"), new("NJ", "34", "New Jersey"), new("NM", "35", "New Mexico"),
        new("NY", "36", "New York"), new("NC", "37", "North Carolina"), new("ND", "38", "North Dakota"), new("OH", "39", "Ohio"),
        new("OK", "40", "Oklahoma"), new("OR", "41", "Oregon"), new("PA", "42", "Pennsylvania"), new("RI", "44", "Rhode Island"),
        new("SC", "45", "South Carolina"), new("SD", "46", "South Dakota"), new("TN", "47", "Tennessee"), new("TX", "48", "Texas"),
        new("UT", "49", "Utah"), new("VT", "50", "Vermont"), new("VA", "51", "Virginia"), new("WA", "53", "Washington"),
        new("WV", "54", "West Virginia"), new("WI", "55", "Wisconsin"), new("WY", "56", "Wyoming"),
        new("AS", "60", "American Samoa"), new("GU", "66", "Guam"), new("MP", "69", "Northern Mariana Islands"),
        new("PR", "72", "Puerto Rico"), new("VI", "78", "U.S. Virgin Islands"),
    ];

    private static readonly Dictionary<string, UsState> ByCodeMap = All.ToDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<string, UsState> ByFipsMap = All.ToDictionary(s => s.Fips, StringComparer.Ordinal);
    private static readonly Dictionary<string, UsState> ByNameMap = All.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

    public static UsState? ByCode(string code) => ByCodeMap.GetValueOrDefault(code.Trim());
    public static UsState? ByFips(string fips) => ByFipsMap.GetValueOrDefault(fips);
    public static UsState? ByName(string name) => ByNameMap.GetValueOrDefault(name.Trim());

    /// <summary>The state code of a 5-digit county FIPS code (its first two digits are the state's).</summary>
    public static string? StateOfCounty(string countyFips) =>
        countyFips.Length == 5 && countyFips.All(char.IsAsciiDigit) ? ByFips(countyFips[..2])?.Code : null;
}
