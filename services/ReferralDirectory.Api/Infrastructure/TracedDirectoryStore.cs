using System.Diagnostics;
using System.Runtime.CompilerServices;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// A span (ActivitySource <see cref="Telemetry.Name"/>) around every store call, whichever store is configured:
/// <c>store {operation}</c>, kind Client, with <c>db.system.name</c> and <c>db.operation.name</c>; a failed call is
/// marked with the exception's type (never its message, which may hold data). Registered where the store is resolved
/// (<see cref="StoreServiceCollectionExtensions"/>), so neither store knows about tracing.
/// </summary>
public sealed class TracedDirectoryStore(IDirectoryStore inner, string system) : IDirectoryStore
{
    /// <summary>The store this one wraps.</summary>
    public IDirectoryStore Inner => inner;

    private Activity? Start(string operation)
    {
        var activity = Telemetry.Source.StartActivity($"store {operation}", ActivityKind.Client);
        activity?.SetTag("db.system.name", system);
        activity?.SetTag("db.operation.name", operation);
        return activity;
    }

    private static void Failed(Activity? activity, Exception e)
    {
        activity?.SetStatus(ActivityStatusCode.Error);
        activity?.SetTag("error.type", e.GetType().FullName);
    }

    private async Task<T> Trace<T>(string operation, Func<Task<T>> call)
    {
        using var activity = Start(operation);
        try { return await call(); }
        catch (Exception e) { Failed(activity, e); throw; }
    }

    private async Task Trace(string operation, Func<Task> call)
    {
        using var activity = Start(operation);
        try { await call(); }
        catch (Exception e) { Failed(activity, e); throw; }
    }

    public Task InitializeAsync(CancellationToken ct = default) => Trace("initialize", () => inner.InitializeAsync(ct));

    public async IAsyncEnumerable<StoredListing> ReadAllAsync(bool includeRetired = false, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var activity = Start("read_all");
        var count = 0;
        await using var e = inner.ReadAllAsync(includeRetired, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            bool more;
            try { more = await e.MoveNextAsync(); }
            catch (Exception ex) { Failed(activity, ex); throw; }
            if (!more) break;
            count++;
            yield return e.Current;
        }
        activity?.SetTag("db.response.returned_rows", count);
    }

    public Task<StoredListing?> GetAsync(string id, CancellationToken ct = default) => Trace("get", () => inner.GetAsync(id, ct));
    public Task<int> CountAsync(CancellationToken ct = default) => Trace("count", () => inner.CountAsync(ct));
    public Task<StoredListing> CreateAsync(Listing listing, AuditEntry? audit = null, CancellationToken ct = default) => Trace("create", () => inner.CreateAsync(listing, audit, ct));
    public Task CreateManyAsync(IReadOnlyList<Listing> listings, CancellationToken ct = default) => Trace("create_many", () => inner.CreateManyAsync(listings, ct));
    public Task<StoredListing> ReplaceAsync(Listing listing, string expectedETag, bool retired, AuditEntry? audit = null, CancellationToken ct = default) =>
        Trace("replace", () => inner.ReplaceAsync(listing, expectedETag, retired, audit, ct));
    public Task PurgeAsync(string id, string expectedETag, AuditEntry? audit = null, CancellationToken ct = default) => Trace("purge", () => inner.PurgeAsync(id, expectedETag, audit, ct));
    public Task<IReadOnlyList<ListingChange>> ChangesSinceAsync(long sequence, int max, CancellationToken ct = default) =>
        Trace("changes_since", () => inner.ChangesSinceAsync(sequence, max, ct));

    public Task<long> LatestSequenceAsync(CancellationToken ct = default) =>
        Trace("latest_sequence", () => inner.LatestSequenceAsync(ct));
    public Task<IReadOnlyList<(long Sequence, string Id)>> PurgesSinceAsync(long sequence, CancellationToken ct = default) =>
        Trace("purges_since", () => inner.PurgesSinceAsync(sequence, ct));
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default) => Trace("append_audit", () => inner.AppendAuditAsync(entry, ct));
    public Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken ct = default) => Trace("query_audit", () => inner.QueryAuditAsync(query, ct));
    public Task<WorkItem> CreateWorkItemAsync(WorkItem item, AuditEntry? audit = null, CancellationToken ct = default) => Trace("create_work_item", () => inner.CreateWorkItemAsync(item, audit, ct));
    public Task<WorkItem?> GetWorkItemAsync(string id, CancellationToken ct = default) => Trace("get_work_item", () => inner.GetWorkItemAsync(id, ct));
    public Task<IReadOnlyList<WorkItem>> ListWorkItemsAsync(string kind, bool openOnly, int limit, CancellationToken ct = default) => Trace("list_work_items", () => inner.ListWorkItemsAsync(kind, openOnly, limit, ct));
    public Task<WorkItem> UpdateWorkItemAsync(WorkItem item, string expectedETag, AuditEntry? audit = null, CancellationToken ct = default) => Trace("update_work_item", () => inner.UpdateWorkItemAsync(item, expectedETag, audit, ct));
    public Task CreateApiKeyAsync(ApiKeyRecord key, AuditEntry audit, CancellationToken ct = default) => Trace("create_api_key", () => inner.CreateApiKeyAsync(key, audit, ct));
    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken ct = default) => Trace("list_api_keys", () => inner.ListApiKeysAsync(ct));
    public Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset at, AuditEntry audit, CancellationToken ct = default) => Trace("revoke_api_key", () => inner.RevokeApiKeyAsync(id, at, audit, ct));
    public Task<IReadOnlyDictionary<string, ExternalIdMatch>> GetByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken ct = default) =>
        Trace("get_by_external_ids", () => inner.GetByExternalIdsAsync(externalIds, ct));
    public Task<IReadOnlyList<StoredListing>> WriteBatchAsync(IReadOnlyList<Listing> creates, IReadOnlyList<(Listing Listing, string ExpectedETag)> replaces,
        IReadOnlyList<AuditEntry>? audit = null, CancellationToken ct = default) => Trace("write_batch", () => inner.WriteBatchAsync(creates, replaces, audit, ct));
    public Task<byte[]> GetOrCreateSecretAsync(string name, int length, CancellationToken ct = default) => Trace("get_or_create_secret", () => inner.GetOrCreateSecretAsync(name, length, ct));
    public Task<bool> ImportSecretAsync(string name, byte[] value, CancellationToken ct = default) => Trace("import_secret", () => inner.ImportSecretAsync(name, value, ct));
}
