using System.Net;
using System.Text.Json;
using ReferralDirectory.Guidance;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Guidance;

/// <summary>GET /v1/guidance and GET /v1/states/{state}/profile over real HTTP: the seed pages' facts, in English and Spanish.</summary>
public sealed class GuidanceApiTests : DemoAppTests
{
    private async Task<(JsonElement Body, HttpResponseMessage Response, string Raw)> GetAsync(string url, string? acceptLanguage = null, int status = 200)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        var response = await Client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), $"GET {url}: {raw}");
        return (JsonDocument.Parse(raw).RootElement.Clone(), response, raw);
    }

    private static JsonElement Section(JsonElement guidance, string topic, string section) =>
        guidance.Items("topics").Single(t => t.GetProperty("id").GetString() == topic)
            .Items("sections").Single(s => s.GetProperty("id").GetString() == section);

    private static JsonElement Item(JsonElement guidance, string topic, string section, string item) =>
        Section(guidance, topic, section).Items("items").Single(i => i.GetProperty("id").GetString() == item);

    private static string Text(JsonElement guidance, string topic, string section, string item) =>
        Item(guidance, topic, section, item).GetProperty("text").GetString()!;

    private static string[] Numbers(JsonElement e, string property) =>
        [.. e.Items(property).Select(p => p.GetProperty("number").GetString()!)];

    private static string[] Links(JsonElement e, string property) =>
        [.. e.Items(property).Select(p => p.GetProperty("link").GetString()!)];

    [Test]
    public async Task Guidance_carries_the_seed_pages_facts_with_sources_and_dates()
    {
        var (g, response, raw) = await GetAsync("/v1/guidance");
        Assert.That(response.Content.Headers.ContentLanguage, Is.EqualTo(new[] { "en" }));
        Assert.That(response.Headers.Vary, Does.Contain("Accept-Language"));
        Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=60"));
        Assert.That(response.Headers.ETag, Is.Not.Null);
        Assert.That(g.GetProperty("language").GetString(), Is.EqualTo("en"));
        Assert.That(g.Items("topics").Select(t => t.GetProperty("id").GetString()), Is.EqualTo(new[] { "recognize", "what-to-do", "questions-to-ask", "youth-safety" }));

        // How to recognize it: the Highway Patrol's 12 questions and the agency's 10 signs.
        var patrol = Section(g, "recognize", "highway-patrol-signs");
        Assert.That(patrol.Items("items").Count(), Is.EqualTo(12));
        Assert.That(Text(g, "recognize", "highway-patrol-signs", "come-and-go"), Is.EqualTo("Can the person come and go from their residence freely?"));
        Assert.That(patrol.GetProperty("note").GetString(), Does.StartWith("Not all indicators listed above are present in every human trafficking situation"));
        var agency = Section(g, "recognize", "agency-signs").Items("items").Select(i => i.GetProperty("text").GetString()).ToList();
        Assert.That(agency, Has.Count.EqualTo(10));
        Assert.That(agency, Does.Contain("Working unusual/extremely long hours").And.Contain("Not allowed to speak for themselves"));

        // What to do.
        Assert.That(Text(g, "what-to-do", "report", "report-to-hotline"), Is.EqualTo("Report suspected human trafficking to 1-888-373-7888."));
        Assert.That(Links(Item(g, "what-to-do", "report", "report-to-hotline"), "phones"), Is.EqualTo(new[] { "tel:+18883737888" }));
        var rescue = Item(g, "what-to-do", "report", "do-not-rescue");
        Assert.That(rescue.GetProperty("text").GetString(), Is.EqualTo("Don’t rescue them. Call 9-1-1 or *55."));
        Assert.That(Links(rescue, "phones"), Is.EqualTo(new[] { "tel:911", "tel:*55" }));
        Assert.That(Text(g, "what-to-do", "report", "truck-stop"), Does.Contain("Document a vehicle color, make, model, license plate number, number of people in the vehicle, driver description"));
        Assert.That(Text(g, "what-to-do", "report", "missouri-tipline"), Does.Contain("800-700-1650"));

        // The seed page's text number is corrected, and says so.
        var victim = Item(g, "what-to-do", "if-this-is-happening-to-you", "national-hotline");
        Assert.That(victim.GetProperty("text").GetString(), Is.EqualTo("You can also contact the National Human Trafficking Resource Center at 1-888-373-7888 or text HELP or INFO to BeFREE (233733)."));
        Assert.That(victim.GetProperty("correction").GetString(), Does.Contain("233733"));
        Assert.That(Links(victim, "phones"), Is.EqualTo(new[] { "tel:+18883737888", "sms:233733" }));
        Assert.That(raw, Does.Contain("233733").And.Not.Contain("233722"));

        // Questions to ask, and the youth safety tips in three parts.
        Assert.That(Section(g, "questions-to-ask", "questions").Items("items").Select(i => i.GetProperty("text").GetString()), Is.EqualTo(new[]
        {
            "Are you being paid?", "Can you come and go as you please?", "Have you or your loved ones been threatened?",
            "Are you able to leave your area of work?", "Where do you sleep and eat?",
        }));
        var youth = g.Items("topics").Single(t => t.GetProperty("id").GetString() == "youth-safety");
        Assert.That(youth.Items("sections").Select(s => s.GetProperty("id").GetString()), Is.EqualTo(new[] { "online", "general", "out-with-friends", "risk-factors" }));
        Assert.That(Text(g, "youth-safety", "online", "strangers"), Is.EqualTo("Do not respond to strangers online"));
        Assert.That(Text(g, "youth-safety", "general", "trust-your-gut"), Is.EqualTo("Trust your gut"));
        Assert.That(Text(g, "youth-safety", "out-with-friends", "uncomfortable-leave"), Is.EqualTo("If you’re ever uncomfortable, leave"));

        // Hotlines and the 911 notice.
        var national = g.Items("hotlines").Single(h => h.GetProperty("id").GetString() == "national-human-trafficking-hotline");
        Assert.That(Numbers(national, "phones"), Is.EqualTo(new[] { "1-888-373-7888", "233733" }));
        Assert.That(Links(national, "phones"), Is.EqualTo(new[] { "tel:+18883737888", "sms:233733" }));
        Assert.That(national.GetProperty("description").GetString(), Does.Contain("24/7, in more than 200 languages"));
        var tipline = g.Items("hotlines").Single(h => h.GetProperty("id").GetString() == "missouri-attorney-general-trafficking-tipline");
        Assert.That(Numbers(tipline, "phones"), Is.EqualTo(new[] { "800-700-1650" }));
        Assert.That(tipline.GetProperty("description").GetString(), Is.EqualTo("Call this state-wide hotline to report incidents of human trafficking."));
        Assert.That(g.GetProperty("emergency").GetProperty("number").GetString(), Is.EqualTo("911"));

        // Every item names a listed source page and the date its text was copied.
        var sources = g.Items("sources").ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.That(sources["mshp-human-trafficking"].GetProperty("publisher").GetString(), Is.EqualTo("Missouri State Highway Patrol"));
        var items = g.Items("topics").SelectMany(t => t.Items("sections")).SelectMany(s => s.Items("items")).ToList();
        Assert.That(items, Has.Count.EqualTo(66));
        foreach (var i in items)
        {
            Assert.That(sources, Does.ContainKey(i.GetProperty("source").GetString()!), i.GetProperty("id").GetString());
            Assert.That(i.GetProperty("asOf").GetString(), Is.EqualTo("2026-11-21"));
        }
        Assert.That(Item(g, "questions-to-ask", "questions", "paid").GetProperty("source").GetString(), Is.EqualTo("central-missouri-agency-survivors"));
        Assert.That(Item(g, "recognize", "highway-patrol-signs", "phones").GetProperty("source").GetString(), Is.EqualTo("mshp-human-trafficking"));
    }

    [Test]
    public async Task Guidance_in_Spanish_has_the_same_items_numbers_and_phone_numbers()
    {
        var (en, _, enRaw) = await GetAsync("/v1/guidance?lang=en");
        var (es, response, esRaw) = await GetAsync("/v1/guidance?lang=es");
        Assert.That(response.Content.Headers.ContentLanguage, Is.EqualTo(new[] { "es" }));
        Assert.That(es.GetProperty("language").GetString(), Is.EqualTo("es"));
        Assert.That(Text(es, "questions-to-ask", "questions", "paid"), Is.EqualTo("¿Le están pagando?"));
        Assert.That(Text(es, "what-to-do", "report", "report-to-hotline"), Is.EqualTo("Informe sobre una posible situación de trata de personas llamando al 1-888-373-7888."));
        Assert.That(Text(es, "what-to-do", "report", "do-not-rescue"), Is.EqualTo("No intente rescatarlos. Llame al 9-1-1 o al *55."));
        Assert.That(Text(es, "what-to-do", "report", "immediate-danger"), Is.EqualTo("Si alguien está en peligro inmediato, llame al 911."));
        Assert.That(Text(es, "youth-safety", "online", "strangers"), Is.EqualTo("No respondas a personas desconocidas en internet"));
        Assert.That(Text(es, "recognize", "highway-patrol-signs", "eye-contact"), Is.EqualTo("¿Miran a los ojos? ¿O bajan la cabeza? ¿Parecen tener miedo?"));
        Assert.That(es.GetProperty("emergency").GetProperty("message").GetString(), Is.EqualTo("Si alguien está en peligro inmediato, llame al 911."));
        Assert.That(esRaw, Does.Contain("233733").And.Not.Contain("233722"));
        Assert.That(enRaw, Is.Not.EqualTo(esRaw));

        // Item by item: same ids, same sources and dates, same phone numbers, and the same numbers in the text.
        var enItems = en.Items("topics").SelectMany(t => t.Items("sections")).SelectMany(s => s.Items("items")).ToList();
        var esItems = es.Items("topics").SelectMany(t => t.Items("sections")).SelectMany(s => s.Items("items")).ToList();
        Assert.That(esItems.Select(i => i.GetProperty("id").GetString()), Is.EqualTo(enItems.Select(i => i.GetProperty("id").GetString())));
        var withNumbers = 0;
        foreach (var (a, b) in enItems.Zip(esItems))
        {
            var id = a.GetProperty("id").GetString();
            var (ta, tb) = (a.GetProperty("text").GetString()!, b.GetProperty("text").GetString()!);
            Assert.That(tb, Is.Not.EqualTo(ta), $"{id} is translated");
            Assert.That(SameNumbersInEveryLanguage.NumbersIn(tb), Is.EqualTo(SameNumbersInEveryLanguage.NumbersIn(ta)), id);
            Assert.That(Numbers(b, "phones"), Is.EqualTo(Numbers(a, "phones")), id);
            Assert.That(Links(b, "phones"), Is.EqualTo(Links(a, "phones")), id);
            Assert.That(b.GetProperty("source").GetString(), Is.EqualTo(a.GetProperty("source").GetString()), id);
            if (SameNumbersInEveryLanguage.NumbersIn(ta).Count > 0) withNumbers++;
        }
        Assert.That(withNumbers, Is.EqualTo(9), "items whose text holds numbers");
        foreach (var (a, b) in en.Items("hotlines").Zip(es.Items("hotlines")))
        {
            Assert.That(Numbers(b, "phones"), Is.EqualTo(Numbers(a, "phones")));
            Assert.That(SameNumbersInEveryLanguage.NumbersIn(b.GetProperty("description").GetString()!), Is.EqualTo(SameNumbersInEveryLanguage.NumbersIn(a.GetProperty("description").GetString()!)));
        }
    }

    [Test]
    public async Task Language_comes_from_lang_first_then_Accept_Language_then_English()
    {
        async Task<string> LanguageOf(string url, string? accept)
        {
            var (body, response, _) = await GetAsync(url, accept);
            Assert.That(response.Content.Headers.ContentLanguage.Single(), Is.EqualTo(body.GetProperty("language").GetString()));
            return body.GetProperty("language").GetString()!;
        }
        Assert.That(await LanguageOf("/v1/guidance", null), Is.EqualTo("en"));
        Assert.That(await LanguageOf("/v1/guidance", "es-MX,es;q=0.9,en;q=0.5"), Is.EqualTo("es"));
        Assert.That(await LanguageOf("/v1/guidance", "fr-FR, es;q=0.5, en;q=0.2"), Is.EqualTo("es"));
        Assert.That(await LanguageOf("/v1/guidance", "fr-FR"), Is.EqualTo("en"));
        Assert.That(await LanguageOf("/v1/guidance", "es;q=0, en;q=0.1"), Is.EqualTo("en"));
        Assert.That(await LanguageOf("/v1/guidance?lang=en", "es"), Is.EqualTo("en"), "lang wins over Accept-Language");
        Assert.That(await LanguageOf("/v1/guidance?lang=ES", "en"), Is.EqualTo("es"));
        Assert.That(await LanguageOf("/v1/states/MO/profile", "es"), Is.EqualTo("es"));

        // Each language has its own ETag; a matching If-None-Match is a 304.
        var (_, es, _) = await GetAsync("/v1/guidance", "es");
        var (_, en, _) = await GetAsync("/v1/guidance", "en");
        Assert.That(es.Headers.ETag!.Tag, Is.Not.EqualTo(en.Headers.ETag!.Tag));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/v1/guidance");
        again.Headers.TryAddWithoutValidation("Accept-Language", "es");
        again.Headers.IfNoneMatch.Add(es.Headers.ETag);
        using var notModified = await Client.SendAsync(again);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(notModified.Content.Headers.ContentLanguage, Is.EqualTo(new[] { "es" }));
    }

    [Test]
    public async Task Missouri_profile_carries_statistics_venues_laws_collaborations_resources_funding_and_hotlines()
    {
        var (p, response, raw) = await GetAsync("/v1/states/MO/profile");
        Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=60"));
        Assert.That(p.GetProperty("state").GetString(), Is.EqualTo("MO"));
        Assert.That(p.GetProperty("stateName").GetString(), Is.EqualTo("Missouri"));
        Assert.That(p.GetProperty("title").GetString(), Is.EqualTo("Missouri: Efforts to Combat Human Trafficking"));
        Assert.That(p.GetProperty("source").GetString(), Is.EqualTo("hhs-region-vii-missouri-profile"));

        var stats = p.Items("statistics").ToDictionary(g => g.GetProperty("id").GetString()!);
        var mo = stats["missouri-contacts-2007-2021"];
        Assert.That(mo.Items("figures").Select(f => (f.GetProperty("value").GetInt64(), f.GetProperty("text").GetString())), Is.EqualTo(new[]
        {
            (6166L, "6,166 contacts"), (1524L, "1,524 cases reported"), (3160L, "3,160 victims identified"),
        }));
        Assert.That(mo.GetProperty("period").GetProperty("to").GetString(), Is.EqualTo("2021-12-31"));
        Assert.That(stats["missouri-contacts-2021"].Items("figures").Select(f => f.GetProperty("value").GetInt64()), Is.EqualTo(new[] { 1103L, 240, 327 }));
        Assert.That(stats["united-states-contacts-2007-2021"].Items("figures").Select(f => f.GetProperty("value").GetInt64()), Is.EqualTo(new[] { 399494L, 82301 }));
        Assert.That(stats["missouri-gender-2012-2016"].Items("figures").Select(f => f.GetProperty("text").GetString()), Is.EqualTo(new[] { "Female: 330", "Male: 62", "Gender Minorities: 0" }));
        Assert.That(stats["missouri-age-2012-2016"].Items("figures").Select(f => f.GetProperty("value").GetInt64()), Is.EqualTo(new[] { 247L, 140 }));
        Assert.That(stats["missouri-citizenship-2012-2016"].Items("figures").Select(f => f.GetProperty("value").GetInt64()), Is.EqualTo(new[] { 167L, 66 }));

        var venues = p.Items("topVenues").ToDictionary(v => v.GetProperty("id").GetString()!);
        Assert.That(venues["sex-trafficking"].Items("venues").Select(v => v.GetProperty("name").GetString()), Is.EqualTo(new[]
            { "Online Ad. Venue Unknown", "Residential Brothels", "Hotel-/Motel-Based", "Commercial-Front Brothels", "Other Venues" }));
        Assert.That(venues["labor-trafficking"].Items("venues").Select(v => v.GetProperty("name").GetString()), Is.EqualTo(new[]
            { "Traveling Sales Crews", "Landscaping Services", "Health and Beauty Services", "Restaurants/Food Services", "Agriculture" }));
        Assert.That(venues["labor-trafficking"].Items("venues").Select(v => v.GetProperty("rank").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));

        Assert.That(p.Items("laws").Select(l => l.GetProperty("statute").GetString()), Is.EqualTo(new[] { "§ 566.203", "§ 566.223", "§ 566.215.1", "§ 513.607", "§ 566.212", "§ 566.206" }));
        var forcedLabor = p.Items("laws").First();
        Assert.That(forcedLabor.GetProperty("title").GetString(), Is.EqualTo("Abusing an Individual Through Forced Labor Penalty"));
        Assert.That(forcedLabor.GetProperty("officialTitle").GetString(), Is.EqualTo("Abusing an Individual Through Forced Labor Penalty"));

        Assert.That(p.Items("collaborations").Select(c => c.GetProperty("name").GetString()), Is.EqualTo(new[]
        {
            "Human Trafficking Task Force of Eastern Missouri", "Central Missouri Stop Human Trafficking Coalition",
            "Stop Human Trafficking: Eastern MO, Southern Illinois Network", "Human Trafficking Rescue Project", "Stand Against Trafficking",
            "Missouri Attorney General Task Force Against Human Trafficking",
        }));
        var resources = p.Items("resources").Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.That(resources, Has.Count.EqualTo(5));
        Assert.That(resources, Does.Contain("Human Trafficking Manual").And.Contain("Human Trafficking Trainings"));
        Assert.That(p.Items("funding").Single().GetProperty("name").GetString(), Is.EqualTo("Victims of Crime Act grants and funds"));
        Assert.That(p.Items("campaigns").Single().GetProperty("name").GetString(), Is.EqualTo("Bills for Billboard"));
        Assert.That(p.GetProperty("referralDirectory").GetProperty("text").GetString(), Is.EqualTo("Ten victim service agencies are listed in the National Human Trafficking Referral Directory in Missouri."));
        Assert.That(p.GetProperty("moreStatistics").GetProperty("url").GetString(), Is.EqualTo("https://humantraffickinghotline.org/state/missouri"));

        Assert.That(p.Items("hotlines").Select(h => Numbers(h, "phones")[0]), Is.EqualTo(new[] { "1-888-373-7888", "800-700-1650" }));
        Assert.That(p.Items("hotlines").First().GetProperty("description").GetString(), Does.StartWith("The National Hotline serves victims and survivors of human trafficking"));
        Assert.That(p.GetProperty("emergency").GetProperty("number").GetString(), Is.EqualTo("911"));
        Assert.That(p.Items("sources").Select(s => s.GetProperty("id").GetString()), Is.EquivalentTo(new[] { "missouri-nhth-figures", "hhs-region-vii-missouri-profile" }));
        Assert.That(raw, Does.Not.Contain("233722").And.Not.Contain("humanhuman"));
    }

    [Test]
    public async Task Missouri_profile_in_Spanish_keeps_every_number_statute_and_phone_number()
    {
        var (en, _, _) = await GetAsync("/v1/states/MO/profile");
        var (es, response, _) = await GetAsync("/v1/states/mo/profile?lang=es");
        Assert.That(response.Content.Headers.ContentLanguage, Is.EqualTo(new[] { "es" }));
        Assert.That(es.GetProperty("title").GetString(), Is.EqualTo("Missouri: acciones contra la trata de personas"));
        var forcedLabor = es.Items("laws").First();
        Assert.That(forcedLabor.GetProperty("statute").GetString(), Is.EqualTo("§ 566.203"));
        Assert.That(forcedLabor.GetProperty("title").GetString(), Is.EqualTo("Sanción por abusar de una persona mediante trabajo forzoso"));
        Assert.That(forcedLabor.GetProperty("officialTitle").GetString(), Is.EqualTo("Abusing an Individual Through Forced Labor Penalty"));
        var contacts = es.Items("statistics").First().Items("figures").First();
        Assert.That(contacts.GetProperty("text").GetString(), Is.EqualTo("6,166 contactos"));
        Assert.That(contacts.GetProperty("value").GetInt64(), Is.EqualTo(6166));
        Assert.That(es.Items("topVenues").First().Items("venues").First().GetProperty("name").GetString(), Is.EqualTo("Anuncio en internet, lugar desconocido"));
        Assert.That(es.Items("hotlines").Last().GetProperty("description").GetString(), Is.EqualTo("Llame a esta línea estatal para informar sobre casos de trata de personas en Missouri."));

        Assert.That(es.Items("laws").Select(l => l.GetProperty("statute").GetString()), Is.EqualTo(en.Items("laws").Select(l => l.GetProperty("statute").GetString())));
        Assert.That(es.Items("collaborations").Select(c => c.GetProperty("name").GetString()), Is.EqualTo(en.Items("collaborations").Select(c => c.GetProperty("name").GetString())));
        Assert.That(es.Items("hotlines").Select(h => Numbers(h, "phones")), Is.EqualTo(en.Items("hotlines").Select(h => Numbers(h, "phones"))));
        foreach (var (a, b) in en.Items("statistics").Zip(es.Items("statistics")))
        {
            Assert.That(b.Items("figures").Select(f => f.GetProperty("value").GetInt64()), Is.EqualTo(a.Items("figures").Select(f => f.GetProperty("value").GetInt64())));
            foreach (var (fa, fb) in a.Items("figures").Zip(b.Items("figures")))
                Assert.That(SameNumbersInEveryLanguage.NumbersIn(fb.GetProperty("text").GetString()!), Is.EqualTo(SameNumbersInEveryLanguage.NumbersIn(fa.GetProperty("text").GetString()!)));
            foreach (var (na, nb) in a.Items("notes").Zip(b.Items("notes")))
                Assert.That(SameNumbersInEveryLanguage.NumbersIn(nb.GetString()!), Is.EqualTo(SameNumbersInEveryLanguage.NumbersIn(na.GetString()!)));
        }
    }

    [Test]
    public async Task Unknown_parameters_and_languages_are_400_problems_naming_the_field()
    {
        foreach (var url in new[] { "/v1/guidance?language=es", "/v1/states/MO/profile?lng=es" })
        {
            var (p, response, _) = await GetAsync(url, status: 400);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            var field = url[(url.IndexOf('?') + 1)..url.IndexOf('=')];
            Assert.That(p.GetProperty("errors").GetProperty(field)[0].GetString(), Is.EqualTo($"Unknown query parameter '{field}'. This endpoint takes: lang."));
        }
        var (bad, _, _) = await GetAsync("/v1/guidance?lang=fr", status: 400);
        Assert.That(bad.GetProperty("errors").GetProperty("lang")[0].GetString(), Is.EqualTo("'lang' must be one of: en, es."));
        var (twice, _, _) = await GetAsync("/v1/guidance?lang=en&lang=es", status: 400);
        Assert.That(twice.GetProperty("errors").GetProperty("lang")[0].GetString(), Is.EqualTo("Give 'lang' once."));
    }

    [Test]
    public async Task Unknown_state_or_a_state_without_a_profile_is_a_404_problem_that_gives_the_national_hotline()
    {
        var (unknown, response, _) = await GetAsync("/v1/states/ZZ/profile", status: 404);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(unknown.GetProperty("title").GetString(), Is.EqualTo("Unknown state."));
        Assert.That(unknown.GetProperty("detail").GetString(), Is.EqualTo(
            "'ZZ' is not a U.S. state code. Use a two-letter code such as MO. The National Human Trafficking Hotline answers 24/7 across the United States: call 1-888-373-7888 or text 233733."));
        Assert.That(Numbers(unknown.Items("hotlines").Single(), "phones"), Is.EqualTo(new[] { "1-888-373-7888", "233733" }));
        Assert.That(unknown.GetProperty("emergency").GetProperty("number").GetString(), Is.EqualTo("911"));

        var (long_, _, _) = await GetAsync("/v1/states/Missouri/profile", status: 404);
        Assert.That(long_.GetProperty("detail").GetString(), Does.StartWith("That value is not a U.S. state code."));

        var (kansas, _, _) = await GetAsync("/v1/states/KS/profile", status: 404);
        Assert.That(kansas.GetProperty("title").GetString(), Is.EqualTo("There is no profile for this state yet."));
        Assert.That(kansas.GetProperty("detail").GetString(), Is.EqualTo(
            "We do not have a profile for Kansas yet. The National Human Trafficking Hotline answers 24/7 across the United States: call 1-888-373-7888 or text 233733."));
        Assert.That(kansas.GetProperty("statesWithProfiles").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "MO" }));

        var (spanish, esResponse, _) = await GetAsync("/v1/states/KS/profile?lang=es", status: 404);
        Assert.That(esResponse.Content.Headers.ContentLanguage, Is.EqualTo(new[] { "es" }));
        Assert.That(spanish.GetProperty("title").GetString(), Is.EqualTo("Todavía no hay un perfil para este estado."));
        Assert.That(spanish.GetProperty("detail").GetString(), Does.StartWith("Todavía no tenemos un perfil para Kansas.").And.Contain("llame al 1-888-373-7888 o envíe un mensaje de texto al 233733."));
    }
}
