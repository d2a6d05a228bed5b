using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Admin;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.WebPages.Staff;
using ReferralDirectory.Listings;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;
using static ReferralDirectory.Api.WebPages.Staff.StaffLayout;

namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>
/// The editors' pages under <c>/staff/admin</c>. The freshness board (<see cref="AdminBoard"/>): the review queue
/// (<see cref="StaleListings"/>, the same order as the API's), its counts by state and by kind, and "mark verified" with
/// method and notes (<see cref="MarkVerified"/>, the same rule and audit entry as the API's verify, with the listing's
/// ETag so a verification never covers a version its editor did not see).
/// </summary>
public static class AdminEditPages
{
    /// <summary>How many queue entries the board lists (the rest are counted; the API pages through all of them).</summary>
    public const int BoardSize = 50;

    public static IEndpointRouteBuilder MapAdminEditPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/staff/admin", async (HttpContext http, DirectoryService directory, DirectoryIndex index, IOptions<VerificationOptions> vo) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, "/staff/admin") is { } refused) return refused;
            return await BoardAsync(http, L, directory, index, vo.Value, null, null, null);
        }).ExcludeFromDescription();

        app.MapPost("/staff/admin/verify", async (HttpContext http, IAntiforgery af, DirectoryService directory, DirectoryIndex index, IOptions<VerificationOptions> vo) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, "/staff/admin") is { } refused) return refused;
            if (await RefuseForgeryAsync(http, af) is { } forged) return forged;
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            L = form["lang"] == "es" ? StaffText.Spanish : StaffText.English;
            var id = form["id"].ToString();
            var etag = form["etag"].ToString();
            var posted = new VerifyForm(id, form["method"], form["notes"]);
            var problems = MarkVerified.Problems(posted.Method, posted.Notes);
            if (problems.Count > 0) return await BoardAsync(http, L, directory, index, vo.Value, posted, problems, null, StatusCodes.Status400BadRequest);
            if (await directory.Store.GetAsync(id, http.RequestAborted) is not { } current)
                return await BoardAsync(http, L, directory, index, vo.Value, null, null, L.T("That listing no longer exists.", "Ese listado ya no existe."), StatusCodes.Status404NotFound);
            try
            {
                var verified = MarkVerified.Apply(current.Listing, http.User.ToActor(), directory.Time.GetUtcNow(), posted.Method!, posted.Notes);
                await directory.ReplaceAsync(verified, etag, http.User.ToActor(), "verify", MarkVerified.Trimmed(posted.Notes), http.RequestAborted);
            }
            catch (Exception e) when (e is ConcurrencyException or ListingNotFoundException)
            {
                return await BoardAsync(http, L, directory, index, vo.Value, null, null,
                    L.T($"{current.Listing.Name} was changed by someone else since you opened the board. Check the listing, then mark it verified again.",
                        $"Alguien cambió {current.Listing.Name} después de que usted abrió el tablero. Revise el listado y vuelva a marcarlo como verificado."), StatusCodes.Status409Conflict);
            }
            return await BoardAsync(http, L, directory, index, vo.Value, null, null,
                L.T($"{current.Listing.Name} is marked verified.", $"{current.Listing.Name} está marcado como verificado."));
        }).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> BoardAsync(HttpContext http, StaffText L, DirectoryService directory, DirectoryIndex index, VerificationOptions vo,
        VerifyForm? posted, Dictionary<string, string[]>? problems, string? message, int status = StatusCodes.Status200OK)
    {
        var queue = StaleListings.Stale(index, directory.Time, vo.StaleAfterMonths);
        var items = new List<BoardItem>();
        foreach (var entry in queue.Take(BoardSize))
        {
            // The ETag of the version shown: a verification is of what the editor saw.
            if (await directory.Store.GetAsync(entry.Listing.Id, http.RequestAborted) is not { } stored) continue;
            items.Add(new BoardItem(entry.Listing.Id, entry.Listing.Name, entry.Listing.Kind, entry.Listing.LastVerified,
                StaleListings.DaysSinceVerified(entry.Listing, directory.Time), stored.ETag, string.Join(", ", entry.Listing.LocationStates.Distinct())));
        }
        static List<(string Name, int Count)> Counts(IEnumerable<string> keys) =>
            [.. keys.GroupBy(k => k, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal)];
        return Page<AdminBoard>(http, new Dictionary<string, object?>
        {
            ["L"] = L, ["User"] = http.User, ["Items"] = items, ["Total"] = queue.Count, ["StaleAfterMonths"] = vo.StaleAfterMonths,
            ["ByState"] = Counts(queue.SelectMany(e => e.Listing.LocationStates.Count == 0 ? [""] : e.Listing.LocationStates.Distinct())),
            ["ByKind"] = Counts(queue.Select(e => e.Listing.Kind)),
            ["Posted"] = posted, ["Problems"] = problems ?? [], ["Message"] = message,
        }, status);
    }
}

/// <summary>One entry of the board: what a reviewer needs to pick it and the version it is at.</summary>
public sealed record BoardItem(string Id, string Name, string Kind, DateOnly? LastVerified, int? DaysSinceVerified, string ETag, string States);

/// <summary>A posted "mark verified" form (shown again beside its messages when refused).</summary>
public sealed record VerifyForm(string Id, string? Method, string? Notes);
