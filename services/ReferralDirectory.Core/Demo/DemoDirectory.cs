using ReferralDirectory.Model;

namespace ReferralDirectory.Demo;

/// <summary>
/// The demo directory loaded on first start. The hotlines, tipline, coalitions, task forces and VOCA funding are
/// real (from the Missouri seed pages); their contact details beyond those pages are left out and they carry no
/// verified date until an admin verifies them. The agencies are made up, marked <see cref="Listing.IsDemo"/>,
/// with example.org links and 555-01xx numbers, so a search finds something in every region of Missouri.
/// </summary>
public static class DemoDirectory
{
    private static readonly Schedule Always = new() { Always = true, TimeZone = "America/Chicago" };

    private static Schedule Weekdays(int open = 8, int close = 17) => new()
    {
        TimeZone = "America/Chicago",
        Periods = [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => new OpeningPeriod(d, new TimeOnly(open, 0), new TimeOnly(close, 0)))],
    };

    private static readonly ServiceArea Missouri = new() { Type = ServiceAreaTypes.State, Code = "MO", Name = "Missouri" };

    private static ServiceArea County(string fips, string name) => new() { Type = ServiceAreaTypes.County, Code = fips, Name = name };

    public static IReadOnlyList<Listing> Create(DateOnly today)
    {
        var list = new List<Listing>
        {
            new()
            {
                Id = "national-human-trafficking-hotline",
                Kind = ListingKinds.Hotline,
                Name = "National Human Trafficking Hotline",
                Description = "Free, confidential help for survivors of trafficking and anyone who wants to report a tip. Answered 24 hours a day, 7 days a week, in more than 200 languages.",
                Website = "https://humantraffickinghotline.org",
                Services = [new() { Id = "nhth-hotline", Name = "24/7 hotline", TaxonomyCodes = ["crisis-hotline", "law-enforcement-reporting", "interpretation"] }],
                ServiceAreas = [new() { Type = ServiceAreaTypes.Nationwide, Name = "United States" }],
                Phones =
                [
                    new() { Number = "1-888-373-7888", Type = PhoneTypes.Hotline, Description = "Call, any time", Hours = Always, Languages = ["en", "es"] },
                    new() { Number = "233733", Type = PhoneTypes.Text, Description = "Text \"BEFREE\" (233733)", Hours = Always, Languages = ["en", "es"] },
                ],
                Hours = Always,
                Languages = ["en", "es"],
                InterpretationAvailable = true,
                Populations = [.. Populations.All.Select(p => p.Code)],
                TraffickingTypes = ["sex", "labor"],
                FreeOfCharge = true,
            },
            new()
            {
                Id = "missouri-ag-human-trafficking-tipline",
                Kind = ListingKinds.Hotline,
                Name = "Missouri Attorney General Human Trafficking Tipline",
                Description = "Report suspected human trafficking anywhere in Missouri to the Attorney General's Office.",
                Services = [new() { Id = "moag-tipline", Name = "Statewide tipline", TaxonomyCodes = ["law-enforcement-reporting"] }],
                ServiceAreas = [Missouri],
                Phones = [new() { Number = "800-700-1650", Type = PhoneTypes.Hotline, Description = "Statewide tipline" }],
                Languages = ["en"],
                Populations = [.. Populations.All.Select(p => p.Code)],
                TraffickingTypes = ["sex", "labor"],
                FreeOfCharge = true,
            },
            new()
            {
                Id = "missouri-state-highway-patrol-star-55",
                Kind = ListingKinds.Hotline,
                Name = "Missouri State Highway Patrol emergency line (*55)",
                Description = "From a cell phone in Missouri, dial *55 to reach the Missouri State Highway Patrol. In immediate danger, call 911.",
                Services = [new() { Id = "mshp-star55", Name = "Emergency line from a cell phone", TaxonomyCodes = ["law-enforcement-reporting"] }],
                ServiceAreas = [Missouri],
                Phones = [new() { Number = "*55", Type = PhoneTypes.Hotline, Description = "From a cell phone", Hours = Always }],
                Hours = Always,
                Languages = ["en"],
                Populations = [.. Populations.All.Select(p => p.Code)],
                TraffickingTypes = ["sex", "labor"],
                FreeOfCharge = true,
            },
            Collab("human-trafficking-task-force-of-eastern-missouri", "Human Trafficking Task Force of Eastern Missouri", "task-force",
                "Law enforcement, prosecutors and service providers in eastern Missouri working together to identify survivors and hold traffickers accountable.",
                [County("29510", "St. Louis city"), County("29189", "St. Louis County"), County("29183", "St. Charles County"), County("29099", "Jefferson County"), County("29071", "Franklin County")]),
            Collab("central-missouri-stop-human-trafficking-coalition", "Central Missouri Stop Human Trafficking Coalition", "coalition",
                "Agencies and community members in central Missouri who raise awareness, train professionals and connect survivors to services.",
                [County("29019", "Boone County"), County("29051", "Cole County"), County("29027", "Callaway County"), County("29053", "Cooper County"), County("29089", "Howard County"), County("29175", "Randolph County"), County("29007", "Audrain County"), County("29135", "Moniteau County")]),
            Collab("stop-human-trafficking-eastern-mo-southern-il-network", "Stop Human Trafficking: Eastern MO, Southern Illinois Network", "network",
                "A network of organizations across eastern Missouri and southern Illinois working to end trafficking.",
                [County("29510", "St. Louis city"), County("29189", "St. Louis County"), County("29183", "St. Charles County"), County("29099", "Jefferson County"), County("17163", "St. Clair County, IL"), County("17119", "Madison County, IL")]),
            Collab("human-trafficking-rescue-project", "Human Trafficking Rescue Project", "coalition",
                "A Missouri organization working to raise awareness of human trafficking and support survivors.", [Missouri]),
            Collab("stand-against-trafficking", "Stand Against Trafficking", "coalition",
                "A Missouri group that educates communities about trafficking and how to respond.", [Missouri]),
            Collab("missouri-ag-task-force-against-human-trafficking", "Missouri Attorney General Task Force Against Human Trafficking", "task-force",
                "A statewide task force convened by the Missouri Attorney General to coordinate the response to human trafficking.", [Missouri]) with { Kind = ListingKinds.Government },
            new()
            {
                Id = "voca-victim-assistance-grants-missouri",
                Kind = ListingKinds.FundingSource,
                Name = "Victims of Crime Act (VOCA) victim assistance grants",
                Description = "Federal Crime Victims Fund grants, administered by each state, that pay for direct services to crime victims, including survivors of trafficking.",
                ServiceAreas = [Missouri],
                Services = [new() { Id = "voca-grants", Name = "Grants for direct victim services", TaxonomyCodes = ["financial-assistance"] }],
                Funding = new()
                {
                    Funder = "U.S. Department of Justice, Office for Victims of Crime (administered by the State of Missouri)",
                    Program = "VOCA Victim Assistance",
                    Eligibility = "Public and non-profit organizations that provide direct services to crime victims.",
                },
                Populations = [.. Populations.All.Select(p => p.Code)],
                TraffickingTypes = ["sex", "labor"],
            },
        };

        var n = 0;
        // Confidential shelters sit away from any town or ZIP code centre and from their county's ranking point, and their
        // public text names the county only (a town's name would give a small-town shelter away).
        Listing Agency(string slug, string name, string street, string city, string zip, string fips, string countyName, double lat, double lon, string[] services,
            string[] populations, string[]? languages = null, bool confidential = false, bool always = false)
        {
            n++;
            var id = "demo-" + slug;
            return new Listing
            {
                Id = id,
                Kind = ListingKinds.VictimServiceAgency,
                Name = name,
                Description = (confidential ? $"Demo listing: a made-up shelter in {countyName}, Missouri, used to show how the directory works. " :
                                  $"Demo listing: a made-up agency in {city} used to show how the directory works. ") +
                              $"Offers {string.Join(", ", services.Select(s => Taxonomy.Find(s)!.Label.ToLowerInvariant()))}.",
                Website = $"https://{slug}.example.org",
                Email = $"help@{slug}.example.org",
                Services = [.. services.Select((s, i) => new Service { Id = $"{id}-svc-{i + 1}", Name = Taxonomy.Find(s)!.Label, TaxonomyCodes = [s] })],
                Locations =
                [
                    new()
                    {
                        Id = $"{id}-loc-1", Name = confidential ? "Shelter (confidential location)" : "Main office",
                        Latitude = lat, Longitude = lon, Confidential = confidential,
                        Address = new() { Street1 = street, City = city, State = "MO", PostalCode = zip, CountyFips = fips, CountyName = countyName },
                    },
                ],
                ServiceAreas = [County(fips, countyName)],
                Phones =
                [
                    new() { Number = $"(573) 555-01{n:00}", Type = always ? PhoneTypes.Hotline : PhoneTypes.Voice, Hours = always ? Always : Weekdays(), Languages = [.. languages ?? ["en"]] },
                ],
                Hours = always ? Always : Weekdays(),
                Languages = [.. languages ?? ["en"]],
                Populations = [.. populations],
                TraffickingTypes = ["sex", "labor"],
                FreeOfCharge = true,
                AcceptingReferrals = true,
                LastVerified = today.AddDays(-30 * n),
                IsDemo = true,
                // Referral readiness: a confidential shelter keeps its intake steps for signed-in staff only.
                Readiness = new ReferralReadiness
                {
                    IntakeProtocol = confidential
                        ? $"Call (573) 555-01{n:00} any time and ask for intake. Staff check safety by phone first, then give the address and arrange a ride."
                        : $"Call (573) 555-01{n:00} and ask for intake; a case manager calls back the same working day. No documents needed to start.",
                    WarmTransfers = true,
                    WarmTransferPhone = $"(573) 555-01{n:00}",
                    WarmTransferHours = always ? Always : Weekdays(9, 16),
                    CapacityNote = confidential ? "Beds change daily: call before referring." : "Taking new clients.",
                    CapacityAsOf = today.AddDays(-(n % 7)),
                    StaffOnly = confidential,
                },
            };
        }

        string[] adults = ["adults", "female", "male", "transgender-gender-diverse", "us-citizen-or-resident", "foreign-national", "lgbtq", "people-with-disabilities"];
        string[] everyone = [.. Populations.All.Select(p => p.Code)];
        string[] youth = ["minors", "female", "male", "transgender-gender-diverse", "us-citizen-or-resident", "foreign-national", "lgbtq"];
        list.AddRange(
        [
            Agency("gateway-survivor-services", "Gateway Survivor Services (demo)", "1410 Olive Street", "St. Louis", "63101", "29510", "St. Louis city", 38.6270, -90.1994,
                ["case-management", "victim-advocacy", "court-accompaniment", "mental-health"], adults, ["en", "es"]),
            Agency("river-city-immigration-legal-aid", "River City Immigration Legal Aid (demo)", "3219 Gravois Avenue", "St. Louis", "63110", "29510", "St. Louis city", 38.6105, -90.2440,
                ["immigration-legal-services", "civil-legal-services", "interpretation"], adults, ["en", "es", "vi", "ar"]),
            Agency("meramec-youth-haven", "Meramec Youth Haven (demo)", "Old Bluff Road", "Eureka", "63025", "29189", "St. Louis County", 38.5279, -90.5759,
                ["youth-shelter", "case-management", "education"], youth, always: true, confidential: true),
            Agency("heartland-freedom-center", "Heartland Freedom Center (demo)", "1827 Grand Boulevard", "Kansas City", "64106", "29095", "Jackson County", 39.0997, -94.5786,
                ["case-management", "transitional-housing", "employment-services", "life-skills"], adults, ["en", "es"]),
            Agency("kc-safe-harbor-shelter", "KC Safe Harbor Shelter (demo)", "Hillside Farm Lane", "Grain Valley", "64029", "29095", "Jackson County", 38.9429, -94.2087,
                ["emergency-shelter", "crisis-hotline", "food-and-clothing"], adults, always: true, confidential: true),
            Agency("ozarks-survivor-network", "Ozarks Survivor Network (demo)", "606 Boonville Avenue", "Springfield", "65806", "29077", "Greene County", 37.2090, -93.2923,
                ["victim-advocacy", "peer-support", "substance-use-treatment"], everyone),
            Agency("boone-county-safe-house", "Boone County Safe House (demo)", "Route B, Box 18", "Hallsville", "65255", "29019", "Boone County", 39.0030, -92.1564,
                ["emergency-shelter", "case-management", "transportation"], adults, ["en", "es"], confidential: true, always: true),
            Agency("mid-missouri-legal-advocates", "Mid-Missouri Legal Advocates (demo)", "912 East Walnut Street", "Columbia", "65201", "29019", "Boone County", 38.9460, -92.3290,
                ["civil-legal-services", "criminal-record-relief", "court-accompaniment"], adults),
            Agency("four-states-care-clinic", "Four States Care Clinic (demo)", "2231 South Main Street", "Joplin", "64801", "29097", "Jasper County", 37.0842, -94.5133,
                ["medical-care", "dental-care", "forensic-exam"], everyone, ["en", "es"]),
            Agency("southeast-missouri-hope-center", "Southeast Missouri Hope Center (demo)", "418 Broadway", "Cape Girardeau", "63701", "29031", "Cape Girardeau County", 37.3059, -89.5181,
                ["case-management", "financial-assistance", "long-term-housing"], adults),
            Agency("st-joseph-youth-outreach", "St. Joseph Youth Outreach (demo)", "1320 Frederick Avenue", "St. Joseph", "64501", "29021", "Buchanan County", 39.7675, -94.8467,
                ["prevention-education", "youth-shelter", "family-reunification"], youth),
            Agency("capital-city-advocacy", "Capital City Advocacy Center (demo)", "233 East High Street", "Jefferson City", "65101", "29051", "Cole County", 38.5767, -92.1735,
                ["victim-advocacy", "mental-health", "professional-training"], adults),
            Agency("northeast-missouri-family-support", "Northeast Missouri Family Support (demo)", "705 East LaHarpe Street", "Kirksville", "63501", "29001", "Adair County", 40.1948, -92.5833,
                ["child-welfare", "family-reunification", "case-management"], everyone),
            Agency("ozark-highlands-recovery", "Ozark Highlands Recovery (demo)", "1100 Kingshighway", "Rolla", "65401", "29161", "Phelps County", 37.9514, -91.7713,
                ["substance-use-treatment", "mental-health", "peer-support"], adults),
            Agency("bootheel-survivor-services", "Bootheel Survivor Services (demo)", "319 Vine Street", "Poplar Bluff", "63901", "29023", "Butler County", 36.7570, -90.3929,
                ["victim-advocacy", "transportation", "food-and-clothing"], everyone),
            Agency("river-bluffs-outreach", "River Bluffs Outreach (demo)", "1615 Broadway", "Hannibal", "63401", "29127", "Marion County", 39.7084, -91.3585,
                ["case-management", "employment-services", "education"], adults),
            Agency("south-central-crisis-line", "South Central Crisis Line (demo)", "404 West Main Street", "West Plains", "65775", "29091", "Howell County", 36.7281, -91.8524,
                ["crisis-hotline", "victim-advocacy"], everyone, always: true),
            Agency("show-me-worker-rights", "Show-Me Worker Rights Center (demo)", "1700 West 16th Street", "Sedalia", "65301", "29159", "Pettis County", 38.7045, -93.2283,
                ["civil-legal-services", "employment-services", "interpretation"], adults, ["en", "es", "zh"]),
            Agency("tri-lakes-repatriation-help", "Tri-Lakes Survivor & Repatriation Help (demo)", "1105 State Highway 248", "Branson", "65616", "29213", "Taney County", 36.6437, -93.2185,
                ["repatriation", "immigration-legal-services", "interpretation"], adults, ["en", "es", "tl"]),
        ]);
        return list;
    }

    private static Listing Collab(string id, string name, string type, string description, List<ServiceArea> areas) => new()
    {
        Id = id,
        Kind = ListingKinds.Coalition,
        CollaborationType = type,
        Name = name,
        Description = description + " Contact details are not yet in the directory; they appear once an admin verifies them.",
        ServiceAreas = areas,
        Services = [new() { Id = id + "-collab", Name = "Collaboration, training and awareness", TaxonomyCodes = ["professional-training", "prevention-education"] }],
        Languages = ["en"],
        Populations = [.. Populations.All.Select(p => p.Code)],
        TraffickingTypes = ["sex", "labor"],
    };
}
