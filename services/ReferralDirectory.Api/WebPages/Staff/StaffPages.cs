using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Geo;
using ReferralDirectory.Guidance;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Search;
using static ReferralDirectory.Api.WebPages.Staff.StaffLayout;

namespace ReferralDirectory.Api.WebPages.Staff;

/// <summary>
/// The caseworker pages: search (by ZIP or town, with the API's filters) with exact details of confidential
/// locations, a shortlist, compare, and a print-ready referral sheet. Everything works without JavaScript: every
/// form posts (search terms never in a URL), the shortlist travels in the forms as listing ids only, and the server
/// keeps nothing about the client. <c>/js/staff.js</c> only adds the copy button and the client note (never sent).
/// </summary>
public static class StaffPages
{
    private const int MaxShortlist = 10;

    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/staff", async (HttpContext http, IAntiforgery af) =>
            await StaffSignIn.StaffUserAsync(http) is not { } user ? SignIn(http) : Search(http, user, af, new SearchForm(), null, [])).ExcludeFromDescription();
        app.MapPost("/staff", async (HttpContext http, IAntiforgery af, DirectorySearch search, ListingReader reader) =>
        {
            if (await StaffSignIn.StaffUserAsync(http) is not { } user) return SignIn(http);
            if (await RefuseForgeryAsync(http, af) is { } refused) return refused;
            var form = SearchForm.Read(await http.Request.ReadFormAsync());
            return Search(http, user, af, form, await RunAsync(form, search, reader, http.RequestAborted), await ListingsAsync(form.Shortlist, reader, http.RequestAborted));
        }).ExcludeFromDescription();
        app.MapPost("/staff/compare", async (HttpContext http, IAntiforgery af, DirectorySearch search, ListingReader reader) =>
        {
            if (await StaffSignIn.StaffUserAsync(http) is not { } user) return SignIn(http);
            if (await RefuseForgeryAsync(http, af) is { } refused) return refused;
            var form = SearchForm.Read(await http.Request.ReadFormAsync());
            return Compare(http, user, af, form, await ListingsAsync(form.Shortlist, reader, http.RequestAborted));
        }).ExcludeFromDescription();
        app.MapPost("/staff/sheet", async (HttpContext http, IAntiforgery af, DirectorySearch search, ListingReader reader, TimeProvider time) =>
        {
            if (await StaffSignIn.StaffUserAsync(http) is not { } user) return SignIn(http);
            if (await RefuseForgeryAsync(http, af) is { } refused) return refused;
            var form = SearchForm.Read(await http.Request.ReadFormAsync());
            var chosen = await ListingsAsync(form.Shortlist, reader, http.RequestAborted);
            var place = Resolve(form.Place, out _);
            var hotlines = place is { } p ? await ListingsAsync([.. search.Hotlines(p.Lat, p.Lon).Hotlines.Select(h => h.Listing.Id)], reader, http.RequestAborted) : [];
            return Sheet(http, user, form, chosen, hotlines, time);
        }).ExcludeFromDescription();
        return app;
    }

    private static IResult SignIn(HttpContext http) => Results.Redirect("/staff/sign-in?ReturnUrl=" + Uri.EscapeDataString("/staff"));

    /// <summary>The search form's fields (and the shortlist, as ids).</summary>
    private sealed record SearchForm
    {
        public string Place { get; init; } = "";
        public string Service { get; init; } = "";
        public string Population { get; init; } = "";
        public string Language { get; init; } = "";
        public bool OpenNow { get; init; }
        public bool Is24x7 { get; init; }
        public bool AcceptingReferrals { get; init; }
        public bool FreeOfCharge { get; init; }
        public List<string> Shortlist { get; init; } = [];

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

        /// <summary>Hidden inputs that carry the search and the shortlist to the next form.</summary>
        public string Hidden(bool withPlace = true) =>
            (withPlace ? $"<input type=\"hidden\" name=\"place\" value=\"{E(Place)}\">" : "")
            + string.Concat(Shortlist.Select(id => $"<input type=\"hidden\" name=\"shortlist\" value=\"{E(id)}\">"));
    }

    private sealed record Found(Listing Listing, double? DistanceKm);
    private sealed record SearchResult(string? Error, string? PlaceLabel, IReadOnlyList<Found> Results);

    private static (double Lat, double Lon, string Label)? Resolve(string place, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(place)) { error = "Enter a ZIP code or a town, such as 65201 or Columbia, MO."; return null; }
        var g = Gazetteer.Default;
        if (place.Length >= 5 && place[..5].All(char.IsAsciiDigit))
        {
            if (g.FindZip(place) is { } z) return (z.Latitude, z.Longitude, "ZIP " + z.Zip);
            error = $"We don't know the ZIP code {place[..5]}. Check it, or search by town.";
            return null;
        }
        var match = g.FindCity(place);
        if (match.Place is { } p) return (p.Latitude, p.Longitude, p.Label);
        error = match.Suggestions.Count > 0 ? $"We could not find that town. Did you mean: {string.Join("; ", match.Suggestions)}?" : "We could not find that town. Give it as City, ST, such as Columbia, MO.";
        return null;
    }

    private static async Task<SearchResult> RunAsync(SearchForm form, DirectorySearch search, ListingReader reader, CancellationToken ct)
    {
        if (Resolve(form.Place, out var error) is not { } at) return new SearchResult(error, null, []);
        var answer = search.Nearest(new NearestRequest(at.Lat, at.Lon, 20, form.Filter, null, Exact: true, 0), ct);
        var found = new List<Found>();
        foreach (var item in answer.Results)
            if (await reader.GetAsync(item.Listing, ct) is { } l) found.Add(new Found(l, item.DistanceKm));
        return new SearchResult(null, at.Label, found);
    }

    private static async Task<List<Listing>> ListingsAsync(IEnumerable<string> ids, ListingReader reader, CancellationToken ct)
    {
        var list = new List<Listing>();
        foreach (var id in ids)
            if (await reader.GetAsync(id, ct) is { } l) list.Add(l);
        return list;
    }

    // ------------------------------------------------------------------ rendering

    private static string Options(IEnumerable<CodeLabel> codes, string selected, string any) =>
        $"<option value=\"\">{E(any)}</option>" + string.Concat(codes.Select(c => $"<option value=\"{E(c.Code)}\"{(c.Code == selected ? " selected" : "")}>{E(c.Label)}</option>"));

    private static string Check(string name, string label, bool on) =>
        $"<div class=\"choice\"><input type=\"checkbox\" id=\"f-{name}\" name=\"{name}\" value=\"true\"{(on ? " checked" : "")}><label for=\"f-{name}\">{E(label)}</label></div>";

    private static IResult Search(HttpContext http, ClaimsPrincipal user, IAntiforgery af, SearchForm form, SearchResult? result, List<Listing> shortlist)
    {
        var sb = new StringBuilder();
        sb.Append("<h1>Find referrals</h1><div class=\"staff-columns\"><div class=\"staff-search\">");
        sb.Append($"<form method=\"post\" action=\"/staff\" id=\"search-form\">{Antiforgery(http, af)}");
        sb.Append($"<div class=\"field\"><label for=\"f-place\">ZIP code or town</label><input id=\"f-place\" name=\"place\" value=\"{E(form.Place)}\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"place-hint\"><p id=\"place-hint\" class=\"hint\">Such as 65201 or Columbia, MO</p></div>");
        sb.Append($"<div class=\"field\"><label for=\"f-service\">Service</label><select id=\"f-service\" name=\"service\">{Options(Taxonomy.All, form.Service, "Any service")}</select></div>");
        sb.Append($"<div class=\"field\"><label for=\"f-population\">Serves</label><select id=\"f-population\" name=\"population\">{Options(Populations.All, form.Population, "Anyone")}</select></div>");
        sb.Append($"<div class=\"field\"><label for=\"f-language\">Language spoken (ISO code)</label><input id=\"f-language\" name=\"language\" value=\"{E(form.Language)}\" size=\"3\" autocomplete=\"off\"></div>");
        sb.Append("<fieldset><legend>Only show</legend>").Append(Check("openNow", "Open now", form.OpenNow)).Append(Check("is24x7", "Open 24/7", form.Is24x7))
          .Append(Check("acceptingReferrals", "Accepting referrals now", form.AcceptingReferrals)).Append(Check("freeOfCharge", "Free of charge", form.FreeOfCharge)).Append("</fieldset>");
        sb.Append(string.Concat(form.Shortlist.Select(id => $"<input type=\"hidden\" name=\"shortlist\" value=\"{E(id)}\">")));
        sb.Append("<button type=\"submit\" name=\"action\" value=\"search\">Search</button>");

        // The shortlist (ids in this form only).
        sb.Append("<section class=\"shortlist\" aria-labelledby=\"shortlist-title\"><h2 id=\"shortlist-title\">Shortlist</h2>");
        if (shortlist.Count == 0) sb.Append("<p>No agencies yet. Use “Add to shortlist” on a result.</p>");
        else
        {
            sb.Append("<ol id=\"shortlist-items\">");
            foreach (var l in shortlist)
                sb.Append($"<li data-id=\"{E(l.Id)}\">{E(l.Name)} <button type=\"submit\" class=\"link-button\" name=\"remove\" value=\"{E(l.Id)}\">Remove<span class=\"visually-hidden\"> {E(l.Name)} from the shortlist</span></button></li>");
            sb.Append("</ol>");
            sb.Append("<p class=\"actions\"><button type=\"submit\" formaction=\"/staff/compare\">Compare</button> <button type=\"submit\" formaction=\"/staff/sheet\">Referral sheet</button></p>");
        }
        sb.Append("</section>");

        if (result is not null)
        {
            sb.Append("<section class=\"results\" aria-labelledby=\"results-title\">");
            if (result.Error is { } err) sb.Append($"<h2 id=\"results-title\">Results</h2><p class=\"error\" role=\"alert\">{E(err)}</p>");
            else
            {
                sb.Append($"<h2 id=\"results-title\">{result.Results.Count} results near {E(result.PlaceLabel)}</h2><ol class=\"result-list\">");
                foreach (var f in result.Results) sb.Append(ResultItem(f, form.Shortlist.Contains(f.Listing.Id)));
                sb.Append("</ol>");
            }
            sb.Append("</section>");
        }
        sb.Append("</form></div>");
        sb.Append(Guidance());
        sb.Append("</div>");
        return Page(http, "Find referrals", user, sb.ToString());
    }

    private static string ResultItem(Found f, bool listed)
    {
        var l = f.Listing;
        var sb = new StringBuilder($"<li class=\"result\" data-id=\"{E(l.Id)}\"><h3>{E(l.Name)}</h3>");
        if (f.DistanceKm is { } km) sb.Append($"<p class=\"distance\">{Km(km)}</p>");
        sb.Append(Details(l, withIntake: true));
        sb.Append(listed
            ? "<p><em>On the shortlist</em></p>"
            : $"<p><button type=\"submit\" name=\"add\" value=\"{E(l.Id)}\">Add<span class=\"visually-hidden\"> {E(l.Name)}</span> to shortlist</button></p>");
        return sb.Append("</li>").ToString();
    }

    private static string Km(double km) => string.Create(CultureInfo.InvariantCulture, $"{km:0.0} km ({km * 0.621371:0.0} miles) away");

    /// <summary>Address (exact, also for a confidential location: staff only), directions, phones, hours, readiness.</summary>
    private static string Details(Listing l, bool withIntake)
    {
        var sb = new StringBuilder("<dl class=\"details\">");
        foreach (var loc in l.Locations)
        {
            var a = loc.Address;
            var address = a is null ? "" : string.Join(", ", new[] { a.Street1, a.Street2, a.City, a.State + (a.PostalCode is null ? "" : " " + a.PostalCode) }.Where(x => !string.IsNullOrWhiteSpace(x)));
            sb.Append($"<dt>{(loc.Confidential ? "Confidential address (do not share)" : "Address")}</dt><dd class=\"address\">{E(address)}");
            if (loc.Latitude is { } lat && loc.Longitude is { } lon)
                sb.Append(string.Create(CultureInfo.InvariantCulture, $" <a class=\"directions\" rel=\"noreferrer\" href=\"https://www.google.com/maps/dir/?api=1&amp;destination={lat:0.#####}%2C{lon:0.#####}\">Directions<span class=\"visually-hidden\"> to {E(l.Name)}</span></a>"));
            sb.Append("</dd>");
        }
        foreach (var p in l.Phones) sb.Append($"<dt>{E(p.Type == PhoneTypes.Text ? "Text" : "Phone")}</dt><dd class=\"phone\"><a href=\"tel:{E(new string([.. p.Number.Where(c => char.IsAsciiDigit(c) || c is '+' or '*')]))}\">{E(p.Number)}</a>{(p.Description is null ? "" : " " + E(p.Description))}</dd>");
        sb.Append($"<dt>Hours</dt><dd class=\"hours\">{E(Hours(l.Hours))}</dd>");
        sb.Append($"<dt>Accepting referrals</dt><dd>{(l.AcceptingReferrals ? "Yes" : "No")}{(l.Readiness?.CapacityNote is { } c ? " · " + E(c) : "")}{(l.Readiness?.CapacityAsOf is { } d ? " (as of " + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ")" : "")}</dd>");
        if (withIntake && l.Readiness is { } r)
        {
            if (r.IntakeProtocol is { } ip) sb.Append($"<dt>Intake</dt><dd class=\"intake\">{E(ip)}</dd>");
            if (r.WarmTransfers is { } w) sb.Append($"<dt>Warm transfers</dt><dd>{(w ? "Yes" : "No")}{(r.WarmTransferPhone is { } wp ? " · " + E(wp) : "")}{(r.WarmTransferHours is { } wh ? " · " + E(Hours(wh)) : "")}</dd>");
            if (r.EligibilityNotes is { } en) sb.Append($"<dt>Eligibility</dt><dd>{E(en)}</dd>");
        }
        return sb.Append("</dl>").ToString();
    }

    private static string Hours(Schedule? h) => h is null ? "Not given" : h.Always ? "24 hours, 7 days"
        : string.Join("; ", h.Periods.GroupBy(p => (p.Opens, p.Closes)).Select(g =>
            string.Join(", ", g.Select(p => p.Day.ToString()[..3])) + " " + g.Key.Opens.ToString("HH:mm", CultureInfo.InvariantCulture) + "–" + g.Key.Closes.ToString("HH:mm", CultureInfo.InvariantCulture)));

    private static string Labels(IEnumerable<string> codes, IReadOnlyList<CodeLabel> vocabulary) =>
        string.Join(", ", codes.Select(c => vocabulary.FirstOrDefault(v => v.Code == c)?.Label ?? c));

    private static IResult Compare(HttpContext http, ClaimsPrincipal user, IAntiforgery af, SearchForm form, List<Listing> chosen)
    {
        var at = Resolve(form.Place, out _);
        var sb = new StringBuilder("<h1>Compare agencies</h1>");
        if (chosen.Count is < 2 or > 4)
            sb.Append("<p role=\"alert\">Choose 2 to 4 agencies on the shortlist to compare them.</p>");
        else
        {
            string Row(string head, Func<Listing, string> cell) =>
                $"<tr><th scope=\"row\">{E(head)}</th>{string.Concat(chosen.Select(l => $"<td>{cell(l)}</td>"))}</tr>";
            sb.Append("<div class=\"table-wrap\"><table class=\"compare\"><caption>The shortlisted agencies side by side</caption><thead><tr><td></td>")
              .Append(string.Concat(chosen.Select(l => $"<th scope=\"col\">{E(l.Name)}</th>"))).Append("</tr></thead><tbody>")
              .Append(Row("Services", l => E(Labels(l.Services.SelectMany(s => s.TaxonomyCodes).Distinct(), Taxonomy.All))))
              .Append(Row("Serves", l => E(Labels(l.Populations, Populations.All))))
              .Append(Row("Languages", l => E(string.Join(", ", l.Languages))))
              .Append(Row("Hours", l => E(Hours(l.Hours))))
              .Append(Row("Distance", l => at is { } p && l.Locations.FirstOrDefault(x => x.Latitude is not null) is { } loc ? E(Km(GeoMath.DistanceKm(p.Lat, p.Lon, loc.Latitude!.Value, loc.Longitude!.Value))) : "—"))
              .Append(Row("Phone", l => E(string.Join(", ", l.Phones.Select(p => p.Number)))))
              .Append(Row("Accepting referrals", l => (l.AcceptingReferrals ? "Yes" : "No") + (l.Readiness?.CapacityNote is { } c ? " · " + E(c) : "")))
              .Append(Row("Warm transfers", l => l.Readiness?.WarmTransfers is { } w ? (w ? "Yes" : "No") + (l.Readiness.WarmTransferPhone is { } wp ? " · " + E(wp) : "") : "—"))
              .Append(Row("Intake", l => E(l.Readiness?.IntakeProtocol ?? "—")))
              .Append("</tbody></table></div>");
        }
        sb.Append($"<form method=\"post\" action=\"/staff/sheet\" class=\"no-print\">{Antiforgery(http, af)}{form.Hidden()}<button type=\"submit\">Referral sheet</button> <button type=\"submit\" formaction=\"/staff\">Back to search</button></form>");
        return Page(http, "Compare agencies", user, sb.ToString());
    }

    private static IResult Sheet(HttpContext http, ClaimsPrincipal user, SearchForm form, List<Listing> chosen, List<Listing> hotlines, TimeProvider time)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), ScheduleRules.FindZone("America/Chicago") ?? TimeZoneInfo.Utc).DateTime);
        var date = today.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
        var text = new StringBuilder($"Referral sheet, {date}\n\n");
        var sb = new StringBuilder($"<h1>Referral sheet</h1><p class=\"sheet-date\">Prepared {E(date)}</p>");
        sb.Append("<section aria-labelledby=\"agencies-title\"><h2 id=\"agencies-title\">Agencies</h2>");
        foreach (var l in chosen)
        {
            sb.Append($"<article class=\"agency\" data-id=\"{E(l.Id)}\"><h3>{E(l.Name)}</h3>{Details(l, withIntake: true)}</article>");
            text.Append(l.Name).Append('\n');
            foreach (var p in l.Phones) text.Append(p.Type == PhoneTypes.Text ? "  Text: " : "  Phone: ").Append(p.Number).Append('\n');
            text.Append("  Hours: ").Append(Hours(l.Hours)).Append('\n');
            text.Append("  Accepting referrals: ").Append(l.AcceptingReferrals ? "Yes" : "No").Append(l.Readiness?.CapacityNote is { } c ? " · " + c : "").Append('\n');
            if (l.Readiness?.IntakeProtocol is { } ip) text.Append("  Intake: ").Append(ip).Append('\n');
            if (l.Readiness?.WarmTransfers == true) text.Append("  Warm transfers: Yes").Append(l.Readiness.WarmTransferPhone is { } wp ? " · " + wp : "").Append('\n');
            text.Append('\n');
        }
        if (chosen.Count == 0) sb.Append("<p>No agencies on the shortlist.</p>");
        sb.Append("</section>");
        sb.Append("<section class=\"sheet-hotlines\" aria-labelledby=\"hotlines-title\"><h2 id=\"hotlines-title\">Hotlines</h2><ul>");
        sb.Append("<li>If someone is in immediate danger, call 911.</li>");
        text.Append("Hotlines\n  If someone is in immediate danger, call 911.\n");
        var lines = hotlines.Count > 0 ? hotlines.Select(h => (h.Name, string.Join(" · ", h.Phones.Select(p => (p.Type == PhoneTypes.Text ? "text " : "call ") + p.Number)))).ToList()
            : [("National Human Trafficking Hotline", "call 1-888-373-7888 · text 233733")];
        foreach (var (name, phones) in lines)
        {
            sb.Append($"<li>{E(name)}: {E(phones)}</li>");
            text.Append("  ").Append(name).Append(": ").Append(phones).Append('\n');
        }
        sb.Append("</ul></section>");
        sb.Append("<section class=\"client-note\" aria-labelledby=\"note-title\"><h2 id=\"note-title\">Note for the client (optional)</h2>");
        sb.Append("<p class=\"hint no-print\" id=\"note-hint\">Stays in this browser: it is never sent to the directory or stored. It prints with the sheet and is added to the copied text.</p>");
        sb.Append("<textarea id=\"client-note\" rows=\"3\" aria-labelledby=\"note-title\" aria-describedby=\"note-hint\" autocomplete=\"off\"></textarea><p class=\"print-only\" id=\"client-note-print\"></p></section>");
        sb.Append("<section class=\"case-file no-print\" aria-labelledby=\"copy-title\"><h2 id=\"copy-title\">Copy to case file</h2>");
        sb.Append($"<textarea id=\"case-file-text\" rows=\"10\" readonly aria-labelledby=\"copy-title\">{E(text.ToString().TrimEnd() + "\n")}</textarea>");
        sb.Append("<p><button type=\"button\" id=\"copy-case-file\" data-copy-target=\"case-file-text\">Copy text</button> <button type=\"button\" id=\"print-sheet\">Print</button> <span id=\"copy-status\" role=\"status\"></span></p></section>");
        return Page(http, "Referral sheet", user, sb.ToString(), bodyClass: "sheet");
    }

    private static string Guidance()
    {
        var g = GuidanceLibrary.Default.Data;
        var sb = new StringBuilder("<aside class=\"staff-guidance\" aria-labelledby=\"guidance-title\"><h2 id=\"guidance-title\">Guidance</h2>");
        sb.Append($"<section aria-labelledby=\"danger-title\"><h3 id=\"danger-title\">If someone is in immediate danger</h3><p>{E(g.Emergency.Message.En)}</p>");
        foreach (var topic in g.Topics.Where(t => t.Id is "what-to-do"))
            foreach (var s in topic.Sections.Take(1))
                sb.Append("<ul>").Append(string.Concat(s.Items.Select(i => $"<li>{E(i.Correction?.En ?? i.Text.En)}</li>"))).Append("</ul>");
        sb.Append("</section>");
        foreach (var (topicId, title) in new[] { ("questions-to-ask", "Questions to ask"), ("recognize", "Signs to look for") })
        {
            var topic = g.Topics.First(t => t.Id == topicId);
            sb.Append($"<details><summary>{E(title)}</summary>");
            foreach (var s in topic.Sections.Where(s => s.Id != "what-it-is"))
                sb.Append($"<h4>{E(s.Title.En)}</h4><ul>").Append(string.Concat(s.Items.Select(i => $"<li>{E(i.Text.En)}</li>"))).Append("</ul>");
            sb.Append("</details>");
        }
        return sb.Append("</aside>").ToString();
    }
}
