namespace ReferralDirectory.Api.Admin;

/// <summary>
/// Safe concurrent edits: when someone else saved a listing after an editor opened it (412), the editor's changes and
/// theirs are merged field by field over the version both started from (the listing's flat form, <see cref="ListingForm"/>).
/// A field only one side changed takes that side's value; a field both changed differently is a conflict the editor
/// resolves (theirs or mine). Nothing is taken or dropped without being shown.
/// </summary>
public static class EditMerge
{
    /// <summary>How the editor resolves a conflict: the posted control <c>choose.{path}</c> with this value takes theirs.</summary>
    public const string ChooseTheirs = "theirs";
    public const string ChoosePrefix = "choose.";

    public static MergeResult Merge(IReadOnlyDictionary<string, string> start, IReadOnlyDictionary<string, string> mine, IReadOnlyDictionary<string, string> theirs)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        var theirChanges = new List<FieldMerge>();
        var conflicts = new List<FieldMerge>();
        foreach (var key in start.Keys.Union(mine.Keys).Union(theirs.Keys).Order(StringComparer.Ordinal))
        {
            var b = start.GetValueOrDefault(key, "");
            var m = mine.GetValueOrDefault(key, "");
            var t = theirs.GetValueOrDefault(key, "");
            if (m == t) merged[key] = m;
            else if (Same(m, b)) { merged[key] = t; theirChanges.Add(new FieldMerge(key, b, m, t)); }
            else if (Same(t, b)) merged[key] = m;
            else { merged[key] = m; conflicts.Add(new FieldMerge(key, b, m, t)); }
        }
        return new MergeResult(merged, theirChanges, conflicts);
    }

    // An unticked box that was never set reads as "false" on the form and as nothing in the stored listing.
    private static bool Same(string a, string b) => a == b || (a is "" or "false" && b is "" or "false");

    /// <summary>The editor's resolution of conflicts: every field the editor chose "theirs" for takes their value.</summary>
    public static Dictionary<string, string> Resolve(Dictionary<string, string> mine, IReadOnlyDictionary<string, string> theirs, IEnumerable<string> chosenTheirs)
    {
        var result = new Dictionary<string, string>(mine, StringComparer.Ordinal);
        foreach (var key in chosenTheirs) result[key] = theirs.GetValueOrDefault(key, "");
        return result;
    }
}

/// <summary>One field in a merge: the value both started from, mine and theirs.</summary>
public sealed record FieldMerge(string Path, string Start, string Mine, string Theirs);

/// <summary>The merged form, the fields only they changed (taken) and the fields both changed (to resolve).</summary>
public sealed record MergeResult(Dictionary<string, string> Merged, IReadOnlyList<FieldMerge> TheirChanges, IReadOnlyList<FieldMerge> Conflicts);
