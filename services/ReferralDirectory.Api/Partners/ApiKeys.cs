using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using ReferralDirectory.Api.Admin;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Listings;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Partners;

/// <summary>Section <c>RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Anonymous public search: requests per minute per client address.</summary>
    [Range(1, 1_000_000)] public int AnonymousPerMinute { get; set; } = 60;
    /// <summary>Default quota for a new partner key.</summary>
    [Range(1, 10_000_000)] public int DefaultPartnerPerMinute { get; set; } = 600;
    /// <summary>How often each instance reloads partner keys from the store (keys made on other instances).</summary>
    [Range(1, 3600)] public int KeyRefreshSeconds { get; set; } = 30;
}

/// <summary>
/// Partner API keys (header <c>X-Api-Key</c>): shown once on creation, stored as a SHA-256 hash, checked in
/// constant time against an in-memory set refreshed from the store.
/// </summary>
public sealed class ApiKeyRegistry(IDirectoryStore store, TimeProvider time)
{
    public const string Header = "X-Api-Key";
    private const string KeyPrefix = "rdk_";
    private volatile FrozenDictionary<string, ApiKeyRecord> _byHash = FrozenDictionary<string, ApiKeyRecord>.Empty;

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task RefreshAsync(CancellationToken ct = default)
    {
        var keys = await store.ListApiKeysAsync(ct);
        _byHash = keys.Where(k => k.RevokedAt is null).ToFrozenDictionary(k => k.Hash, StringComparer.Ordinal);
    }


    /// <summary>The live key record for a presented key, or null.</summary>
    public ApiKeyRecord? Find(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 200 || !presented.StartsWith(KeyPrefix, StringComparison.Ordinal)) return null;
        // Hashing first makes the lookup independent of how much of the key an attacker guessed.
        return _byHash.TryGetValue(Hash(presented), out var record) ? record : null;
    }

    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(string name, int perMinute, Actor actor, DirectoryService directory, CancellationToken ct)
    {
        var key = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var record = new ApiKeyRecord
        {
            Id = "key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Name = name, Hash = Hash(key), Prefix = key[..8], RequestsPerMinute = perMinute,
            CreatedAt = time.GetUtcNow(), CreatedBy = actor,
        };
        await store.CreateApiKeyAsync(record, directory.Audit(actor, "api-key-create", null, [new FieldChange("apiKey", null, $"{{\"id\":\"{record.Id}\",\"name\":{System.Text.Json.JsonSerializer.Serialize(name)}}}")]), ct);
        await RefreshAsync(ct);
        return (record, key);
    }

    public async Task<bool> RevokeAsync(string id, Actor actor, DirectoryService directory, CancellationToken ct)
    {
        var ok = await store.RevokeApiKeyAsync(id, time.GetUtcNow(), directory.Audit(actor, "api-key-revoke", null, [new FieldChange("apiKey", $"{{\"id\":\"{id}\"}}", null)]), ct);
        await RefreshAsync(ct);
        return ok;
    }
}

/// <summary>A new partner key's fields, for the API (<c>POST /v1/admin/api-keys</c>) and the admin console's keys page:
/// a name of at most 100 characters without control characters, and a quota of 1 to 1,000,000 requests a minute
/// (absent: <see cref="RateLimitOptions.DefaultPartnerPerMinute"/>).</summary>
public static class ApiKeyRules
{
    public const int MaxName = 100;
    public const int MaxPerMinute = 1_000_000;
    public const string NameHint = "Required: the partner's name, at most 100 characters.";
    public const string PerMinuteHint = "Must be from 1 to 1000000.";

    /// <summary>Field messages (<c>name</c>, <c>requestsPerMinute</c>); empty when both are fine.</summary>
    public static Dictionary<string, string[]> Problems(string? name, int? requestsPerMinute)
    {
        var errors = new Dictionary<string, string[]>();
        if (Name(name) is not { } n || n.Length > MaxName || n.Any(char.IsControl)) errors["name"] = [NameHint];
        if (requestsPerMinute is < 1 or > MaxPerMinute) errors["requestsPerMinute"] = [PerMinuteHint];
        return errors;
    }

    /// <summary>The name as stored (trimmed), or null when blank.</summary>
    public static string? Name(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();
}

public sealed record CreateApiKeyRequest(string? Name, int? RequestsPerMinute);

public sealed record ApiKeyResponse(string Id, string Name, string Prefix, int RequestsPerMinute, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

/// <summary>The key itself appears only here, once.</summary>
public sealed record CreatedApiKeyResponse(ApiKeyResponse ApiKey, string Key, string Note);

public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/api-keys").WithTags("Admin: partner keys").RequireAuthorization(Policies.Administer).AddEndpointFilter<NoStoreFilter>();

        group.MapPost("/", async (HttpContext http, CreateApiKeyRequest request, ApiKeyRegistry keys, DirectoryService directory,
            Microsoft.Extensions.Options.IOptions<RateLimitOptions> limits, CancellationToken ct) =>
        {
            var errors = ApiKeyRules.Problems(request.Name, request.RequestsPerMinute);
            if (errors.Count > 0) return Results.ValidationProblem(errors);
            var (record, key) = await keys.CreateAsync(ApiKeyRules.Name(request.Name)!, request.RequestsPerMinute ?? limits.Value.DefaultPartnerPerMinute, http.User.ToActor(), directory, ct);
            return Results.Created($"/v1/admin/api-keys/{record.Id}", new CreatedApiKeyResponse(ToResponse(record), key,
                "Store this key now: it is not shown again. Send it in the X-Api-Key header."));
        }).WithName("AdminCreateApiKey").WithSummary("Create a partner API key (shown once)")
            .Produces<CreatedApiKeyResponse>(StatusCodes.Status201Created).ProducesValidationProblem();

        group.MapGet("/", async (IDirectoryStore store, CancellationToken ct) =>
            (await store.ListApiKeysAsync(ct)).Select(ToResponse).ToArray())
            .WithName("AdminListApiKeys").WithSummary("Partner keys (never the keys themselves)");

        group.MapDelete("/{id}", async (HttpContext http, string id, ApiKeyRegistry keys, DirectoryService directory, CancellationToken ct) =>
            await keys.RevokeAsync(id, http.User.ToActor(), directory, ct)
                ? Results.NoContent()
                : Problems.Of(StatusCodes.Status404NotFound, "No such live key.", "The key does not exist or was already revoked."))
            .WithName("AdminRevokeApiKey").WithSummary("Revoke a partner key").Produces(StatusCodes.Status204NoContent);
        return app;
    }

    private static ApiKeyResponse ToResponse(ApiKeyRecord k) => new(k.Id, k.Name, k.Prefix, k.RequestsPerMinute, k.CreatedAt, k.CreatedBy.Name, k.RevokedAt);
}
