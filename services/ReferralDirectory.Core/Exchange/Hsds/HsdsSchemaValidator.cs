using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReferralDirectory.Exchange.Hsds;

/// <summary>A problem in an HSDS document: a JSON path such as <c>$.services[0].status</c> and a message.</summary>
public sealed record HsdsProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// Validates JSON against the embedded HSDS 3.0 JSON schemas. No JSON-schema package is known to work here, so
/// this implements the subset of JSON Schema those schemas use: <c>$ref</c> (to another schema file),
/// <c>type</c>, <c>required</c>, <c>properties</c>, <c>items</c>, <c>enum</c> and <c>format</c> (uuid, uri, email,
/// date-time, date). Other keywords in the files (title, description, constraints, example...) are annotations.
/// Extra properties are allowed, as in the schemas.
/// </summary>
public sealed class HsdsSchemaValidator
{
    public static HsdsSchemaValidator Default { get; } = new();

    private readonly ConcurrentDictionary<string, JsonObject?> _schemas = new(StringComparer.Ordinal);

    /// <summary>Validates <paramref name="doc"/> against <c>{schemaName}.json</c> (e.g. organization, service).</summary>
    public IReadOnlyList<HsdsProblem> Validate(JsonElement doc, string schemaName)
    {
        var problems = new List<HsdsProblem>();
        var schema = Load(schemaName + ".json") ?? throw new ArgumentException($"No HSDS schema '{schemaName}'.", nameof(schemaName));
        Check(doc, schema, "$", problems, 0);
        return problems;
    }

    private JsonObject? Load(string file) => _schemas.GetOrAdd(file, static f =>
    {
        using var s = typeof(HsdsSchemaValidator).Assembly.GetManifestResourceStream("ReferralDirectory.Exchange.Hsds.Schema." + f);
        return s is null ? null : JsonNode.Parse(s)?.AsObject();
    });

    private void Check(JsonElement value, JsonObject schema, string path, List<HsdsProblem> problems, int depth)
    {
        if (depth > 32) { problems.Add(new(path, "Nested too deeply.")); return; }
        if (problems.Count > 200) return;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var target = Load(reference);
            if (target is null) { problems.Add(new(path, $"Unknown schema reference '{reference}'.")); return; }
            Check(value, target, path, problems, depth + 1);
            return;
        }
        if (schema["type"]?.GetValue<string>() is { } type && !HasType(value, type))
        {
            problems.Add(new(path, $"Must be {Article(type)} {type}, not {Describe(value)}."));
            return;
        }
        if (schema["enum"] is JsonArray options && value.ValueKind == JsonValueKind.String)
        {
            var s = value.GetString();
            if (!options.Any(o => o?.GetValue<string>() == s))
                problems.Add(new(path, $"Must be one of: {string.Join(", ", options.Select(o => o?.GetValue<string>()))}."));
        }
        if (schema["format"]?.GetValue<string>() is { } format && value.ValueKind == JsonValueKind.String && !HasFormat(value.GetString()!, format))
            problems.Add(new(path, $"Must be a valid {format}."));
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema["required"] is JsonArray required)
            {
                foreach (var r in required.Select(r => r?.GetValue<string>()).OfType<string>())
                {
                    if (!value.TryGetProperty(r, out var v) || v.ValueKind == JsonValueKind.Null)
                        problems.Add(new($"{path}.{r}", "Required."));
                }
            }
            if (schema["properties"] is JsonObject props)
            {
                foreach (var p in value.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.Null) continue; // absent and null are the same in HSDS JSON
                    if (props[p.Name] is JsonObject sub) Check(p.Value, sub, $"{path}.{p.Name}", problems, depth + 1);
                }
            }
        }
        if (value.ValueKind == JsonValueKind.Array && schema["items"] is JsonObject items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray()) Check(item, items, $"{path}[{i++}]", problems, depth + 1);
        }
    }

    private static bool HasType(JsonElement v, string type) => type switch
    {
        "object" => v.ValueKind == JsonValueKind.Object,
        "array" => v.ValueKind == JsonValueKind.Array,
        "string" => v.ValueKind == JsonValueKind.String,
        "number" => v.ValueKind == JsonValueKind.Number,
        "integer" => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _),
        "boolean" => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ => true,
    };

    private static bool HasFormat(string s, string format) => format switch
    {
        "uuid" => s.Length == 36 && Guid.TryParseExact(s, "D", out _),
        "uri" => Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme.Length > 0,
        "email" => s.Length <= 254 && s.IndexOf('@') is > 0 and var at && at < s.Length - 1 && !s.Any(char.IsWhiteSpace),
        "date-time" or "datetime" => DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _),
        "date" => DateOnly.TryParseExact(s, "yyyy-MM-dd", out _),
        _ => true,
    };

    private static string Article(string type) => type is "object" or "array" or "integer" ? "an" : "a";

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
