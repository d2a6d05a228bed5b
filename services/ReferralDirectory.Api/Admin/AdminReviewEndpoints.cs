using System.Globalization;
using Microsoft.Extensions.Options;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Listings;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Admin;

public sealed record ReviewItem(string Id, string Name, string Kind, string? LastVerified, string? LastVerifiedBy, int? DaysSinceVerified);

public sealed record ReviewQueueResponse(int Total, int StaleAfterMonths, IReadOnlyList<ReviewItem> Items, string? NextCursor);

public sealed record AuditChangeResponse(string Field, string? Before, string? After);

public sealed record AuditEntryResponse(string Id, DateTimeOffset At, string ActorObjectId, string ActorName, string Action, string? ListingId, IReadOnlyList<AuditChangeResponse> Changes, string? Note);

public sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Entries, string? NextBefore);

/// <summary>The review queue (stale listings) and the audit log.</summary>
public static class AdminReviewEndpoints
{
    public static IEndpointRouteBuilder MapAdminReview(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin").WithTags("Admin: review and audit").RequireAuthorization(Policies.Edit).AddEndpointFilter<NoStoreFilter>();

        group.MapGet("/review-queue", Queue).WithName("AdminReviewQueue").Produces<ReviewQueueResponse>().ProducesValidationProblem()
            .WithSummary("Listings not verified within the configured time (default 12 months), never-verified and oldest first");
        group.MapGet("/audit", Audit).WithName("AdminAudit").Produces<AuditPageResponse>().ProducesValidationProblem()
            .WithSummary("Who changed what, when: newest first; filter by listingId, actor (object id), action, from, to; page with before");
        return app;
    }

    private static async Task<IResult> Queue(HttpRequest request, DirectoryIndex index, ListingReader reader, TimeProvider time, IOptions<VerificationOptions> vo, CancellationToken ct)
    {
        var r = new QueryReader(request.Query);
        var limit = r.Int("limit", 1, 200) ?? 50;
        var cursor = r.Text("cursor", 200);
        if (r.Errors.Count > 0) return TypedResults.ValidationProblem(r.Errors);
        var stale = StaleListings.Stale(index, time, vo.Value.StaleAfterMonths);
        var page = StaleListings.Page(stale, cursor, limit);
        // Who verified last is a detail of the full listing (from the store).
        var full = (await reader.GetManyAsync(page.Select(x => x.Listing), ct)).ToDictionary(x => x.Indexed.Id, x => x.Listing, StringComparer.Ordinal);
        var items = page.Select(x => new ReviewItem(x.Listing.Id, x.Listing.Name, x.Listing.Kind,
            x.Listing.LastVerified?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), full.GetValueOrDefault(x.Listing.Id)?.LastVerification?.ByName,
            StaleListings.DaysSinceVerified(x.Listing, time))).ToList();
        var next = page.Count == limit && stale.Count > 0 && page[^1].Key != stale[^1].Key ? page[^1].Key : null;
        return TypedResults.Ok(new ReviewQueueResponse(stale.Count, vo.Value.StaleAfterMonths, items, next));
    }

    private static async Task<IResult> Audit(HttpRequest request, IDirectoryStore store, CancellationToken ct)
    {
        var r = new QueryReader(request.Query);
        var limit = r.Int("limit", 1, 500) ?? 50;
        var listing = r.Text("listingId", 100);
        var actor = r.Text("actor", 100);
        var action = r.Text("action", 40);
        var before = r.Text("before", 100);
        DateTimeOffset? Date(string name)
        {
            var s = r.Text(name, 40);
            if (s is null) return null;
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)) return d;
            r.Error(name, $"'{name}' must be a date or date-time (ISO 8601).");
            return null;
        }
        var from = Date("from");
        var to = Date("to");
        if (r.Errors.Count > 0) return TypedResults.ValidationProblem(r.Errors);
        var entries = await store.QueryAuditAsync(new AuditQuery { ListingId = listing, ActorObjectId = actor, Action = action, From = from, To = to, Before = before, Limit = limit }, ct);
        return TypedResults.Ok(new AuditPageResponse(
            [.. entries.Select(e => new AuditEntryResponse(e.Id, e.At, e.Actor.ObjectId, e.Actor.Name, e.Action, e.ListingId,
                [.. e.Changes.Select(c => new AuditChangeResponse(c.Field, c.Before, c.After))], e.Note))],
            entries.Count == limit ? entries[^1].Id : null));
    }
}
