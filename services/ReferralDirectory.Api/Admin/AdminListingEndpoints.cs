using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Places;
using ReferralDirectory.Safety;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Admin;

/// <summary>
/// Listing administration under /v1/admin/listings. Every write needs <c>If-Match</c> with the listing's current
/// ETag (428 without it, 412 when someone else changed it first), is validated field by field, and is audited.
/// </summary>
public static class AdminListingEndpoints
{
    public static IEndpointRouteBuilder MapAdminListings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/listings").WithTags("Admin: listings").RequireAuthorization(Policies.Edit)
            .AddEndpointFilter<NoStoreFilter>();

        group.MapPost("/", Create).WithName("AdminCreateListing").WithSummary("Create a listing")
            .Accepts<ListingInput>("application/json").Produces<AdminListingResponse>(StatusCodes.Status201Created)
            .Produces<ApprovalResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}", Get).WithName("AdminGetListing").WithSummary("A listing with every detail, its ETag and verification state")
            .Produces<AdminListingResponse>();
        group.MapPut("/{id}", Replace).WithName("AdminReplaceListing").WithSummary("Replace a listing (If-Match required)")
            .Accepts<ListingInput>("application/json").Produces<AdminListingResponse>().Produces<ApprovalResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().WritesWithIfMatch();
        group.MapPatch("/{id}", Patch).WithName("AdminPatchListing").WithSummary("Change some fields with a JSON merge patch, RFC 7396 (If-Match required)")
            .Accepts<JsonObject>("application/merge-patch+json", "application/json").Produces<AdminListingResponse>().Produces<ApprovalResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().WritesWithIfMatch();
        group.MapPost("/{id}/retire", Retire).WithName("AdminRetireListing").WithSummary("Retire a listing: hidden from searches, kept for restore (If-Match required)")
            .Produces<AdminListingResponse>().WritesWithIfMatch();
        group.MapPost("/{id}/restore", Restore).WithName("AdminRestoreListing").WithSummary("Restore a retired listing (If-Match required)")
            .Produces<AdminListingResponse>().WritesWithIfMatch();
        group.MapPost("/{id}/verify", Verify).WithName("AdminVerifyListing").WithSummary("Record that the listing was verified: how, by whom, when (If-Match required)")
            .Produces<AdminListingResponse>().ProducesValidationProblem().WritesWithIfMatch();
        group.MapDelete("/{id}", Purge).WithName("AdminPurgeListing").WithSummary("Delete a listing for good (admins only; If-Match required)")
            .Produces(StatusCodes.Status204NoContent).WritesWithIfMatch()
            .RequireAuthorization(Policies.Administer);
        return app;
    }

    private static DateOnly StaleBefore(TimeProvider time, IOptions<VerificationOptions> o) =>
        DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddMonths(-o.Value.StaleAfterMonths);

    private static async Task<IResult> Create(HttpContext http, ListingInput input, DirectoryService directory, Gazetteer gazetteer, IOptions<VerificationOptions> vo,
        ConfidentialApprovals approvals, ConfidentialLocationPolicy policy, CancellationToken ct)
    {
        var validator = new ListingValidator(gazetteer);
        var listing = validator.Validate(input, routeId: null, current: null);
        if (listing is null) return TypedResults.ValidationProblem(validator.Errors, title: "The listing has invalid fields.");
        try
        {
            if (await approvals.ProposeIfNeededAsync(listing, null, http.User.ToActor(), "create", ct) is { } waiting)
                return await AdminApprovalEndpoints.AcceptedAsync(waiting, directory.Store, policy, ct);
            var stored = await directory.CreateAsync(listing, http.User.ToActor(), ct);
            http.Response.Headers.ETag = stored.ETag;
            return TypedResults.Created($"/v1/admin/listings/{stored.Listing.Id}", stored.ToAdminResponse(StaleBefore(directory.Time, vo)));
        }
        catch (ListingExistsException)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "A listing with that id exists.", "Choose another id, or replace the existing listing.");
        }
    }

    private static async Task<IResult> Get(HttpContext http, string id, DirectoryService directory, IOptions<VerificationOptions> vo, CancellationToken ct)
    {
        if (await directory.Store.GetAsync(id, ct) is not { } stored) return NotFound();
        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(stored.ToAdminResponse(StaleBefore(directory.Time, vo)));
    }

    private static async Task<IResult> Replace(HttpContext http, string id, ListingInput input, DirectoryService directory, Gazetteer gazetteer, IOptions<VerificationOptions> vo,
        ConfidentialApprovals approvals, ConfidentialLocationPolicy policy, CancellationToken ct)
    {
        if (IfMatch(http) is not { } etag) return PreconditionRequired();
        if (await directory.Store.GetAsync(id, ct) is not { } current) return NotFound();
        var validator = new ListingValidator(gazetteer);
        var listing = validator.Validate(input, id, current.Listing);
        if (listing is null) return TypedResults.ValidationProblem(validator.Errors, title: "The listing has invalid fields.");
        if (await ProposeIfConfidentialAsync(http, current, listing, etag, "replace", approvals, directory, policy, ct) is { } waiting) return waiting;
        return await Write(http, directory, vo, () => directory.ReplaceAsync(listing, etag, http.User.ToActor(), "replace", null, ct));
    }

    private static async Task<IResult> Patch(HttpContext http, string id, DirectoryService directory, Gazetteer gazetteer, IOptions<VerificationOptions> vo,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ConfidentialApprovals approvals, ConfidentialLocationPolicy policy, CancellationToken ct)
    {
        if (IfMatch(http) is not { } etag) return PreconditionRequired();
        var media = http.Request.ContentType?.Split(';')[0].Trim();
        if (media is not ("application/merge-patch+json" or "application/json"))
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Send a JSON merge patch.", "Use Content-Type: application/merge-patch+json.");
        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(http.Request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Problems.FieldOf(e.Path)] = ["The body is not valid JSON."] }, title: "The patch could not be read.");
        }
        if (patch is not JsonObject)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["A merge patch must be a JSON object."] }, title: "The patch could not be read.");
        if (await directory.Store.GetAsync(id, ct) is not { } current) return NotFound();
        var options = json.Value.SerializerOptions;
        var merged = MergePatch(JsonSerializer.SerializeToNode(current.Listing.ToInput(), options), patch);
        ListingInput? input;
        try
        {
            input = merged.Deserialize<ListingInput>(options);
        }
        catch (JsonException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Problems.FieldOf(e.Path)] = [UnknownJsonField.IsUnknown(options, typeof(ListingInput), e.Path) ? "Unknown field." : "Wrong type of value."] },
                title: "The patch has invalid fields.");
        }
        if (input is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["A merge patch must be a JSON object."] });
        var validator = new ListingValidator(gazetteer);
        var listing = validator.Validate(input, id, current.Listing);
        if (listing is null) return TypedResults.ValidationProblem(validator.Errors, title: "The listing has invalid fields.");
        if (await ProposeIfConfidentialAsync(http, current, listing, etag, "patch", approvals, directory, policy, ct) is { } waiting) return waiting;
        return await Write(http, directory, vo, () => directory.ReplaceAsync(listing, etag, http.User.ToActor(), "patch", null, ct));
    }

    /// <summary>A change to a confidential location waits for a second editor (202); null when it needs no approval.
    /// It is proposed only on the current version (412 otherwise, as for any write).</summary>
    private static async Task<IResult?> ProposeIfConfidentialAsync(HttpContext http, StoredListing current, Listing listing, string etag, string action,
        ConfidentialApprovals approvals, DirectoryService directory, ConfidentialLocationPolicy policy, CancellationToken ct)
    {
        // Proposed only on the current version; a stale one is refused as any write would be.
        if (etag != current.ETag) return ConfidentialChangeRule.NeedsApproval(current.Listing, listing) ? PreconditionFailed(http, current.ETag) : null;
        return await approvals.ProposeIfNeededAsync(listing, current, http.User.ToActor(), action, ct) is { } waiting
            ? await AdminApprovalEndpoints.AcceptedAsync(waiting, directory.Store, policy, ct) : null;
    }

    /// <summary>RFC 7396: objects merge recursively, null removes, anything else replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in p)
        {
            if (value is null) result.Remove(key);
            else result[key] = MergePatch(result[key], value);
        }
        return result;
    }

    private static async Task<IResult> Retire(HttpContext http, string id, DirectoryService directory, IOptions<VerificationOptions> vo, CancellationToken ct)
    {
        if (IfMatch(http) is not { } etag) return PreconditionRequired();
        return await Write(http, directory, vo, () => directory.RetireAsync(id, etag, http.User.ToActor(), null, ct));
    }

    private static async Task<IResult> Restore(HttpContext http, string id, DirectoryService directory, IOptions<VerificationOptions> vo, CancellationToken ct)
    {
        if (IfMatch(http) is not { } etag) return PreconditionRequired();
        return await Write(http, directory, vo, () => directory.RestoreAsync(id, etag, http.User.ToActor(), null, ct));
    }

    private static async Task<IResult> Verify(HttpContext http, string id, VerifyRequest request, DirectoryService directory, IOptions<VerificationOptions> vo, CancellationToken ct)
    {
        if (IfMatch(http) is not { } etag) return PreconditionRequired();
        if (MarkVerified.Problems(request.Method, request.Notes) is { Count: > 0 } problems) return TypedResults.ValidationProblem(problems);
        if (await directory.Store.GetAsync(id, ct) is not { } current) return NotFound();
        var actor = http.User.ToActor();
        var verified = MarkVerified.Apply(current.Listing, actor, directory.Time.GetUtcNow(), request.Method!, request.Notes);
        return await Write(http, directory, vo, () => directory.ReplaceAsync(verified, etag, actor, "verify", MarkVerified.Trimmed(request.Notes), ct));
    }

    private static async Task<IResult> Purge(HttpContext http, string id, DirectoryService directory, CancellationToken ct)
    {
        if (IfMatch(http) is not { } etag) return PreconditionRequired();
        try
        {
            await directory.PurgeAsync(id, etag, http.User.ToActor(), null, ct);
            return TypedResults.NoContent();
        }
        catch (ListingNotFoundException) { return NotFound(); }
        catch (ConcurrencyException e) { return PreconditionFailed(http, e.CurrentETag); }
    }

    private static async Task<IResult> Write(HttpContext http, DirectoryService directory, IOptions<VerificationOptions> vo, Func<Task<StoredListing>> write)
    {
        try
        {
            var stored = await write();
            http.Response.Headers.ETag = stored.ETag;
            return TypedResults.Ok(stored.ToAdminResponse(StaleBefore(directory.Time, vo)));
        }
        catch (ListingNotFoundException) { return NotFound(); }
        catch (ConcurrencyException e) { return PreconditionFailed(http, e.CurrentETag); }
    }

    /// <summary>The If-Match ETag, or null when absent. <c>*</c> is not accepted: the point is to name the version.</summary>
    private static string? IfMatch(HttpContext http)
    {
        var v = http.Request.Headers.IfMatch.ToString().Trim();
        return string.IsNullOrEmpty(v) || v == "*" || v.Length > 100 ? null : v;
    }

    private static IResult NotFound() => Problems.Of(StatusCodes.Status404NotFound, "No such listing.", "There is no listing with that id.");

    private static IResult PreconditionRequired() => Problems.Of(StatusCodes.Status428PreconditionRequired, "If-Match is required.",
        "Send the listing's current ETag in If-Match (GET it first), so that no one's changes are overwritten unseen.");

    private static IResult PreconditionFailed(HttpContext http, string currentETag)
    {
        http.Response.Headers.ETag = currentETag;
        return Problems.Of(StatusCodes.Status412PreconditionFailed, "Someone else changed this listing.",
            "Your copy is out of date. GET the listing again, re-apply your change, and send it with the new ETag.");
    }
}

/// <summary>Admin answers are never cached.</summary>
public sealed class NoStoreFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        return next(context);
    }
}

/// <summary>Documents the answers of a write that needs <c>If-Match</c>: 428 without it, 412 when the listing changed first.</summary>
internal static class IfMatchResponses
{
    public static RouteHandlerBuilder WritesWithIfMatch(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
