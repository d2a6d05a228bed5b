namespace ReferralDirectory.Storage;

/// <summary>
/// A store client's pooled network connections. After a store request hung past its timeout the index sync
/// watchdog drops them all (<see cref="Recycle"/>), so the next request opens a fresh connection instead of
/// queueing behind, or reusing, one that may be dead (a peer or NAT that vanished without closing it).
/// </summary>
public interface IStoreConnections
{
    /// <summary>How many times the connections were dropped since start.</summary>
    int Recycles { get; }

    /// <summary>New requests use new connections; requests in flight finish on the old ones.</summary>
    void Recycle();
}

/// <summary>For a store without network connections (the embedded SQLite file): nothing to recycle.</summary>
public sealed class NoStoreConnections : IStoreConnections
{
    public int Recycles => 0;
    public void Recycle() { }
}
