using System.Text.Json.Nodes;

namespace ReferralDirectory.Guidance;

/// <summary>
/// Misprints found on the source pages, which must never reach a reader. One seed page gives the hotline's text
/// number as 233722: the hotline's number is 233733 (its other pages, and the hotline itself). The Missouri profile
/// prints the hotline's web domain with "human" twice. Only <c>editorNote</c> fields (never served) may name them.
/// </summary>
public static class KnownMisprints
{
    public static readonly IReadOnlyDictionary<string, string> Corrections = new Dictionary<string, string>
    {
        ["233722"] = "233733",
        ["humanhumantraffickinghotline.org"] = "humantraffickinghotline.org",
    };

    public static IEnumerable<string> Check(JsonNode? root)
    {
        var served = root?.DeepClone();
        RemoveEditorNotes(served);
        var text = served?.ToJsonString() ?? "";
        foreach (var (wrong, right) in Corrections)
            if (text.Contains(wrong, StringComparison.OrdinalIgnoreCase))
                yield return $"The guidance contains the misprint '{wrong}' outside an editorNote; write '{right}'.";
    }

    private static void RemoveEditorNotes(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("editorNote");
                foreach (var (_, v) in o) RemoveEditorNotes(v);
                break;
            case JsonArray a:
                foreach (var v in a) RemoveEditorNotes(v);
                break;
        }
    }
}
