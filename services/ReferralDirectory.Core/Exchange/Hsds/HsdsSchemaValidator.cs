using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ReferralDirectory.Exchange.Hsds;

/// <summary>A problem in an HSDS document: a JSON path such as <c>$.services[0].status</c> and a message.</summary>
public sealed record HsdsProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// Validates JSON against the official HSDS 3.0 JSON schemas (embedded, <c>Schema/*.json</c>) with JsonSchema.Net, as
/// draft 2020-12 with format assertions on (uuid, uri, email, date-time, date). The files' own keywords (name, path,
/// constraints, datapackage_metadata...) are annotations. A property whose value is null counts as absent, as in
/// HSDS's tabular origin (an empty cell); a required one that is null is reported as missing. Each problem names its
/// JSON path and says in plain words what is wrong.
/// </summary>
public sealed class HsdsSchemaValidator
{
    public static HsdsSchemaValidator Default { get; } = new();

    /// <summary>The base the schema files are known by; their <c>$ref</c>s ("attribute.json") resolve against it.</summary>
    private static readonly Uri Base = new("https://schemas.openreferral.org/hsds/3.0/");

    private const int MaxProblems = 200;

    private readonly SchemaRegistry _registry = new();
    private readonly ConcurrentDictionary<string, JsonObject?> _raw = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonSchema?> _built = new(StringComparer.Ordinal);
    private readonly Lock _buildLock = new();
    private readonly EvaluationOptions _evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>Validates <paramref name="doc"/> against <c>{schemaName}.json</c> (e.g. organization, service).</summary>
    public IReadOnlyList<HsdsProblem> Validate(JsonElement doc, string schemaName)
    {
        var schema = Schema(schemaName + ".json") ?? throw new ArgumentException($"No HSDS schema '{schemaName}'.", nameof(schemaName));
        var instance = WithoutNulls(JsonNode.Parse(doc.GetRawText(), documentOptions: new JsonDocumentOptions { MaxDepth = 64 }));
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(instance), _evaluation);
        if (results.IsValid) return [];
        var problems = new List<HsdsProblem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var detail in (IEnumerable<EvaluationResults>?)results.Details ?? [])
        {
            if (detail.Errors is not { Count: > 0 } errors) continue;
            foreach (var (keyword, _) in errors)
            {
                foreach (var p in Describe(detail, keyword, instance))
                    if (seen.Add(p.ToString()) && problems.Count < MaxProblems) problems.Add(p);
            }
        }
        if (problems.Count == 0) problems.Add(new("$", "Does not match the HSDS schema."));
        return problems;
    }

    // ---------------------------------------------------------------- plain messages

    private IEnumerable<HsdsProblem> Describe(EvaluationResults detail, string keyword, JsonNode? instance)
    {
        var pointer = detail.InstanceLocation.ToString();
        var path = ToJsonPath(pointer);
        var value = Resolve(instance, pointer);
        var schema = SchemaNode(detail.SchemaLocation);
        switch (keyword)
        {
            case "required":
                foreach (var name in (schema?["required"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>())
                    if (value is JsonObject o && !o.ContainsKey(name)) yield return new($"{path}.{name}", "Required.");
                break;
            case "type":
                var type = schema?["type"]?.GetValue<string>() ?? "value";
                yield return new(path, $"Must be {Article(type)} {type}, not {Kind(value)}.");
                break;
            case "enum":
                yield return new(path, $"Must be one of: {string.Join(", ", (schema?["enum"] as JsonArray ?? []).Select(o => o?.ToString()))}.");
                break;
            case "format":
                var format = schema?["format"]?.GetValue<string>();
                // An e-mail address gets the message every entrance gives it (Model.FieldRules).
                yield return new(path, format == "email" ? Model.FieldRules.EmailHint : $"Must be a valid {format ?? "value"}.");
                break;
            default:
                yield return new(path, $"Does not meet the schema's '{keyword}' rule.");
                break;
        }
    }

    private static string Article(string type) => type is "object" or "array" or "integer" ? "an" : "a";

    private static string Kind(JsonNode? v) => v?.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>"/services/0/status" as "$.services[0].status".</summary>
    private static string ToJsonPath(string pointer)
    {
        var sb = new System.Text.StringBuilder("$");
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var s = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (s.All(char.IsAsciiDigit)) sb.Append('[').Append(s).Append(']');
            else sb.Append('.').Append(s);
        }
        return sb.ToString();
    }

    private static JsonNode? Resolve(JsonNode? node, string pointer)
    {
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var s = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o => o[s],
                JsonArray a when int.TryParse(s, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>The subschema at an absolute schema location (<c>.../service.json#/properties/status</c>).</summary>
    private JsonNode? SchemaNode(Uri location)
    {
        var file = location.GetLeftPart(UriPartial.Path);
        var name = file[(file.LastIndexOf('/') + 1)..];
        return Resolve(Raw(name), location.Fragment.TrimStart('#'));
    }

    /// <summary>A copy without null-valued properties (null means absent in HSDS).</summary>
    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList()) o.Remove(key);
                foreach (var (_, v) in o) WithoutNulls(v);
                break;
            case JsonArray a:
                foreach (var v in a) WithoutNulls(v);
                break;
        }
        return node;
    }

    // ---------------------------------------------------------------- the schema files

    private JsonObject? Raw(string file) => _raw.GetOrAdd(file, static f =>
    {
        using var s = typeof(HsdsSchemaValidator).Assembly.GetManifestResourceStream("ReferralDirectory.Exchange.Hsds.Schema." + f);
        return s is null ? null : JsonNode.Parse(s)?.AsObject();
    });

    /// <summary>Builds a schema file and, first, every file it refers to (so each <c>$ref</c> resolves in the registry).</summary>
    private JsonSchema? Schema(string file)
    {
        if (_built.TryGetValue(file, out var done)) return done;
        lock (_buildLock) return Build(file, []);
    }

    private JsonSchema? Build(string file, HashSet<string> visiting)
    {
        if (_built.TryGetValue(file, out var done)) return done;
        if (Raw(file) is not { } raw) return null;
        if (!visiting.Add(file)) return null; // a cycle: the other end is being built; the registry resolves it lazily
        foreach (var reference in References(raw).Distinct(StringComparer.Ordinal)) Build(reference, visiting);
        var schema = JsonSchema.FromText(raw.ToJsonString(), new BuildOptions { SchemaRegistry = _registry, Dialect = Dialect.Draft202012 }, new Uri(Base, file));
        _registry.Register(new Uri(Base, file), schema);
        _built[file] = schema;
        return schema;
    }

    private static IEnumerable<string> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    if (k == "$ref" && v?.GetValue<string>() is { } r && !r.StartsWith('#')) yield return r.Split('#')[0];
                    else foreach (var x in References(v)) yield return x;
                }
                break;
            case JsonArray a:
                foreach (var v in a) foreach (var x in References(v)) yield return x;
                break;
        }
    }
}
