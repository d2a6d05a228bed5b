namespace ReferralDirectory.Model;

/// <summary>A stable code with a plain-language label.</summary>
public sealed record CodeLabel(string Code, string Label, string? Description = null);

/// <summary>
/// The service taxonomy. Codes are stable identifiers: never rename or reuse one; add new codes at the end.
/// A code's position in <see cref="All"/> is its bit in the search index, so the list is append-only (max 64).
/// </summary>
public static class Taxonomy
{
    public const string Scheme = "referral-directory-services";

    public static readonly IReadOnlyList<CodeLabel> All =
    [
        new("crisis-hotline", "Crisis hotline", "Phone, text or chat support in a crisis, often around the clock."),
        new("emergency-shelter", "Emergency shelter", "A safe place to stay right away, usually for days or weeks."),
        new("transitional-housing", "Transitional housing", "Housing with support for several months while moving toward a stable home."),
        new("long-term-housing", "Long-term housing", "Stable housing, or help finding and keeping it."),
        new("youth-shelter", "Youth shelter", "Shelter and support for young people under 18 or youth aging out of care."),
        new("case-management", "Case management", "A case manager who helps plan next steps and connects to other services."),
        new("victim-advocacy", "Victim advocacy", "An advocate who explains rights and options and speaks up for the survivor."),
        new("court-accompaniment", "Court accompaniment", "Someone to go with the survivor to court, police interviews or hearings."),
        new("civil-legal-services", "Civil legal services", "Help with civil legal matters such as protection orders, custody, housing or benefits."),
        new("immigration-legal-services", "Immigration legal services", "Help with T and U visas, continued presence and other immigration relief."),
        new("criminal-record-relief", "Criminal record relief", "Help clearing records of offences a person was forced to commit (vacatur, expungement)."),
        new("medical-care", "Medical care", "Health care from a doctor, nurse or clinic."),
        new("dental-care", "Dental care", "Care for teeth and mouth."),
        new("forensic-exam", "Forensic exam", "A medical exam that can collect evidence, by a trained examiner."),
        new("mental-health", "Mental health", "Counseling, therapy and emotional support."),
        new("substance-use-treatment", "Substance use treatment", "Support and treatment for alcohol or drug use."),
        new("food-and-clothing", "Food and clothing", "Meals, groceries, clothing and other basic needs."),
        new("transportation", "Transportation", "Rides, bus passes or other help getting to services."),
        new("financial-assistance", "Financial assistance", "Money help, such as emergency funds, rent or bills."),
        new("employment-services", "Employment services", "Help finding and keeping a job."),
        new("education", "Education", "Schooling, GED, English classes and other learning."),
        new("life-skills", "Life skills", "Everyday skills such as budgeting, cooking and finding housing."),
        new("interpretation", "Interpretation", "Interpreters and translation in the survivor's language."),
        new("family-reunification", "Family reunification", "Help reconnecting safely with family."),
        new("repatriation", "Repatriation", "Help returning safely to a home country."),
        new("child-welfare", "Child welfare", "Child protective services and support for children and families."),
        new("peer-support", "Peer support", "Support from people with lived experience."),
        new("professional-training", "Professional training", "Training for professionals who may meet survivors."),
        new("prevention-education", "Prevention education", "Education that helps communities and young people recognise and prevent trafficking."),
        new("law-enforcement-reporting", "Law enforcement reporting", "Ways to report trafficking to law enforcement or a tipline."),
    ];

    private static readonly Dictionary<string, int> BitByCode =
        All.Select((c, i) => (c.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

    public static bool IsKnown(string code) => BitByCode.ContainsKey(code);

    public static CodeLabel? Find(string code) => BitByCode.TryGetValue(code, out var i) ? All[i] : null;

    /// <summary>The index bit of a code; throws for an unknown code (validate first).</summary>
    public static ulong Bit(string code) => 1UL << BitByCode[code];

    public static ulong Mask(IEnumerable<string> codes)
    {
        ulong mask = 0;
        foreach (var c in codes)
        {
            if (BitByCode.TryGetValue(c, out var i)) mask |= 1UL << i;
        }
        return mask;
    }
}

/// <summary>Kinds of listing the directory holds.</summary>
public static class ListingKinds
{
    public const string VictimServiceAgency = "victim-service-agency";
    public const string Coalition = "coalition";
    public const string FundingSource = "funding-source";
    public const string Hotline = "hotline";
    public const string TrainingResource = "training-resource";
    public const string Government = "government";

    public static readonly IReadOnlyList<CodeLabel> All =
    [
        new(VictimServiceAgency, "Victim service agency", "An organization that serves survivors directly."),
        new(Coalition, "Coalition, task force or working group", "A collaboration of agencies, law enforcement and community partners."),
        new(FundingSource, "Funding source", "A grant or funding program, such as VOCA victim assistance grants."),
        new(Hotline, "Hotline or tipline", "A phone, text or chat line for help or reporting."),
        new(TrainingResource, "Training or publication", "Training, toolkits and publications."),
        new(Government, "Law enforcement or government", "A law enforcement agency or government office."),
    ];

    private static readonly Dictionary<string, int> Index =
        All.Select((c, i) => (c.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

    public static bool IsKnown(string code) => Index.ContainsKey(code);
    public static int Ordinal(string code) => Index[code];
}

/// <summary>Kinds of collaboration a coalition listing can be.</summary>
public static class CollaborationTypes
{
    public static readonly IReadOnlyList<CodeLabel> All =
    [
        new("coalition", "Coalition"),
        new("task-force", "Task force"),
        new("working-group", "Working group"),
        new("network", "Network"),
    ];

    public static bool IsKnown(string code) => All.Any(c => c.Code == code);
}

/// <summary>Who a listing serves. A listing must name every population it serves.</summary>
public static class Populations
{
    public static readonly IReadOnlyList<CodeLabel> All =
    [
        new("adults", "Adults (18 and over)"),
        new("minors", "Minors (under 18)"),
        new("female", "Women and girls"),
        new("male", "Men and boys"),
        new("transgender-gender-diverse", "Transgender and gender-diverse people"),
        new("us-citizen-or-resident", "U.S. citizens and permanent residents"),
        new("foreign-national", "Foreign nationals"),
        new("lgbtq", "LGBTQ+ people"),
        new("people-with-disabilities", "People with disabilities"),
    ];

    private static readonly Dictionary<string, int> BitByCode =
        All.Select((c, i) => (c.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

    public static bool IsKnown(string code) => BitByCode.ContainsKey(code);

    public static uint Mask(IEnumerable<string> codes)
    {
        uint mask = 0;
        foreach (var c in codes)
        {
            if (BitByCode.TryGetValue(c, out var i)) mask |= 1u << i;
        }
        return mask;
    }
}

/// <summary>Types of trafficking a listing serves survivors of.</summary>
public static class TraffickingTypes
{
    public static readonly IReadOnlyList<CodeLabel> All =
    [
        new("sex", "Sex trafficking"),
        new("labor", "Labor trafficking"),
    ];

    public static bool IsKnown(string code) => All.Any(c => c.Code == code);

    public static uint Mask(IEnumerable<string> codes)
    {
        uint mask = 0;
        foreach (var c in codes)
        {
            for (var i = 0; i < All.Count; i++)
            {
                if (All[i].Code == c) mask |= 1u << i;
            }
        }
        return mask;
    }
}

/// <summary>Phone line types (HSDS phone.type plus hotline).</summary>
public static class PhoneTypes
{
    public const string Voice = "voice";
    public const string Text = "text";
    public const string Hotline = "hotline";
    public const string Fax = "fax";
    public const string Tty = "tty";

    public static readonly IReadOnlyList<string> All = [Voice, Text, Hotline, Fax, Tty];
    public static bool IsKnown(string code) => All.Contains(code);
}

/// <summary>Service-area kinds.</summary>
public static class ServiceAreaTypes
{
    public const string Nationwide = "nationwide";
    public const string State = "state";
    public const string County = "county";
    public const string Polygon = "polygon";

    public static readonly IReadOnlyList<string> All = [Nationwide, State, County, Polygon];
    public static bool IsKnown(string code) => All.Contains(code);
}
