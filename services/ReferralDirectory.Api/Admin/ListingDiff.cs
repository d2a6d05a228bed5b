using System.Text.Json;
using System.Text.Json.Nodes;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Admin;

/// <summary>One changed value of a listing, at a path such as <c>phones[0].number</c>: its text before and after
/// (null where there was no value, an empty text or an empty list).</summary>
public sealed record ValueDiff(string Path, string? Before, string? After);

/// <summary>
/// An audit entry's changes field by field. The store records each changed top-level field with its JSON before and after
/// (<see cref="FieldChange"/>); this walks both values down to what actually changed: objects by property, lists of
/// objects item by item (<c>phones[0].number</c>), and any other list (codes, coordinates) as one value. Strings are shown
/// without quotes, other values as JSON; a value longer than <see cref="MaxText"/> characters is cut with an ellipsis.
/// </summary>
public static class ListingDiff
{
    public const int MaxText = 300;

    public static IReadOnlyList<ValueDiff> Of(IEnumerable<FieldChange> changes)
    {
        var diffs = new List<ValueDiff>();
        foreach (var change in changes)
            Walk(change.Field, Parse(change.Before), Parse(change.After), diffs);
        return diffs;
    }

    private static JsonNode? Parse(string? json)
    {
        if (json is null) return null;
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return JsonValue.Create(json); }
    }

    private static void Walk(string path, JsonNode? before, JsonNode? after, List<ValueDiff> diffs)
    {
        if (JsonNode.DeepEquals(before, after)) return;
        if (before is JsonObject bo && after is JsonObject ao)
        {
            foreach (var key in bo.Select(p => p.Key).Union(ao.Select(p => p.Key), StringComparer.Ordinal))
                Walk($"{path}.{key}", bo[key], ao[key], diffs);
            return;
        }
        if (ItemByItem(before) && ItemByItem(after))
        {
            var b = before as JsonArray ?? [];
            var a = after as JsonArray ?? [];
            for (var i = 0; i < Math.Max(b.Count, a.Count); i++)
                Walk($"{path}[{i}]", i < b.Count ? b[i] : null, i < a.Count ? a[i] : null, diffs);
            return;
        }
        if ((before is JsonObject && after is null) || (before is null && after is JsonObject))
        {
            var o = (before ?? after)!.AsObject();
            foreach (var (key, value) in o)
                Walk($"{path}.{key}", before is null ? null : value, after is null ? null : value, diffs);
            return;
        }
        diffs.Add(new ValueDiff(path, Text(before), Text(after)));
    }

    /// <summary>A list of objects (or nothing beside one) is compared item by item.</summary>
    private static bool ItemByItem(JsonNode? node) => node is null || node is JsonArray a && a.All(i => i is JsonObject);

    private static string? Text(JsonNode? node)
    {
        if (node is null or JsonArray { Count: 0 }) return null;
        var text = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
            : node is JsonArray a && a.All(i => i is JsonValue iv && iv.GetValueKind() == JsonValueKind.String) ? string.Join(", ", a.Select(i => i!.GetValue<string>()))
            : node.ToJsonString();
        return text.Length == 0 ? null : text.Length > MaxText ? text[..MaxText] + "…" : text;
    }
}
