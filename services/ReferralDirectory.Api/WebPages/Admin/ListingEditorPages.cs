using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Admin;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Geocoding;
using ReferralDirectory.Api.WebPages.Staff;
using ReferralDirectory.Listings;
using ReferralDirectory.Places;
using ReferralDirectory.Safety;
using ReferralDirectory.Storage;
using static ReferralDirectory.Api.WebPages.Staff.StaffLayout;

namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>
/// The listing editor at <c>/staff/admin/listings/{id}</c> (<see cref="ListingEditor"/>): the form is read by
/// <see cref="ListingForm"/> and checked by the API's own <see cref="ListingValidator"/>; a save names the ETag the editor
/// opened, and when someone else saved first the two are merged field by field (<see cref="EditMerge"/>, 409 with both
/// shown); a change to a confidential location goes to the approval queue (<see cref="ConfidentialApprovals"/>) instead.
/// "Find the point" geocodes a location's address (<see cref="AddressGeocoder"/>: Azure Maps when configured, else the
/// gazetteer) into the form without saving.
/// </summary>
public static class ListingEditorPages
{
    /// <summary>The most fields a posted start snapshot may hold (a listing's flat form is far smaller).</summary>
    public const int MaxStartFields = 5000;

    public static IEndpointRouteBuilder MapListingEditorPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/staff/admin/listings/{id}", async Task<IResult> (HttpContext http, string id, DirectoryService directory, ConfidentialApprovals approvals) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, $"/staff/admin/listings/{id}") is { } refused) return refused;
            if (await directory.Store.GetAsync(id, http.RequestAborted) is not { } stored) return NotFound(http, L);
            var values = ListingForm.ToForm(stored.Listing.ToInput());
            var message = http.Request.Query["saved"] == "1" ? L.T("Your changes are saved.", "Sus cambios están guardados.") : null;
            return await EditorAsync(http, L, stored, values, values, new Dictionary<string, string[]>(), message, null, null, approvals);
        }).ExcludeFromDescription();

        app.MapPost("/staff/admin/listings/{id}", async Task<IResult> (HttpContext http, string id, IAntiforgery af, DirectoryService directory, Gazetteer gazetteer,
            ConfidentialApprovals approvals, AddressGeocoder geocoder, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) =>
        {
            var L = StaffText.For(http);
            if (await ConsoleAccess.EditorAsync(http, L, $"/staff/admin/listings/{id}") is { } refused) return refused;
            if (await RefuseForgeryAsync(http, af) is { } forged) return forged;
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            L = form["lang"] == "es" ? StaffText.Spanish : StaffText.English;
            if (await directory.Store.GetAsync(id, http.RequestAborted) is not { } current) return NotFound(http, L);
            var etag = form["etag"].ToString();
            if (ReadStart(form["start"]) is not { } start)
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form is damaged.", detail: "Reload the listing and make your change again.",
                    extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["start"] = ["Missing or not a listing's form."] } });
            var chosenTheirs = form.Where(kv => kv.Key.StartsWith(EditMerge.ChoosePrefix, StringComparison.Ordinal) && kv.Value == EditMerge.ChooseTheirs)
                .Select(kv => kv.Key[EditMerge.ChoosePrefix.Length..]);
            var mine = EditMerge.Resolve(ListingForm.Posted(form), start, chosenTheirs);

            var action = form["do"].ToString();
            if (action.StartsWith("lookup:", StringComparison.Ordinal) && int.TryParse(action["lookup:".Length..], CultureInfo.InvariantCulture, out var row) && row is >= 0 and < 1000)
                return await LookUpAsync(http, L, current, mine, start, etag, row, geocoder, gazetteer, approvals);

            var reading = ListingForm.Read(mine, json.Value.SerializerOptions);
            if (reading.Input is null)
                return await EditorAsync(http, L, current, mine, start, reading.Problems, null, null, null, approvals, StatusCodes.Status400BadRequest, etag);
            var validator = new ListingValidator(gazetteer);
            var listing = validator.Validate(reading.Input, id, current.Listing);
            if (listing is null)
                return await EditorAsync(http, L, current, mine, start, reading.OnForm(validator.Errors), null, null, null, approvals, StatusCodes.Status400BadRequest, etag);
            if (etag != current.ETag) return await ConflictAsync(http, L, directory, current, start, mine, approvals);

            var actor = http.User.ToActor();
            if (await approvals.ProposeIfNeededAsync(listing, current, actor, "edit", http.RequestAborted) is { } item)
            {
                return Results.Redirect(Localized($"/staff/admin/approvals?proposed={Uri.EscapeDataString(item.Id)}", L), permanent: false, preserveMethod: false);
            }
            try
            {
                await directory.ReplaceAsync(listing, etag, actor, "edit", null, http.RequestAborted);
            }
            catch (ConcurrencyException)
            {
                return await ConflictAsync(http, L, directory, (await directory.Store.GetAsync(id, http.RequestAborted))!, start, mine, approvals);
            }
            // Post, redirect, get: a reload does not send the form again.
            return Results.Redirect(Localized($"/staff/admin/listings/{Uri.EscapeDataString(id)}?saved=1", L));
        }).ExcludeFromDescription();
        return app;
    }

    private static Dictionary<string, string>? ReadStart(string? json)
    {
        if (string.IsNullOrEmpty(json) || json.Length > 1024 * 1024) return null;
        try
        {
            var start = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
            return start is null || start.Count > MaxStartFields ? null : new Dictionary<string, string>(start, StringComparer.Ordinal);
        }
        catch (JsonException) { return null; }
    }

    /// <summary>409: their version and mine merged over the version both started from, shown field by field.</summary>
    private static async Task<IResult> ConflictAsync(HttpContext http, StaffText L, DirectoryService directory, StoredListing current, Dictionary<string, string> start,
        Dictionary<string, string> mine, ConfidentialApprovals approvals)
    {
        var theirs = ListingForm.ToForm(current.Listing.ToInput());
        var merge = EditMerge.Merge(start, mine, theirs);
        var last = await directory.Store.QueryAuditAsync(new AuditQuery { ListingId = current.Listing.Id, Limit = 1 }, http.RequestAborted);
        return await EditorAsync(http, L, current, merge.Merged, theirs, new Dictionary<string, string[]>(), null, merge, last.Count > 0 ? last[0].Actor.Name : null,
            approvals, StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> LookUpAsync(HttpContext http, StaffText L, StoredListing current, Dictionary<string, string> values, Dictionary<string, string> start,
        string etag, int row, AddressGeocoder geocoder, Gazetteer gazetteer, ConfidentialApprovals approvals)
    {
        var p = $"locations[{row}]";
        string? Get(string field) => values.GetValueOrDefault($"{p}.address.{field}") is { Length: > 0 } v ? v.Trim() : null;
        var found = Get("city") is null && Get("postalCode") is null ? null
            : await geocoder.GeocodeAsync(new GeocodeRequest(Get("street1"), Get("city"), Get("state"), Get("postalCode")), http.RequestAborted);
        if (found is null)
        {
            var problems = new Dictionary<string, string[]>
            {
                [$"{p}.address"] = [L.T("No point was found for this address. Check the town, state and ZIP code, or give the latitude and longitude.",
                "No se encontró un punto para esta dirección. Revise el pueblo, el estado y el código postal, o indique la latitud y la longitud.")]
            };
            return await EditorAsync(http, L, current, values, start, problems, null, null, null, approvals, StatusCodes.Status400BadRequest, etag);
        }
        values[$"{p}.latitude"] = found.Latitude.ToString("0.######", CultureInfo.InvariantCulture);
        values[$"{p}.longitude"] = found.Longitude.ToString("0.######", CultureInfo.InvariantCulture);
        // The county as the listing will store it (the validator's rule, LocationCountyRule, names it from its code).
        var county = gazetteer.County(found.CountyFips)?.DisplayName ?? found.County;
        if (found.CountyFips is not null) values[$"{p}.address.countyFips"] = found.CountyFips;
        if (county is not null) values[$"{p}.address.countyName"] = county;
        var how = found.Approximate
            ? L.T($"the centre of {(found.Source == "gazetteer-zip" ? "the ZIP code" : "the town")}, so check it", $"el centro {(found.Source == "gazetteer-zip" ? "del código postal" : "del pueblo")}; revíselo")
            : L.T("from the street address", "a partir de la dirección");
        var message = L.T($"Location {row + 1}: the point is {how}{(county is null ? "" : $"; {county}")}. Nothing is saved until you save.",
            $"Ubicación {row + 1}: el punto es {how}{(county is null ? "" : $"; {county}")}. No se guarda nada hasta que guarde.");
        return await EditorAsync(http, L, current, values, start, new Dictionary<string, string[]>(), message, null, null, approvals, StatusCodes.Status200OK, etag);
    }

    private static async Task<IResult> EditorAsync(HttpContext http, StaffText L, StoredListing stored, IReadOnlyDictionary<string, string> values,
        IReadOnlyDictionary<string, string> start, IReadOnlyDictionary<string, string[]> problems, string? message, MergeResult? merge, string? savedBy,
        ConfidentialApprovals approvals, int status = StatusCodes.Status200OK, string? etag = null)
    {
        var pending = (await approvals.OpenAsync(200, http.RequestAborted)).Count(i => i.ListingId == stored.Listing.Id);
        return Page<ListingEditor>(http, new Dictionary<string, object?>
        {
            ["L"] = L, ["User"] = http.User, ["Id"] = stored.Listing.Id, ["Name"] = stored.Listing.Name, ["Version"] = stored.Version, ["Retired"] = stored.Retired,
            ["Values"] = values, ["Problems"] = problems, ["Start"] = JsonSerializer.Serialize(start), ["ETag"] = etag ?? stored.ETag,
            ["Message"] = message, ["Merge"] = merge, ["SavedBy"] = savedBy, ["PendingApprovals"] = pending,
        }, status);
    }

    private static IResult NotFound(HttpContext http, StaffText L) =>
        Page<AdminNotFound>(http, new Dictionary<string, object?> { ["L"] = L, ["User"] = http.User }, StatusCodes.Status404NotFound);
}
