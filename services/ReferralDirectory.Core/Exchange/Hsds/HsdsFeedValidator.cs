using System.Text.Json;
using ReferralDirectory.Exchange.Csv;

namespace ReferralDirectory.Exchange.Hsds;

/// <summary>The outcome of a feed check: how many documents of each HSDS type, and every problem (document number or
/// NDJSON line, JSON path, plain message). <see cref="Problems"/> lists the first <see cref="HsdsFeedValidator.MaxListed"/>.</summary>
public sealed record HsdsFeedReport(long Documents, IReadOnlyDictionary<string, int> Types, IReadOnlyList<ImportProblem> Problems, int ProblemCount)
{
    public bool Valid => ProblemCount == 0;
}

/// <summary>
/// The check a publisher runs on an HSDS feed before anything is written (<c>rd-import validate FILE</c>, <c>POST
/// /v1/admin/import/hsds/validate</c>): each document (NDJSON one a line, or JSON: one document, an array or an HSDS page)
/// is told its type (<see cref="HsdsDocumentType"/>) and validated against that type's official HSDS 3.0 schema, an
/// organization's nested services against the service schema too (the organization schema leaves them out). Every
/// problem is reported with its JSON path; nothing is read into listings and nothing is written.
/// </summary>
public sealed class HsdsFeedValidator(HsdsSchemaValidator? validator = null)
{
    public const int MaxListed = 1000;
    private readonly HsdsSchemaValidator _validator = validator ?? HsdsSchemaValidator.Default;

    public HsdsFeedReport Validate(Func<TextReader> open, bool ndjson, CancellationToken ct = default)
    {
        var problems = new List<ImportProblem>();
        var count = 0;
        void Add(ImportProblem p)
        {
            count++;
            if (problems.Count < MaxListed) problems.Add(p);
        }
        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        long documents = 0;
        var parseProblems = new List<ImportProblem>();
        var parseCount = 0;
        foreach (var (line, json) in HsdsFileImporter.Documents(open, ndjson, parseProblems, ref parseCount))
        {
            ct.ThrowIfCancellationRequested();
            documents++;
            foreach (var p in Validate(json)) Add(new ImportProblem(line, p.Path, p.Message));
            if (Type(json) is { } t) types[t] = types.GetValueOrDefault(t) + 1;
        }
        foreach (var p in parseProblems) Add(p);
        return new HsdsFeedReport(documents, types, problems, count);
    }

    /// <summary>The problems of one document against the schema of its type.</summary>
    public IReadOnlyList<HsdsProblem> Validate(string json)
    {
        if (StrictJson.Check(System.Text.Encoding.UTF8.GetBytes(json)) is { } bad) return [new HsdsProblem(bad.Path, bad.Message)];
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            var root = doc.RootElement;
            var type = HsdsDocumentType.Of(root);
            if (type is null) return [new HsdsProblem("$", "Must be an object: an HSDS document (organization, service, service_at_location, location, taxonomy or taxonomy_term).")];
            var problems = _validator.Validate(root, type).ToList();
            if (type == HsdsDocumentType.Organization && root.TryGetProperty("services", out var services) && services.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var s in services.EnumerateArray())
                {
                    var at = $"$.services[{i++}]";
                    problems.AddRange(_validator.Validate(s, "service").Select(p => p with { Path = at + p.Path[1..] }));
                }
            }
            return [.. problems.OrderBy(p => p.Path, StringComparer.Ordinal)];
        }
        catch (JsonException e)
        {
            return [new HsdsProblem("$", $"Not valid JSON (line {e.LineNumber + 1}).")];
        }
    }

    private static string? Type(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return HsdsDocumentType.Of(doc.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
