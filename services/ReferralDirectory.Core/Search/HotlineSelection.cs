using NetTopologySuite.Geometries;

namespace ReferralDirectory.Search;

/// <summary>
/// Every search answer, even an empty one, carries the hotlines covering the searched place. This rule picks them:
/// the national lines first, then the state's, then the county's (or a drawn area's), at most
/// <see cref="PerScope"/> of each, each listing once (at its most specific scope) and each phone number once, so the
/// answer's size does not grow with the directory. Within a scope real listings come before demo ones, then lines
/// answered 24/7, then the most recently verified, then by name.
/// </summary>
public static class HotlineSelection
{
    /// <summary>At most this many hotlines per scope (national, state, local).</summary>
    public const int PerScope = 2;

    /// <summary>The preference order within a scope.</summary>
    public static int Compare(IndexedListing a, IndexedListing b)
    {
        var c = a.IsDemo.CompareTo(b.IsDemo);
        if (c != 0) return c;
        c = b.Is24x7.CompareTo(a.Is24x7);
        if (c != 0) return c;
        c = Nullable.Compare(b.LastVerified, a.LastVerified);
        return c != 0 ? c : NameOrder.Compare(a, b);
    }

    internal static IReadOnlyList<CoverageHit> Select(DirectorySnapshot snapshot, Coordinate? point, IReadOnlyList<string> states, IReadOnlyList<string> counties)
    {
        var chosen = new List<CoverageHit>(3 * PerScope);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        // Most specific first, so a listing matched at several scopes counts at its most local one; shown national first.
        var local = Take(CoverageScope.County, CoverageScope.Area);
        var state = Take(CoverageScope.State);
        var national = Take(CoverageScope.Nationwide);
        chosen.AddRange(national); chosen.AddRange(state); chosen.AddRange(local);
        return chosen;

        List<CoverageHit> Take(params CoverageScope[] scopes)
        {
            var taken = new List<CoverageHit>(PerScope);
            foreach (var scope in scopes)
            {
                foreach (var l in snapshot.HotlineCandidates(scope, point, states, counties))
                {
                    if (taken.Count == PerScope) return taken;
                    if (!ids.Add(l.Id)) continue;
                    if (l.HotlineNumber is { } n && !numbers.Add(n)) continue;
                    taken.Add(new CoverageHit(l, scope));
                }
            }
            return taken;
        }
    }
}
