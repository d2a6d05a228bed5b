using System.Globalization;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.WebPages.Staff;

/// <summary>The search form's fields (and the shortlist, as listing ids): what every staff form carries to the next.</summary>
public sealed record SearchForm
{
    public const int MaxShortlist = 10;

    public string Place { get; init; } = "";
    public string Service { get; init; } = "";
    public string Population { get; init; } = "";
    public string Language { get; init; } = "";
    public bool OpenNow { get; init; }
    public bool Is24x7 { get; init; }
    public bool AcceptingReferrals { get; init; }
    public bool FreeOfCharge { get; init; }
    public IReadOnlyList<string> Shortlist { get; init; } = [];

    public static SearchForm Read(IFormCollection f)
    {
        string T(string name, int max) => f[name].ToString().Trim() is var v && v.Length <= max ? v : "";
        var shortlist = f["shortlist"].Select(x => x?.Trim() ?? "").Where(FieldRules.IsId).ToList();
        if (f["add"].ToString() is { Length: > 0 } add && FieldRules.IsId(add) && !shortlist.Contains(add)) shortlist.Add(add);
        if (f["remove"].ToString() is { Length: > 0 } remove) shortlist.Remove(remove);
        return new SearchForm
        {
            Place = T("place", 120), Service = T("service", 64), Population = T("population", 64), Language = T("language", 3),
            OpenNow = f["openNow"] == "true", Is24x7 = f["is24x7"] == "true", AcceptingReferrals = f["acceptingReferrals"] == "true",
            FreeOfCharge = f["freeOfCharge"] == "true", Shortlist = [.. shortlist.Distinct().Take(MaxShortlist)],
        };
    }

    public SearchFilter Filter => new()
    {
        Services = Taxonomy.IsKnown(Service) ? [Service] : [],
        Populations = Populations.IsKnown(Population) ? [Population] : [],
        Languages = FieldRules.IsLanguageCode(Language) ? [Language] : [],
        OpenNow = OpenNow, Only24x7 = Is24x7, AcceptingReferrals = AcceptingReferrals, FreeOfCharge = FreeOfCharge,
    };
}

/// <summary>A search's place, resolved from a ZIP code or a town.</summary>
public sealed record ResolvedPlace(double Lat, double Lon, string Label, string? State);

/// <summary>One result: the full listing (staff see confidential locations exactly) and its distance.</summary>
public sealed record FoundListing(Listing Listing, double? DistanceKm);

/// <summary>A search's answer: an error to show, or the place, its results and the map of them.</summary>
public sealed record StaffSearchResult(string? Error, ResolvedPlace? Place, IReadOnlyList<FoundListing> Results, ResultsMap? Map = null);

/// <summary>A hotline line on the referral sheet: its name and how to reach it.</summary>
public sealed record SheetHotline(string Name, string Phones);

/// <summary>Formatting shared by the staff pages, in the page's language.</summary>
public static class StaffFormat
{
    public static ResolvedPlace? Resolve(string place, StaffText L, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(place))
        {
            error = L.T("Enter a ZIP code or a town, such as 65201 or Columbia, MO.", "Escriba un código postal o una ciudad, como 65201 o Columbia, MO.");
            return null;
        }
        var g = Gazetteer.Default;
        if (place.Length >= 5 && place[..5].All(char.IsAsciiDigit))
        {
            if (g.FindZip(place) is { } z) return new(z.Latitude, z.Longitude, L.T("ZIP ", "código postal ") + z.Zip, z.State);
            error = L.T($"We don't know the ZIP code {place[..5]}. Check it, or search by town.", $"No conocemos el código postal {place[..5]}. Revíselo o busque por ciudad.");
            return null;
        }
        var match = g.FindCity(place);
        if (match.Place is { } p) return new(p.Latitude, p.Longitude, p.Label, p.State);
        error = match.Suggestions.Count > 0
            ? L.T($"We could not find that town. Did you mean: {string.Join("; ", match.Suggestions)}?", $"No encontramos esa ciudad. ¿Quiso decir: {string.Join("; ", match.Suggestions)}?")
            : L.T("We could not find that town. Give it as City, ST, such as Columbia, MO.", "No encontramos esa ciudad. Escríbala como Ciudad, ST, por ejemplo Columbia, MO.");
        return null;
    }

    public static string Km(double km, StaffText L) => string.Create(CultureInfo.InvariantCulture,
        $"{km:0.0} km ({km * 0.621371:0.0} {L.T("miles) away", "millas) de distancia")}");

    public static string Hours(Schedule? h, StaffText L) => h is null ? L.T("Not given", "No indicado") : h.Always ? L.T("24 hours, 7 days", "24 horas, 7 días")
        : string.Join("; ", h.Periods.GroupBy(p => (p.Opens, p.Closes)).Select(g =>
            string.Join(", ", g.Select(p => L.Day(p.Day))) + " " + g.Key.Opens.ToString("HH:mm", CultureInfo.InvariantCulture) + "–" + g.Key.Closes.ToString("HH:mm", CultureInfo.InvariantCulture)));

    public static string Address(Address? a) => a is null ? ""
        : string.Join(", ", new[] { a.Street1, a.Street2, a.City, a.State + (a.PostalCode is null ? "" : " " + a.PostalCode) }.Where(x => !string.IsNullOrWhiteSpace(x)));

    public static string Directions(double lat, double lon) =>
        string.Create(CultureInfo.InvariantCulture, $"https://www.google.com/maps/dir/?api=1&destination={lat:0.#####}%2C{lon:0.#####}");

    public static string Tel(string number) => "tel:" + new string([.. number.Where(c => char.IsAsciiDigit(c) || c is '+' or '*')]);

    public static string YesNo(bool yes, StaffText L) => yes ? L.T("Yes", "Sí") : L.T("No", "No");

    public static string IsoDate(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
