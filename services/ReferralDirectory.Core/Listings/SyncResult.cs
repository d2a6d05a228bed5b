using ReferralDirectory.Storage;

namespace ReferralDirectory.Listings;

/// <summary>What one <see cref="DirectoryService.SyncAsync(IChangeSource, int, CancellationToken)"/> did: the
/// listings it applied, the pages it read and the position it reached. <see cref="Superseded"/>: another sync or a
/// reload moved the position meanwhile, and this one stopped without applying its last page.</summary>
public sealed record SyncResult(int Applied, int Pages, SyncPosition Position, bool Superseded);
