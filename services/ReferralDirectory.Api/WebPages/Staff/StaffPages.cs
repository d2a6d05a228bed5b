using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Search;
using static ReferralDirectory.Api.WebPages.Staff.StaffLayout;

namespace ReferralDirectory.Api.WebPages.Staff;

/// <summary>
/// The caseworker pages' endpoints: search (by ZIP or town, with the API's filters) with exact details of confidential
/// locations, a shortlist, compare, and a print-ready referral sheet, each rendered by a Razor component
/// (<see cref="SearchPage"/>, <see cref="ComparePage"/>, <see cref="SheetPage"/>). Everything works without JavaScript:
/// every form posts (search terms never in a URL), the shortlist travels in the forms as listing ids only, and the
/// server keeps nothing about the client. <c>/js/staff.js</c> only adds the copy button and the client note (never sent).
/// </summary>
public static class StaffPages
{
    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/staff", async (HttpContext http) =>
        {
            var L = StaffText.For(http);
            return await StaffSignIn.StaffUserAsync(http) is not { } user ? SignIn(L)
                : Page<SearchPage>(http, new Dictionary<string, object?> { ["L"] = L, ["User"] = user });
        }).ExcludeFromDescription();
        app.MapPost("/staff", async (HttpContext http, IAntiforgery af, DirectorySearch search, ListingReader reader) =>
        {
            var (refused, posted) = await ReadFormAsync(http, af);
            if (refused is not null) return refused;
            var (user, form, L) = posted!;
            return Page<SearchPage>(http, new Dictionary<string, object?>
            {
                ["L"] = L, ["User"] = user, ["Form"] = form,
                ["Result"] = await RunAsync(form, L, search, reader, http.RequestAborted),
                ["Shortlist"] = await ListingsAsync(form.Shortlist, reader, http.RequestAborted),
            });
        }).ExcludeFromDescription();
        app.MapPost("/staff/compare", async (HttpContext http, IAntiforgery af, ListingReader reader) =>
        {
            var (refused, posted) = await ReadFormAsync(http, af);
            if (refused is not null) return refused;
            var (user, form, L) = posted!;
            return Page<ComparePage>(http, new Dictionary<string, object?>
            {
                ["L"] = L, ["User"] = user, ["Form"] = form, ["Place"] = StaffFormat.Resolve(form.Place, L, out _),
                ["Chosen"] = await ListingsAsync(form.Shortlist, reader, http.RequestAborted),
            });
        }).ExcludeFromDescription();
        app.MapPost("/staff/sheet", async (HttpContext http, IAntiforgery af, DirectorySearch search, ListingReader reader, TimeProvider time) =>
        {
            var (refused, posted) = await ReadFormAsync(http, af);
            if (refused is not null) return refused;
            var (user, form, L) = posted!;
            var place = StaffFormat.Resolve(form.Place, L, out _);
            var hotlines = place is { } p ? await ListingsAsync([.. search.Hotlines(p.Lat, p.Lon).Hotlines.Select(h => h.Listing.Id)], reader, http.RequestAborted) : [];
            var lines = hotlines.Count > 0
                ? [.. hotlines.Select(h => new SheetHotline(h.Name, string.Join(" · ", h.Phones.Select(p => (p.Type == PhoneTypes.Text ? L.T("text ", "texto ") : L.T("call ", "llame al ")) + p.Number))))]
                : new List<SheetHotline> { new("National Human Trafficking Hotline", L.T("call 1-888-373-7888 · text 233733", "llame al 1-888-373-7888 · texto 233733")) };
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), ScheduleRules.FindZone("America/Chicago") ?? TimeZoneInfo.Utc).DateTime);
            return Page<SheetPage>(http, new Dictionary<string, object?>
            {
                ["L"] = L, ["User"] = user, ["Date"] = today, ["Hotlines"] = lines,
                ["Chosen"] = await ListingsAsync(form.Shortlist, reader, http.RequestAborted),
            });
        }).ExcludeFromDescription();
        return app;
    }

    private sealed record Posted(ClaimsPrincipal User, SearchForm Form, StaffText L);

    /// <summary>A posted staff form: the user, the form and its language when signed in with a valid anti-forgery
    /// token; else the answer (a redirect to sign-in, or 400) and nothing read.</summary>
    private static async Task<(IResult? Refused, Posted? Posted)> ReadFormAsync(HttpContext http, IAntiforgery af)
    {
        if (await StaffSignIn.StaffUserAsync(http) is not { } user) return (SignIn(StaffText.For(http)), null);
        if (await RefuseForgeryAsync(http, af) is { } refused) return (refused, null);
        var f = await http.Request.ReadFormAsync(http.RequestAborted);
        return (null, new Posted(user, SearchForm.Read(f), StaffText.For(http, f)));
    }

    private static IResult SignIn(StaffText L) =>
        Results.Redirect($"/staff/sign-in?{(L.IsSpanish ? "lang=es&" : "")}ReturnUrl={Uri.EscapeDataString(Home(L))}");

    private static async Task<StaffSearchResult> RunAsync(SearchForm form, StaffText L, DirectorySearch search, ListingReader reader, CancellationToken ct)
    {
        if (StaffFormat.Resolve(form.Place, L, out var error) is not { } at) return new StaffSearchResult(error, null, []);
        var answer = search.Nearest(new NearestRequest(at.Lat, at.Lon, 20, form.Filter, null, Exact: true, 0), ct);
        var found = new List<FoundListing>();
        foreach (var item in answer.Results)
            if (await reader.GetAsync(item.Listing, ct) is { } l) found.Add(new FoundListing(l, item.DistanceKm));
        return new StaffSearchResult(null, at, found, ResultsMap.Of(at, found, Gazetteer.Default));
    }

    private static async Task<List<Listing>> ListingsAsync(IEnumerable<string> ids, ListingReader reader, CancellationToken ct)
    {
        var list = new List<Listing>();
        foreach (var id in ids)
            if (await reader.GetAsync(id, ct) is { } l) list.Add(l);
        return list;
    }
}
