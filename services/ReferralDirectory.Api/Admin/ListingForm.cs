using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace ReferralDirectory.Api.Admin;

/// <summary>
/// How the listing editor's HTML form maps to a <see cref="ListingInput"/> and back. A form field is named by the
/// validator's JSON path (<c>name</c>, <c>phones[0].number</c>, <c>phones[0].hours.periods[1].opens</c>), so
/// <see cref="ListingValidator"/>'s messages land beside the field that caused them. Lists of objects are rows: a row
/// left blank (the "add one" row) or marked <c>….remove</c> is dropped and the rest renumbered; code lists are
/// checkboxes or comma-separated text; a checkbox sends a hidden "false" before it, so unticking is a value too.
/// The flat form (<see cref="ToForm"/>) is also what edits are compared and merged by (<see cref="EditMerge"/>).
/// </summary>
public static partial class ListingForm
{
    /// <summary>The listing's fields (the first segment of a form path); other form controls are not the listing's.</summary>
    private static readonly HashSet<string> Fields = new(typeof(ListingInput).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)), StringComparer.Ordinal);

    /// <summary>The separator of code lists in the flat form.</summary>
    public const string ListSeparator = ", ";

    private static readonly HashSet<string> NumberFields = new(StringComparer.Ordinal) { "latitude", "longitude", "amountMin", "amountMax" };
    private static readonly HashSet<string> BoolFields = new(StringComparer.Ordinal)
        { "confidential", "always", "warmTransfers", "staffOnly", "interpretationAvailable", "freeOfCharge", "acceptingReferrals", "isDemo" };
    private static readonly HashSet<string> ListFields = new(StringComparer.Ordinal) { "taxonomyCodes", "languages", "populations", "traffickingTypes" };
    private const string JsonField = "geometry";
    /// <summary>The row control that drops a row.</summary>
    public const string Remove = "remove";

    /// <summary>A form path: names (a letter, then letters or digits) with optional indexes, dot-separated (at most 8 levels, indexes below 1000).</summary>
    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9]{0,39}(\[\d{1,3}\])?(\.[a-zA-Z][a-zA-Z0-9]{0,39}(\[\d{1,3}\])?){0,7}$")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^(?<name>[a-zA-Z][a-zA-Z0-9]*)(\[(?<index>\d+)\])?$")]
    private static partial Regex SegmentPattern();

    private static readonly JsonSerializerOptions Writing = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The flat form of a listing: form path → the text its field shows.</summary>
    public static Dictionary<string, string> ToForm(ListingInput input)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        Flatten(JsonSerializer.SerializeToNode(input, Writing), "", result);
        return result;
    }

    private static void Flatten(JsonNode? node, string path, Dictionary<string, string> into)
    {
        switch (node)
        {
            case null: return;
            case JsonObject o when LastName(path) == JsonField:
                into[path] = o.ToJsonString();
                return;
            case JsonObject o:
                foreach (var (key, value) in o) Flatten(value, path.Length == 0 ? key : $"{path}.{key}", into);
                return;
            case JsonArray a when ListFields.Contains(LastName(path)):
                if (a.Count > 0) into[path] = string.Join(ListSeparator, a.Select(x => x?.GetValue<string>() ?? ""));
                return;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) Flatten(a[i], $"{path}[{i}]", into);
                return;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                into[path] = v.GetValue<bool>() ? "true" : "false";
                return;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                into[path] = v.GetValue<string>();
                return;
            default:
                into[path] = node.ToJsonString();
                return;
        }
    }

    private static string LastName(string path)
    {
        var dot = path.LastIndexOf('.');
        var last = dot < 0 ? path : path[(dot + 1)..];
        var bracket = last.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? last : last[..bracket];
    }

    /// <summary>The posted form as the flat form: every listing field the form sent (other controls are left out),
    /// a code list joined, a checkbox's last value (the hidden "false" or "true").</summary>
    public static Dictionary<string, string> Posted(IEnumerable<KeyValuePair<string, StringValues>> form)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in form)
        {
            if (!PathPattern().IsMatch(key) || !Fields.Contains(key.Split('.', '[')[0])) continue;
            result[key] = ListFields.Contains(LastName(key))
                ? string.Join(ListSeparator, values.SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0))
                : (values.Count == 0 ? "" : values[^1] ?? "");
        }
        return result;
    }

    /// <summary>The listing a flat form describes, or the fields whose text is not of their type (keyed by form path),
    /// and the way back from the validator's paths (rows renumbered) to the form's.</summary>
    public static FormReading Read(IReadOnlyDictionary<string, string> form, JsonSerializerOptions options)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var dropped = DroppedRows(form);
        // Renumbering: for each list (by its form prefix), the kept form indexes in order.
        var kept = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        var live = form.Where(kv => !LastName(kv.Key).Equals(Remove, StringComparison.Ordinal) && !dropped.Any(d => kv.Key.StartsWith(d + ".", StringComparison.Ordinal)))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var key in live.Keys)
        {
            var prefix = "";
            foreach (var segment in key.Split('.'))
            {
                var m = SegmentPattern().Match(segment);
                var name = m.Groups["name"].Value;
                if (m.Groups["index"].Success)
                {
                    var index = int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture);
                    var list = prefix + name;
                    if (!kept.TryGetValue(list, out var set)) kept[list] = set = [];
                    set.Add(index);
                    prefix = $"{list}[{index}].";
                }
                else prefix += name + ".";
            }
        }
        var order = kept.ToDictionary(kv => kv.Key, kv => kv.Value.ToList(), StringComparer.Ordinal);

        var root = new JsonObject();
        foreach (var (key, text) in live.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var value = text.Trim();
            if (value.Length == 0) continue;
            var leaf = LastName(key);
            JsonNode? node;
            if (BoolFields.Contains(leaf))
            {
                if (value is not ("true" or "false")) { problems[key] = ["Must be true or false."]; continue; }
                node = JsonValue.Create(value == "true");
            }
            else if (NumberFields.Contains(leaf))
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                { problems[key] = ["Must be a number, such as 38.95."]; continue; }
                node = JsonValue.Create(number);
            }
            else if (ListFields.Contains(leaf))
            {
                node = new JsonArray([.. value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).Select(v => (JsonNode)JsonValue.Create(v))]);
            }
            else if (leaf == JsonField)
            {
                try
                {
                    node = JsonNode.Parse(value, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
                    if (node is not JsonObject) { problems[key] = ["Must be a GeoJSON Polygon or MultiPolygon (a JSON object)."]; continue; }
                }
                catch (JsonException)
                {
                    problems[key] = ["Must be a GeoJSON Polygon or MultiPolygon (a JSON object)."];
                    continue;
                }
            }
            else node = JsonValue.Create(value);
            Place(root, key, node, order);
        }
        Prune(root);

        ListingInput? input = null;
        if (problems.Count == 0)
        {
            try
            {
                input = root.Deserialize<ListingInput>(options) ?? new ListingInput();
            }
            catch (JsonException e)
            {
                problems[Infrastructure.Problems.FieldOf(e.Path)] = ["This field cannot be read."];
            }
        }
        return new FormReading(input, problems, order);
    }

    /// <summary>Rows left blank (every field empty or unticked) or marked to be removed.</summary>
    private static List<string> DroppedRows(IReadOnlyDictionary<string, string> form)
    {
        var rows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in form.Keys)
        {
            for (var i = key.IndexOf(']', StringComparison.Ordinal); i >= 0; i = key.IndexOf(']', i + 1))
                rows.Add(key[..(i + 1)]);
        }
        return [.. rows.Where(row =>
            form.TryGetValue(row + "." + Remove, out var r) && r == "true" ||
            form.Where(kv => kv.Key.StartsWith(row + ".", StringComparison.Ordinal)).All(kv => kv.Value.Trim() is "" or "false"))];
    }

    private static void Place(JsonObject root, string key, JsonNode? value, Dictionary<string, List<int>> order)
    {
        JsonNode current = root;
        var prefix = "";
        var segments = key.Split('.');
        for (var s = 0; s < segments.Length; s++)
        {
            var m = SegmentPattern().Match(segments[s]);
            var name = m.Groups["name"].Value;
            var last = s == segments.Length - 1;
            var obj = (JsonObject)current;
            if (m.Groups["index"].Success)
            {
                var formIndex = int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture);
                var list = prefix + name;
                var index = order[list].IndexOf(formIndex);
                if (obj[name] is not JsonArray array) obj[name] = array = [];
                while (array.Count <= index) array.Add(new JsonObject());
                prefix = $"{list}[{formIndex}].";
                if (last) { array[index] = value; return; }
                current = array[index]!;
            }
            else
            {
                prefix += name + ".";
                if (last) { obj[name] = value; return; }
                if (obj[name] is not JsonObject child) obj[name] = child = [];
                current = child;
            }
        }
    }

    /// <summary>Drops objects with nothing in them but unticked boxes (an untouched "funding" or "readiness" section).</summary>
    private static bool Prune(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(kv => kv.Key).ToList())
                {
                    if (LastName(key) == JsonField) continue;
                    if (o[key] is JsonObject or JsonArray && Prune(o[key])) o.Remove(key);
                }
                return o.All(kv => kv.Value is JsonValue v && v.GetValueKind() == JsonValueKind.False);
            case JsonArray a:
                foreach (var item in a.ToList()) if (item is JsonObject && Prune(item)) a.Remove(item);
                return a.Count == 0;
            default:
                return false;
        }
    }
}

/// <summary>What <see cref="ListingForm.Read"/> made of a form.</summary>
public sealed class FormReading(ListingInput? input, Dictionary<string, string[]> problems, Dictionary<string, List<int>> order)
{
    public ListingInput? Input { get; } = input;
    /// <summary>Fields whose text is not of their type, by form path.</summary>
    public Dictionary<string, string[]> Problems { get; } = problems;

    /// <summary>The validator's messages (by the renumbered rows' paths) moved to the form's paths.</summary>
    public Dictionary<string, string[]> OnForm(Dictionary<string, string[]> validatorErrors) =>
        validatorErrors.GroupBy(kv => FormPath(kv.Key), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(kv => kv.Value).ToArray(), StringComparer.Ordinal);

    /// <summary>A validator path (<c>phones[1].number</c>, rows counted after blank and removed ones were dropped) on the form.</summary>
    public string FormPath(string path)
    {
        var result = new System.Text.StringBuilder();
        var prefix = "";
        foreach (var segment in path.Split('.'))
        {
            if (result.Length > 0) result.Append('.');
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            if (bracket > 0 && segment.EndsWith(']') && int.TryParse(segment[(bracket + 1)..^1], CultureInfo.InvariantCulture, out var index))
            {
                var list = prefix + segment[..bracket];
                var formIndex = order.TryGetValue(list, out var kept) && index < kept.Count ? kept[index] : index;
                result.Append(segment[..bracket]).Append('[').Append(formIndex).Append(']');
                prefix = $"{list}[{formIndex}].";
            }
            else
            {
                result.Append(segment);
                prefix += segment + ".";
            }
        }
        return result.ToString();
    }
}
