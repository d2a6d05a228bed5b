using ReferralDirectory.Api.Guidance;
using ReferralDirectory.Guidance;
using ReferralDirectory.Model;

namespace ReferralDirectory.Api.WebPages.Staff;

/// <summary>
/// The staff pages' language: English or Spanish. The <c>lang</c> form field (every staff form carries it) or query
/// parameter (the language switch, <c>/staff?lang=es</c>) wins, else Accept-Language, else English, as for the landing
/// page (<see cref="ContentLanguage"/>). Every staff string is given in both languages where it is used
/// (<see cref="T(string, string)"/>); guidance content comes in both from the guidance library.
/// </summary>
public sealed class StaffText
{
    public static readonly StaffText English = new(GuidanceLanguages.English);
    public static readonly StaffText Spanish = new(GuidanceLanguages.Spanish);

    private StaffText(string language) => Language = language;

    /// <summary><c>en</c> or <c>es</c>.</summary>
    public string Language { get; }
    public bool IsSpanish => Language == GuidanceLanguages.Spanish;
    /// <summary>The other language, for the switch.</summary>
    public StaffText Other => IsSpanish ? English : Spanish;
    /// <summary>The other language's name, in that language.</summary>
    public string OtherName => IsSpanish ? "English" : "Español";

    public string T(string en, string es) => IsSpanish ? es : en;
    public string T(LocalizedText text) => text.In(Language);

    /// <summary>A stable code's label (taxonomy, populations, trafficking types) in this language.</summary>
    public string Label(CodeLabel code) => IsSpanish && CodesEs.TryGetValue(code.Code, out var es) ? es : code.Label;

    public string Labels(IEnumerable<string> codes, IReadOnlyList<CodeLabel> vocabulary) =>
        string.Join(", ", codes.Select(c => vocabulary.FirstOrDefault(v => v.Code == c) is { } cl ? Label(cl) : c));

    public static StaffText Of(string language) => language == GuidanceLanguages.Spanish ? Spanish : English;

    /// <summary>The request's language: the form's <c>lang</c> field, else the query's, else Accept-Language.</summary>
    public static StaffText For(HttpContext http, IFormCollection? form = null)
    {
        var chosen = (form?["lang"].ToString() is { Length: > 0 } f ? f : http.Request.Query["lang"].ToString()).Trim().ToLowerInvariant();
        var language = ContentLanguage.Negotiate(http.Request, GuidanceLanguages.IsSupported(chosen) ? chosen : null);
        ContentLanguage.Declare(http.Response, language);
        return Of(language);
    }

    private static readonly string[] DaysEs = ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"];
    private static readonly string[] MonthsEs = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

    public string Day(DayOfWeek day) => IsSpanish ? DaysEs[(int)day] : day.ToString()[..3];

    /// <summary>"November 18, 2026" or "18 de noviembre de 2026" (the service runs with invariant globalization).</summary>
    public string Date(DateOnly d) => IsSpanish
        ? $"{d.Day} de {MonthsEs[d.Month - 1]} de {d.Year}"
        : d.ToString("MMMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Spanish labels of the directory's stable codes (the same words as the widget's).</summary>
    private static readonly Dictionary<string, string> CodesEs = new(StringComparer.Ordinal)
    {
        ["crisis-hotline"] = "Línea de crisis", ["emergency-shelter"] = "Refugio de emergencia", ["transitional-housing"] = "Vivienda de transición",
        ["long-term-housing"] = "Vivienda a largo plazo", ["youth-shelter"] = "Refugio para jóvenes", ["case-management"] = "Gestión de casos",
        ["victim-advocacy"] = "Apoyo a víctimas", ["court-accompaniment"] = "Acompañamiento en los tribunales", ["civil-legal-services"] = "Servicios legales civiles",
        ["immigration-legal-services"] = "Servicios legales de inmigración", ["criminal-record-relief"] = "Limpieza de antecedentes penales",
        ["medical-care"] = "Atención médica", ["dental-care"] = "Atención dental", ["forensic-exam"] = "Examen forense", ["mental-health"] = "Salud mental",
        ["substance-use-treatment"] = "Tratamiento por consumo de sustancias", ["food-and-clothing"] = "Comida y ropa", ["transportation"] = "Transporte",
        ["financial-assistance"] = "Ayuda económica", ["employment-services"] = "Servicios de empleo", ["education"] = "Educación", ["life-skills"] = "Habilidades para la vida",
        ["interpretation"] = "Interpretación", ["family-reunification"] = "Reunificación familiar", ["repatriation"] = "Repatriación", ["child-welfare"] = "Bienestar infantil",
        ["peer-support"] = "Apoyo entre pares", ["professional-training"] = "Capacitación profesional", ["prevention-education"] = "Educación para la prevención",
        ["law-enforcement-reporting"] = "Denuncias a las autoridades",
        ["adults"] = "Adultos (18 años o más)", ["minors"] = "Menores de 18 años", ["female"] = "Mujeres y niñas", ["male"] = "Hombres y niños",
        ["transgender-gender-diverse"] = "Personas transgénero y de género diverso", ["us-citizen-or-resident"] = "Ciudadanos y residentes permanentes de EE. UU.",
        ["foreign-national"] = "Personas extranjeras", ["lgbtq"] = "Personas LGBTQ+", ["people-with-disabilities"] = "Personas con discapacidad",
    };
}
