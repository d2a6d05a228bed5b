using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ReferralDirectory.Geo;

namespace ReferralDirectory.Guidance;

/// <summary>
/// The guidance and state profiles, from the embedded <c>Guidance/Data/guidance.json</c> (public Missouri pages, see
/// Guidance/README.md), checked on load: every source, hotline and id it refers to exists, every text has English and
/// Spanish with the same numbers, and no known misprint of the source pages is served.
/// </summary>
public sealed partial class GuidanceLibrary
{
    private const string Resource = "ReferralDirectory.Guidance.Data.guidance.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly Lazy<GuidanceLibrary> Embedded = new(() => Load(ReadEmbedded()));

    private readonly Dictionary<string, GuidanceSource> _sources;
    private readonly Dictionary<string, GuidanceHotline> _hotlines;
    private readonly Dictionary<string, StateProfile> _profiles;

    public GuidanceData Data { get; }

    /// <summary>The guidance shipped with the service.</summary>
    public static GuidanceLibrary Default => Embedded.Value;

    private GuidanceLibrary(GuidanceData data)
    {
        Data = data;
        _sources = data.Sources.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _hotlines = data.Hotlines.ToDictionary(h => h.Id, StringComparer.Ordinal);
        _profiles = data.StateProfiles.ToDictionary(p => p.State, StringComparer.OrdinalIgnoreCase);
    }

    public GuidanceSource Source(string id) => _sources[id];
    public GuidanceHotline Hotline(string id) => _hotlines[id];
    public StateProfile? Profile(string state) => _profiles.GetValueOrDefault(state);

    public static string ReadEmbedded()
    {
        using var stream = typeof(GuidanceLibrary).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The embedded resource {Resource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Reads and checks guidance JSON; throws <see cref="InvalidDataException"/> listing every problem.</summary>
    public static GuidanceLibrary Load(string json)
    {
        var (data, problems) = Read(json);
        if (problems.Count > 0) throw new InvalidDataException("The guidance data has problems:\n" + string.Join('\n', problems));
        return new GuidanceLibrary(data!);
    }

    /// <summary>Every problem with guidance JSON (empty when it can be served).</summary>
    public static IReadOnlyList<string> Problems(string json) => Read(json).Problems;

    private static (GuidanceData? Data, List<string> Problems) Read(string json)
    {
        var problems = new List<string>();
        GuidanceData? data;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
            data = node.Deserialize<GuidanceData>(Options);
        }
        catch (JsonException e)
        {
            problems.Add($"Not valid guidance JSON at {e.Path}: {e.Message}");
            return (null, problems);
        }
        if (data is null) { problems.Add("The guidance JSON is empty."); return (null, problems); }
        problems.AddRange(SameNumbersInEveryLanguage.Check(node));
        problems.AddRange(KnownMisprints.Check(node));
        foreach (var (path, en, es) in SameNumbersInEveryLanguage.LocalizedTexts(node, "$"))
            if (string.IsNullOrWhiteSpace(en) || string.IsNullOrWhiteSpace(es)) problems.Add($"{path}: a text is empty.");
        CheckReferences(data, problems);
        return (data, problems);
    }

    [GeneratedRegex(@"^§ \d+(\.\d+)+$")]
    private static partial Regex Statute();

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Id();

    private static void CheckReferences(GuidanceData data, List<string> problems)
    {
        var sources = data.Sources.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var hotlines = data.Hotlines.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        void Source(string? id, string where)
        {
            if (id is not null && !sources.Contains(id)) problems.Add($"{where}: unknown source '{id}'.");
        }
        void Unique(IEnumerable<string> ids, string where)
        {
            foreach (var id in ids)
                if (!Id().IsMatch(id)) problems.Add($"{where}: the id '{id}' must be lower-case words joined by dashes.");
            foreach (var dup in ids.GroupBy(i => i).Where(g => g.Count() > 1)) problems.Add($"{where}: the id '{dup.Key}' is used twice.");
        }
        void Phones(IEnumerable<GuidancePhone> phones, string where)
        {
            foreach (var p in phones)
            {
                if (!PhoneLinks.IsKnownType(p.Type)) problems.Add($"{where}: phone type '{p.Type}' must be voice or text.");
                if (!p.Number.Any(char.IsAsciiDigit)) problems.Add($"{where}: '{p.Number}' is not a phone number.");
            }
        }
        void Url(string? url, string where)
        {
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps))
                problems.Add($"{where}: '{url}' must be an https address.");
        }

        Unique(data.Sources.Select(s => s.Id), "sources");
        foreach (var s in data.Sources) Url(s.Url, $"sources.{s.Id}");
        Source(data.Emergency.Source, "emergency");
        Unique(data.Hotlines.Select(h => h.Id), "hotlines");
        foreach (var h in data.Hotlines)
        {
            Source(h.Source, $"hotlines.{h.Id}");
            Phones(h.Phones, $"hotlines.{h.Id}");
            if (h.Phones.Count == 0) problems.Add($"hotlines.{h.Id}: a hotline needs a number.");
            if (h.Coverage != "nationwide" && !(h.Coverage.StartsWith("state:", StringComparison.Ordinal) && UsStates.ByCode(h.Coverage[6..]) is not null))
                problems.Add($"hotlines.{h.Id}: coverage '{h.Coverage}' must be nationwide or state:XX.");
        }
        Unique(data.Topics.Select(t => t.Id), "topics");
        foreach (var t in data.Topics)
        {
            Unique(t.Sections.Select(s => s.Id), $"topics.{t.Id}");
            foreach (var s in t.Sections)
            {
                var where = $"topics.{t.Id}.{s.Id}";
                Source(s.Source, where);
                Unique(s.Items.Select(i => i.Id), where);
                if (s.Items.Count == 0) problems.Add($"{where}: a section needs items.");
                foreach (var i in s.Items)
                {
                    Source(i.Source, $"{where}.{i.Id}");
                    Phones(i.Phones, $"{where}.{i.Id}");
                }
            }
        }
        foreach (var p in data.StateProfiles)
        {
            var where = $"stateProfiles.{p.State}";
            if (UsStates.ByCode(p.State) is null || !string.Equals(p.State, p.State.ToUpperInvariant(), StringComparison.Ordinal)) problems.Add($"{where}: '{p.State}' is not a state code.");
            Source(p.Source, where);
            foreach (var g in p.Statistics) Source(g.Source, $"{where}.statistics.{g.Id}");
            Unique(p.Statistics.Select(g => g.Id), $"{where}.statistics");
            foreach (var v in p.TopVenues)
                if (!v.Venues.Select(x => x.Rank).SequenceEqual(Enumerable.Range(1, v.Venues.Count)))
                    problems.Add($"{where}.topVenues.{v.Id}: ranks must be 1, 2, 3, ... in order.");
            foreach (var l in p.Laws)
                if (!Statute().IsMatch(l.Statute)) problems.Add($"{where}.laws: '{l.Statute}' must look like § 566.203.");
            Url(p.ReferralDirectory.Url, $"{where}.referralDirectory");
            Url(p.MoreStatistics.Url, $"{where}.moreStatistics");
            foreach (var h in p.Hotlines)
                if (!hotlines.Contains(h)) problems.Add($"{where}.hotlines: unknown hotline '{h}'.");
        }
        if (data.StateProfiles.GroupBy(p => p.State, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
            problems.Add("stateProfiles: a state has two profiles.");
    }
}
