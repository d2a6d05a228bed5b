using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Admin;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Partners;
using ReferralDirectory.Api.WebPages.Staff;
using ReferralDirectory.Listings;
using ReferralDirectory.Storage;
using static ReferralDirectory.Api.WebPages.Staff.StaffLayout;

namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>
/// The admin console's other pages under <c>/staff/admin</c>: a listing's history with field diffs, restore and purge,
/// imports (dry run, then a run with a progress bar) and exports, the suggestions inbox, and partner keys (admins only).
/// <list type="bullet">
/// <item>Partner keys (<see cref="AdminKeys"/>, admins only): the API's keys (<see cref="ApiKeyRegistry"/>, the same store
/// calls, rule <see cref="ApiKeyRules"/> and audit entries), the new key's secret shown once on the answer to its creation,
/// revoke after a confirmation page.</item>
/// <item>A listing's history (<see cref="AdminHistory"/>, editors and admins): its audit entries newest first, each with its
/// changes value by value (<see cref="ListingDiff"/>); retire and restore with the ETag of the version shown, as the
/// API's; purge for admins only, after typing the listing's id.</item>
/// </list>
/// </summary>
public static class AdminOpsPages
{
    /// <summary>How many audit entries the history page lists at a time (older ones on the next page).</summary>
    public const int HistoryPageSize = 50;

    public static IEndpointRouteBuilder MapAdminOpsPages(this IEndpointRouteBuilder app)
    {
        MapKeys(app);
        MapHistory(app);
        return app;
    }

    // ---- Partner keys ----------------------------------------------------------------------------------------------

    private static void MapKeys(IEndpointRouteBuilder app)
    {
        app.MapGet("/staff/admin/keys", async (HttpContext http, IDirectoryStore store, IOptions<RateLimitOptions> limits) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.AdminAsync(http, L, "/staff/admin/keys") is { } refused) return refused;
            return await KeysAsync(http, L, store, limits.Value, null, null, null);
        }).ExcludeFromDescription();

        app.MapPost("/staff/admin/keys", async (HttpContext http, IAntiforgery af, IDirectoryStore store, ApiKeyRegistry keys, DirectoryService directory,
            IOptions<RateLimitOptions> limits) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.AdminAsync(http, L, "/staff/admin/keys") is { } refused) return refused;
            if (await RefuseForgeryAsync(http, af) is { } forged) return forged;
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            L = StaffText.For(http, form);
            var posted = new KeyForm(form["name"], form["requestsPerMinute"]);
            // Blank: the default quota. Not a whole number (or too large for one): out of range, the rule's message.
            int? perMinute = null;
            if (posted.RequestsPerMinute?.Trim() is { Length: > 0 } text)
                perMinute = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var problems = ApiKeyRules.Problems(posted.Name, perMinute);
            if (problems.Count > 0) return await KeysAsync(http, L, store, limits.Value, posted, problems, null, StatusCodes.Status400BadRequest);
            var (record, key) = await keys.CreateAsync(ApiKeyRules.Name(posted.Name)!, perMinute ?? limits.Value.DefaultPartnerPerMinute,
                http.User.ToActor(), directory, http.RequestAborted);
            // The only answer that holds the key itself.
            return Page<AdminKeys>(http, new Dictionary<string, object?>
            {
                ["L"] = L, ["User"] = http.User, ["Created"] = new CreatedKey(record, key), ["DefaultPerMinute"] = limits.Value.DefaultPartnerPerMinute,
            });
        }).ExcludeFromDescription();

        app.MapGet("/staff/admin/keys/{id}/revoke", async (HttpContext http, string id, IDirectoryStore store, IOptions<RateLimitOptions> limits) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.AdminAsync(http, L, $"/staff/admin/keys/{Uri.EscapeDataString(id)}/revoke") is { } refused) return refused;
            if (await LiveKeyAsync(store, id, http.RequestAborted) is not { } key)
                return await KeysAsync(http, L, store, limits.Value, null, null, NoLiveKey(L), StatusCodes.Status404NotFound);
            return Page<AdminKeys>(http, new Dictionary<string, object?>
            {
                ["L"] = L, ["User"] = http.User, ["Revoking"] = key, ["DefaultPerMinute"] = limits.Value.DefaultPartnerPerMinute,
            });
        }).ExcludeFromDescription();

        app.MapPost("/staff/admin/keys/{id}/revoke", async (HttpContext http, string id, IAntiforgery af, IDirectoryStore store, ApiKeyRegistry keys,
            DirectoryService directory, IOptions<RateLimitOptions> limits) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.AdminAsync(http, L, "/staff/admin/keys") is { } refused) return refused;
            if (await RefuseForgeryAsync(http, af) is { } forged) return forged;
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            L = StaffText.For(http, form);
            var key = await LiveKeyAsync(store, id, http.RequestAborted);
            if (key is null || !await keys.RevokeAsync(id, http.User.ToActor(), directory, http.RequestAborted))
                return await KeysAsync(http, L, store, limits.Value, null, null, NoLiveKey(L), StatusCodes.Status404NotFound);
            return await KeysAsync(http, L, store, limits.Value, null, null,
                L.T($"The key “{key.Name}” is revoked: requests with it are refused.", $"La clave «{key.Name}» está revocada: se rechazan las solicitudes con ella."));
        }).ExcludeFromDescription();
    }

    private static string NoLiveKey(StaffText L) =>
        L.T("That key does not exist or was already revoked.", "Esa clave no existe o ya se revocó.");

    private static async Task<ApiKeyRecord?> LiveKeyAsync(IDirectoryStore store, string id, CancellationToken ct) =>
        (await store.ListApiKeysAsync(ct)).FirstOrDefault(k => k.Id == id && k.RevokedAt is null);

    private static async Task<IResult> KeysAsync(HttpContext http, StaffText L, IDirectoryStore store, RateLimitOptions limits,
        KeyForm? posted, Dictionary<string, string[]>? problems, string? message, int status = StatusCodes.Status200OK)
    {
        var keys = (await store.ListApiKeysAsync(http.RequestAborted))
            .OrderBy(k => k.RevokedAt is null ? 0 : 1).ThenByDescending(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).ToList();
        return Page<AdminKeys>(http, new Dictionary<string, object?>
        {
            ["L"] = L, ["User"] = http.User, ["Keys"] = keys, ["DefaultPerMinute"] = limits.DefaultPartnerPerMinute,
            ["Posted"] = posted, ["Problems"] = problems ?? [], ["Message"] = message,
        }, status);
    }

    // ---- A listing's history: retire, restore, purge ---------------------------------------------------------------

    private static void MapHistory(IEndpointRouteBuilder app)
    {
        app.MapGet("/staff/admin/listings/{id}/history", async (HttpContext http, string id, DirectoryService directory) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, HistoryPath(id)) is { } refused) return refused;
            var before = http.Request.Query["before"].ToString();
            return await HistoryAsync(http, L, directory, id, before.Length is > 0 and <= 100 ? before : null, null, null, null);
        }).ExcludeFromDescription();

        app.MapPost("/staff/admin/listings/{id}/retire", (HttpContext http, string id, IAntiforgery af, DirectoryService directory) =>
            RetireOrRestoreAsync(http, id, af, directory, retire: true)).ExcludeFromDescription();
        app.MapPost("/staff/admin/listings/{id}/restore", (HttpContext http, string id, IAntiforgery af, DirectoryService directory) =>
            RetireOrRestoreAsync(http, id, af, directory, retire: false)).ExcludeFromDescription();

        app.MapPost("/staff/admin/listings/{id}/purge", async (HttpContext http, string id, IAntiforgery af, DirectoryService directory) =>
        {
            var L = StaffText.For(http);
            // Editors are refused before the form is read: purge is the admins' (as the API's DELETE).
            if (await ConsoleAccess.AdminAsync(http, L, HistoryPath(id)) is { } refused) return refused;
            if (await RefuseForgeryAsync(http, af) is { } forged) return forged;
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            L = StaffText.For(http, form);
            var typed = form["confirmId"].ToString();
            if (typed.Trim() != id)
            {
                var problems = new Dictionary<string, string[]>
                {
                    ["confirmId"] = [typed.Length == 0
                        ? L.T($"Type the listing's id, {id}, to purge it.", $"Escriba el id del listado, {id}, para eliminarlo.")
                        : L.T($"That is not this listing's id. Type {id} exactly, or leave the listing as it is.",
                              $"Ese no es el id de este listado. Escriba {id} exactamente, o deje el listado como está.")],
                };
                return await HistoryAsync(http, L, directory, id, null, typed, problems, null, StatusCodes.Status400BadRequest);
            }
            var name = (await directory.Store.GetAsync(id, http.RequestAborted))?.Listing.Name ?? id;
            try
            {
                await directory.PurgeAsync(id, form["etag"].ToString(), http.User.ToActor(), null, http.RequestAborted);
            }
            catch (ListingNotFoundException)
            {
                return await HistoryAsync(http, L, directory, id, null, null, null, Gone(L), StatusCodes.Status404NotFound);
            }
            catch (ConcurrencyException)
            {
                return await HistoryAsync(http, L, directory, id, null, null, null, ChangedMeanwhile(L, name), StatusCodes.Status409Conflict);
            }
            return await HistoryAsync(http, L, directory, id, null, null, null,
                L.T($"{name} is purged: deleted for good. Its history stays in the audit log.",
                    $"{name} se eliminó definitivamente. Su historial queda en el registro de auditoría."));
        }).ExcludeFromDescription();
    }

    private static string HistoryPath(string id) => $"/staff/admin/listings/{Uri.EscapeDataString(id)}/history";

    private static string Gone(StaffText L) => L.T("That listing no longer exists.", "Ese listado ya no existe.");

    private static string ChangedMeanwhile(StaffText L, string name) =>
        L.T($"{name} was changed by someone else since you opened this page. Check its history below, then try again.",
            $"Alguien cambió {name} después de que usted abrió esta página. Revise su historial abajo y vuelva a intentarlo.");

    private static async Task<IResult> RetireOrRestoreAsync(HttpContext http, string id, IAntiforgery af, DirectoryService directory, bool retire)
    {
        var L = StaffText.For(http);
        if (await ConsoleAccess.EditorAsync(http, L, HistoryPath(id)) is { } refused) return refused;
        if (await RefuseForgeryAsync(http, af) is { } forged) return forged;
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        L = StaffText.For(http, form);
        var etag = form["etag"].ToString();
        var name = (await directory.Store.GetAsync(id, http.RequestAborted))?.Listing.Name ?? id;
        try
        {
            if (retire) await directory.RetireAsync(id, etag, http.User.ToActor(), null, http.RequestAborted);
            else await directory.RestoreAsync(id, etag, http.User.ToActor(), null, http.RequestAborted);
        }
        catch (ListingNotFoundException)
        {
            return await HistoryAsync(http, L, directory, id, null, null, null, Gone(L), StatusCodes.Status404NotFound);
        }
        catch (ConcurrencyException)
        {
            return await HistoryAsync(http, L, directory, id, null, null, null, ChangedMeanwhile(L, name), StatusCodes.Status409Conflict);
        }
        return await HistoryAsync(http, L, directory, id, null, null, null, retire
            ? L.T($"{name} is retired: hidden from searches until it is restored.", $"{name} está retirado: no aparece en las búsquedas hasta que se restaure.")
            : L.T($"{name} is restored: searches find it again.", $"{name} está restaurado: las búsquedas lo encuentran de nuevo."));
    }

    private static async Task<IResult> HistoryAsync(HttpContext http, StaffText L, DirectoryService directory, string id, string? before,
        string? typedId, Dictionary<string, string[]>? problems, string? message, int status = StatusCodes.Status200OK)
    {
        var stored = await directory.Store.GetAsync(id, http.RequestAborted);
        var entries = id.Length > 100 ? [] : await directory.Store.QueryAuditAsync(new AuditQuery { ListingId = id, Before = before, Limit = HistoryPageSize + 1 }, http.RequestAborted);
        if (stored is null && entries.Count == 0 && before is null)
        {
            return Page<AdminHistory>(http, new Dictionary<string, object?>
            {
                ["L"] = L, ["User"] = http.User, ["Id"] = id, ["Message"] = message ?? L.T("There is no listing with that id, and no history of one.", "No hay ningún listado con ese id, ni historial de uno."),
            }, StatusCodes.Status404NotFound);
        }
        // One more than a page is read to know whether there are older entries.
        var history = entries.Take(HistoryPageSize).Select(e => new HistoryEntry(e, ListingDiff.Of(e.Changes))).ToList();
        return Page<AdminHistory>(http, new Dictionary<string, object?>
        {
            ["L"] = L, ["User"] = http.User, ["Id"] = id, ["Stored"] = stored, ["Entries"] = history, ["Before"] = before,
            ["Older"] = entries.Count > HistoryPageSize ? history[^1].Entry.Id : null,
            ["CanPurge"] = ConsoleAccess.IsAdmin(http.User), ["TypedId"] = typedId, ["Problems"] = problems ?? [], ["Message"] = message,
        }, status);
    }
}

/// <summary>A posted "new partner key" form (shown again beside its messages when refused).</summary>
public sealed record KeyForm(string? Name, string? RequestsPerMinute);

/// <summary>A key just made: the only time its secret is shown.</summary>
public sealed record CreatedKey(ApiKeyRecord Record, string Key);

/// <summary>An audit entry of a listing with its changes value by value.</summary>
public sealed record HistoryEntry(AuditEntry Entry, IReadOnlyList<ValueDiff> Diffs);
