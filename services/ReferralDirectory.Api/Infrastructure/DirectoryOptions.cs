using System.ComponentModel.DataAnnotations;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>Where the directory is stored. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (embedded, the default) or <c>Cosmos</c> (Azure Cosmos DB, section <c>Storage:Cosmos</c>).</summary>
    [Required, RegularExpression("^(Sqlite|Cosmos)$", ErrorMessage = "Storage:Provider must be 'Sqlite' or 'Cosmos'.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Path of the SQLite file; created with its folder on first start.</summary>
    [Required, MinLength(1)]
    public string SqlitePath { get; set; } = "data/referral-directory.db";

    /// <summary>How often each instance applies other instances' writes to its index.</summary>
    [Range(0.05, 300)]
    public double SyncIntervalSeconds { get; set; } = 2;

    /// <summary>One sync cycle's time limit, retries included; shorter than the interval. Default: 3/4 of the interval.</summary>
    [Range(0.01, 300)]
    public double? SyncTimeoutSeconds { get; set; }

    /// <summary>Keep a checkpoint of the search index on the local disk, so a restart loads it and applies only the store's
    /// changes since (see <see cref="ReferralDirectory.Search.IndexCheckpoint"/>).</summary>
    public bool IndexCheckpoint { get; set; } = true;

    /// <summary>Where: by default beside the SQLite file (<c>referral-directory.db.index</c>); with Cosmos DB only when set.</summary>
    public string? IndexCheckpointPath { get; set; }

    /// <summary>How often the checkpoint is saved again when the index changed (and always on a clean shutdown).</summary>
    [Range(1, 1440)]
    public int IndexCheckpointMinutes { get; set; } = 10;

    public TimeSpan SyncInterval => TimeSpan.FromSeconds(SyncIntervalSeconds);
    public TimeSpan SyncTimeout => TimeSpan.FromSeconds(SyncTimeoutSeconds ?? SyncIntervalSeconds * 0.75);
    /// <summary>The promised staleness bound: 3 intervals. Past it the sync health check reports Degraded.</summary>
    public TimeSpan SyncLagBound => TimeSpan.FromSeconds(SyncIntervalSeconds * 3);
}

/// <summary>Demo data. Section <c>Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Load the demo directory when the store is empty on start.</summary>
    public bool SeedWhenEmpty { get; set; } = true;
}

/// <summary>Search limits. Section <c>Search</c>.</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    [Range(1, 100)] public int MaxResults { get; set; } = 50;
    [Range(1, 100)] public int DefaultResults { get; set; } = 10;
    [Range(1, 20_000)] public double MaxRadiusKm { get; set; } = 1_000;
    [Range(1, 20_000)] public double DefaultBrowseRadiusKm { get; set; } = 50;
    [Range(1, 200)] public int MaxPageSize { get; set; } = 100;
    [Range(1, 200)] public int DefaultPageSize { get; set; } = 20;
    [Range(1, 500)] public int MaxTextLength { get; set; } = 200;
    /// <summary>How many of the listings serving the place a nearest answer carries (servingThisPlace), most local first.</summary>
    [Range(0, 20)] public int DefaultServingInNearest { get; set; } = 3;
}
