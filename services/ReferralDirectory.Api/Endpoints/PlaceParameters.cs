using ReferralDirectory.Model;
using ReferralDirectory.Places;

namespace ReferralDirectory.Api.Endpoints;

/// <summary>How the searched place was given: coordinates, a ZIP code or a town.</summary>
public static class PlaceSources
{
    public const string Coordinates = "coordinates";
    public const string Zip = "zip";
    public const string Town = "town";
}

/// <summary>A searched place resolved to a point. <see cref="Zip"/> is the 5-digit ZIP when given by ZIP;
/// <see cref="Town"/> the matched "City, ST" when given by town name.</summary>
public sealed record ResolvedPlace(double Latitude, double Longitude, string Source, string? Zip = null, string? Town = null);

/// <summary>
/// The place of a search: <c>lat</c>+<c>lon</c>, or <c>zip</c>, or <c>near</c> (a town), exactly one of them.
/// A ZIP resolves to its ZIP-area centre and a town to its centre, from the offline <see cref="Gazetteer"/>.
/// These values are a searcher's location: never log them at information level (see domain notes).
/// </summary>
internal static class PlaceParameters
{
    public const int MaxNearLength = 100;

    public static QueryParameterDoc Zip(bool alternative) => new("zip", "string",
        "US ZIP code (5 digits or ZIP+4) of the searched place, instead of lat/lon" + (alternative ? "" : " or near") +
        ": the search runs from the ZIP area's centre. An unknown ZIP code is a 400.", Example: "65201");

    public static QueryParameterDoc Near(bool alternative) => new("near", "string",
        "A US town, \"City, ST\" or \"City, State\", instead of lat/lon" + (alternative ? "" : " or zip") +
        $": the search runs from the town's centre. An unknown town is a 400 with close matches. At most {MaxNearLength} characters.", Example: "Columbia, MO");

    /// <summary>Reads the place. Returns null when no place is given (an error is added when <paramref name="required"/>)
    /// or when it is invalid (errors added).</summary>
    public static ResolvedPlace? Read(QueryReader r, IQueryCollection query, Gazetteer gazetteer, bool required)
    {
        var hasPoint = query.ContainsKey("lat") || query.ContainsKey("lon");
        var hasZip = query.ContainsKey("zip");
        var hasNear = query.ContainsKey("near");
        var ways = (hasPoint ? 1 : 0) + (hasZip ? 1 : 0) + (hasNear ? 1 : 0);
        if (ways > 1)
        {
            const string message = "Give the place one way only: lat and lon, or zip, or near.";
            if (query.ContainsKey("lat")) r.Error("lat", message);
            if (query.ContainsKey("lon")) r.Error("lon", message);
            if (hasZip) r.Error("zip", message);
            if (hasNear) r.Error("near", message);
            return null;
        }
        if (hasZip) return ReadZip(r, gazetteer);
        if (hasNear) return ReadNear(r, gazetteer);

        var lat = r.Double("lat", -90, 90);
        var lon = r.Double("lon", -180, 180);
        if (lat is { } la && lon is { } lo) return new ResolvedPlace(la, lo, PlaceSources.Coordinates);
        if (hasPoint)
        {
            if (lat is null && !r.Errors.ContainsKey("lat") && !r.Errors.ContainsKey("lon")) r.Error("lat", "Give both 'lat' and 'lon'.");
            if (lon is null && !r.Errors.ContainsKey("lon") && !r.Errors.ContainsKey("lat")) r.Error("lon", "Give both 'lat' and 'lon'.");
        }
        else if (required)
        {
            r.Error("lat", "'lat' is required (or give 'zip' or 'near' instead of lat and lon).");
            r.Error("lon", "'lon' is required (or give 'zip' or 'near' instead of lat and lon).");
        }
        return null;
    }

    private static ResolvedPlace? ReadZip(QueryReader r, Gazetteer gazetteer)
    {
        var s = r.Text("zip", 10);
        if (s is null)
        {
            if (!r.Errors.ContainsKey("zip")) r.Error("zip", "'zip' is empty: give a 5-digit ZIP code such as 63101.");
            return null;
        }
        if (!FieldRules.IsSearchedZip(s))
        {
            r.Error("zip", FieldRules.ZipHint);
            return null;
        }
        if (gazetteer.FindZip(s) is not { } z)
        {
            r.Error("zip", $"We don't know the ZIP code {s[..5]}. Check it, or search by town with 'near' (such as near=Columbia, MO).");
            return null;
        }
        return new ResolvedPlace(z.Latitude, z.Longitude, PlaceSources.Zip, Zip: z.Zip);
    }

    private static ResolvedPlace? ReadNear(QueryReader r, Gazetteer gazetteer)
    {
        var s = r.Text("near", MaxNearLength);
        if (s is null)
        {
            if (!r.Errors.ContainsKey("near")) r.Error("near", "'near' is empty: give a town such as Columbia, MO.");
            return null;
        }
        var match = gazetteer.FindCity(s);
        if (match.Place is { } p)
            return new ResolvedPlace(p.Latitude, p.Longitude, PlaceSources.Town, Town: p.Label);
        r.Error("near", match.Suggestions.Count > 0
            ? $"We could not find the town '{s}'. Did you mean: {string.Join("; ", match.Suggestions)}?"
            : $"We could not find the town '{s}'. Give it as \"City, ST\", such as Columbia, MO, or search by zip.");
        return null;
    }
}
