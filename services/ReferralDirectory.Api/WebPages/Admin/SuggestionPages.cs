using Microsoft.AspNetCore.Antiforgery;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Suggestions;
using ReferralDirectory.Api.WebPages.Staff;
using ReferralDirectory.Storage;
using static ReferralDirectory.Api.WebPages.Staff.StaffLayout;

namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>
/// The suggestion inbox at <c>/staff/admin/suggestions</c> (editors and admins): the public's open suggestions, newest
/// first (<see cref="PublicSuggestions"/>). "Edit the listing" marks one applied and opens the listing editor; "Dismiss"
/// closes it with an optional note. Both are audited and the suggestion leaves the inbox.
/// </summary>
public static class SuggestionPages
{
    public const string Path = "/staff/admin/suggestions";

    /// <summary>How many suggestions the inbox lists (the rest are counted).</summary>
    public const int InboxSize = 100;

    public static string EditorPath(string listingId) => "/staff/admin/listings/" + Uri.EscapeDataString(listingId);

    public static IEndpointRouteBuilder MapSuggestionPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext http, PublicSuggestions suggestions, IDirectoryStore store) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, Path) is { } refused) return refused;
            return await InboxAsync(http, L, suggestions, store, null, null, null);
        }).ExcludeFromDescription();

        app.MapPost(Path + "/{id}/{action:regex(^(apply|dismiss)$)}", async (HttpContext http, string id, string action, IAntiforgery af, PublicSuggestions suggestions, IDirectoryStore store) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, Path) is { } refused) return refused;
            if (await RefuseForgeryAsync(http, af) is { } forged) return forged;
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            L = form["lang"] == "es" ? StaffText.Spanish : StaffText.English;
            var applied = action == "apply";
            var note = form["note"].ToString();
            if (!PublicSuggestions.NoteIsValid(note))
                return await InboxAsync(http, L, suggestions, store, null, (id, note),
                    L.T($"At most {PublicSuggestions.NoteMax} characters.", $"Como máximo {PublicSuggestions.NoteMax} caracteres."), StatusCodes.Status400BadRequest);
            if (applied) note = L.T("Applied in the listing editor.", "Aplicada en el editor del listado.");
            var (outcome, item) = await suggestions.ResolveAsync(id, applied, http.User.ToActor(), note, http.RequestAborted);
            return outcome switch
            {
                SuggestionOutcome.NotFound => await InboxAsync(http, L, suggestions, store,
                    L.T("That suggestion no longer exists.", "Esa sugerencia ya no existe."), null, null, StatusCodes.Status404NotFound),
                SuggestionOutcome.NotOpen when applied && item?.ListingId is { } lid => Results.Redirect(Localized(EditorPath(lid), L)),
                SuggestionOutcome.NotOpen => await InboxAsync(http, L, suggestions, store,
                    L.T("Someone else resolved that suggestion first.", "Otra persona resolvió esa sugerencia primero."), null, null, StatusCodes.Status409Conflict),
                SuggestionOutcome.Applied => Results.Redirect(Localized(EditorPath(item!.ListingId ?? ""), L)),
                _ => await InboxAsync(http, L, suggestions, store, L.T("The suggestion was dismissed.", "La sugerencia se descartó."), null, null),
            };
        }).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> InboxAsync(HttpContext http, StaffText L, PublicSuggestions suggestions, IDirectoryStore store,
        string? message, (string Id, string Note)? posted, string? noteError, int status = StatusCodes.Status200OK)
    {
        var open = await suggestions.OpenAsync(http.RequestAborted);
        var rows = new List<InboxItem>();
        foreach (var item in open.Take(InboxSize))
        {
            var p = PublicSuggestions.Read(item);
            var listing = item.ListingId is null ? null : await store.GetAsync(item.ListingId, http.RequestAborted);
            rows.Add(new InboxItem(item.Id, item.ListingId ?? "", listing?.Listing.Name, p.Field, p.Message, p.Contact, item.CreatedAt));
        }
        return Page<SuggestionInbox>(http, new Dictionary<string, object?>
        {
            ["L"] = L, ["User"] = http.User, ["Items"] = rows, ["Total"] = open.Count, ["Message"] = message,
            ["PostedId"] = posted?.Id, ["PostedNote"] = posted?.Note, ["NoteError"] = noteError,
        }, status);
    }
}

/// <summary>One suggestion in the inbox.</summary>
public sealed record InboxItem(string Id, string ListingId, string? ListingName, string Field, string Message, string? Contact, DateTimeOffset CreatedAt);
