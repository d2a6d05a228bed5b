using System.Text.Json;
using System.Text.Json.Nodes;
using ReferralDirectory.Model;

namespace ReferralDirectory.Exchange.Hsds;

/// <summary>
/// HSDS data the directory does not model, kept with a listing from an HSDS import (<see cref="Listing.HsdsData"/>) and
/// returned on export, so a round trip loses nothing. It is what the imported document said where this directory's own
/// export of the listing says something else, per entity: the organization (without its services and locations),
/// each service as listed (by its id; without its organization and the locations nested in its service_at_locations)
/// and each location (by its id). Each entry is a path inside the entity's HSDS document, the
/// value the export had there when the document was imported (<c>was</c>, absent when it had none) and the imported
/// value. On export an entry is applied only while the export still has its <c>was</c> value there, so an edit made
/// later in the directory wins over what was imported. An array is replaced whole unless both sides have the same
/// elements (same length and ids), then compared element by element.
/// <para>Safety: nothing kept for a location is shown while it is confidential, nothing kept under a service's
/// service_at_locations while the listing has a confidential location, and nothing kept that names a confidential
/// location's own id (a phone's or schedule's location_id), so its public view stays as ConfidentialLocationPolicy makes it.</para>
/// </summary>
public static class HsdsOverlay
{
    private const string OrganizationKey = "organization";
    private const string ServicesKey = "services";
    private const string LocationsKey = "locations";

    /// <summary>What the imported documents hold beyond <paramref name="listing"/>'s own HSDS export (null: nothing).</summary>
    public static string? Compute(Listing listing, JsonElement organization, IReadOnlyList<JsonElement> services)
    {
        var plain = listing with { HsdsData = null };
        var result = new JsonObject();

        var org = Entries(Node(organization), Node(HsdsMapper.Organization(plain, withServices: false)), ServicesKey, LocationsKey);
        if (org.Count > 0) result[OrganizationKey] = org;

        var byService = new JsonObject();
        for (var i = 0; i < services.Count && i < plain.Services.Count; i++)
        {
            var entries = Entries(Node(services[i]), Node(HsdsMapper.Service(plain, plain.Services[i], nested: false)), OrganizationKey);
            if (entries.Count > 0) byService[plain.Services[i].Id] = entries;
        }
        if (byService.Count > 0) result[ServicesKey] = byService;

        var byLocation = new JsonObject();
        if (organization.ValueKind == JsonValueKind.Object && organization.TryGetProperty(LocationsKey, out var locations) && locations.ValueKind == JsonValueKind.Array)
        {
            foreach (var loc in locations.EnumerateArray())
            {
                if (loc.ValueKind != JsonValueKind.Object || !loc.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String) continue;
                var id = idElement.GetString()!.ToLowerInvariant();
                var index = plain.Locations.FindIndex(l => l.Id == id);
                if (index < 0 || byLocation.ContainsKey(id)) continue;
                var entries = Entries(Node(loc), Node(HsdsMapper.Location(plain, index)));
                if (entries.Count > 0) byLocation[id] = entries;
            }
        }
        if (byLocation.Count > 0) result[LocationsKey] = byLocation;
        return result.Count == 0 ? null : result.ToJsonString();
    }

    /// <summary>The organization document with what was kept for it.</summary>
    public static T Organization<T>(Listing l, T document) where T : class => Apply(l, document, o => o[OrganizationKey] as JsonArray, _ => true);

    /// <summary>A service document with what was kept for the service.</summary>
    public static T Service<T>(Listing l, Service s, T document) where T : class
    {
        var confidential = l.Locations.Any(x => x.Confidential);
        return Apply(l, document, o => (o[ServicesKey] as JsonObject)?[s.Id] as JsonArray,
            path => !confidential || path.Count == 0 || path[0]?.GetValueKind() != JsonValueKind.String || path[0]!.GetValue<string>() != "service_at_locations");
    }

    /// <summary>A location document with what was kept for it; nothing for a confidential location.</summary>
    public static T Location<T>(Listing l, int index, T document) where T : class =>
        l.Locations[index].Confidential ? document : Apply(l, document, o => (o[LocationsKey] as JsonObject)?[l.Locations[index].Id] as JsonArray, _ => true);

    private static T Apply<T>(Listing l, T document, Func<JsonObject, JsonArray?> select, Func<JsonArray, bool> allowed) where T : class
    {
        if (l.HsdsData is not { } data) return document;
        try
        {
            if (JsonNode.Parse(data) is not JsonObject all || select(all) is not { Count: > 0 } entries) return document;
            var node = JsonSerializer.SerializeToNode(document, HsdsJson.Options);
            if (node is null) return document;
            // The imported ids of confidential locations: kept data that names one (a phone's or schedule's location_id) is not shown.
            var secret = l.Locations.Where(x => x.Confidential).Select(x => x.Id).ToList();
            foreach (var e in entries)
            {
                if (e is not JsonObject entry || entry["path"] is not JsonArray path || !allowed(path)) continue;
                if (secret.Count > 0 && entry.ToJsonString() is var text && secret.Any(id => text.Contains(id, StringComparison.OrdinalIgnoreCase))) continue;
                node = Set(node, path, entry.TryGetPropertyValue("was", out var was), was, entry["value"]);
            }
            return node.Deserialize<T>(HsdsJson.Options) ?? document;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Kept data that no longer fits the document (an older mapping): the directory's own export.
            return document;
        }
    }

    /// <summary>Sets <paramref name="value"/> at <paramref name="path"/> when the document has <paramref name="was"/>
    /// there (or nothing, when <paramref name="hadWas"/> is false).</summary>
    private static JsonNode Set(JsonNode root, JsonArray path, bool hadWas, JsonNode? was, JsonNode? value)
    {
        if (path.Count == 0)
            return hadWas && JsonNode.DeepEquals(root, was) && value is not null ? value.DeepClone() : root;
        JsonNode? parent = root;
        for (var i = 0; i < path.Count - 1 && parent is not null; i++) parent = Child(parent, path[i]);
        if (parent is null) return root;
        var last = path[^1]!;
        if (parent is JsonObject o && last.GetValueKind() == JsonValueKind.String)
        {
            var key = last.GetValue<string>();
            var has = o.TryGetPropertyValue(key, out var current);
            if (has != hadWas || (has && !JsonNode.DeepEquals(current, was))) return root;
            o[key] = value?.DeepClone();
        }
        else if (parent is JsonArray a && last.GetValueKind() == JsonValueKind.Number)
        {
            var index = last.GetValue<int>();
            if (!hadWas || index < 0 || index >= a.Count || !JsonNode.DeepEquals(a[index], was)) return root;
            a[index] = value?.DeepClone();
        }
        return root;
    }

    private static JsonNode? Child(JsonNode node, JsonNode? segment) => (node, segment?.GetValueKind()) switch
    {
        (JsonObject o, JsonValueKind.String) => o[segment!.GetValue<string>()],
        (JsonArray a, JsonValueKind.Number) when segment!.GetValue<int>() is var i && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Node<T>(T value) => value is JsonElement e ? JsonNode.Parse(e.GetRawText()) : JsonSerializer.SerializeToNode(value, HsdsJson.Options);

    /// <summary>The entries that turn <paramref name="exported"/> into <paramref name="original"/> (keys of the original
    /// only; <paramref name="skip"/>: top-level keys handled elsewhere).</summary>
    private static JsonArray Entries(JsonNode? original, JsonNode? exported, params string[] skip)
    {
        var entries = new JsonArray();
        if (original is JsonObject o && exported is JsonObject x)
        {
            foreach (var (key, value) in o)
                if (!skip.Contains(key)) Diff(value, x.TryGetPropertyValue(key, out var ev), ev, [key], entries);
        }
        else Diff(original, exported is not null, exported, [], entries);
        // In path order, whatever order the document gave its fields in: the same data is kept the same way.
        // (and each object's fields in name order: an object is the same whatever the order of its fields).
        return new JsonArray([.. entries.OrderBy(e => Key(e!["path"]!.AsArray()), StringComparer.Ordinal).Select(Canonical)]);
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        _ => node?.DeepClone(),
    };

    private static string Key(JsonArray path) => string.Join('\u0001', path.Select(p => p!.GetValueKind() == JsonValueKind.Number
        ? p.GetValue<int>().ToString("D6", System.Globalization.CultureInfo.InvariantCulture) : p.GetValue<string>()));

    private static void Diff(JsonNode? original, bool exportHas, JsonNode? exported, List<JsonNode> path, JsonArray entries)
    {
        if (exportHas && JsonNode.DeepEquals(original, exported)) return;
        if (exportHas && original is JsonObject o && exported is JsonObject x)
        {
            foreach (var (key, value) in o)
                Diff(value, x.TryGetPropertyValue(key, out var ev), ev, [.. path, JsonValue.Create(key)], entries);
            return;
        }
        if (exportHas && original is JsonArray a && exported is JsonArray b && SameElements(a, b))
        {
            for (var i = 0; i < a.Count; i++) Diff(a[i], true, b[i], [.. path, JsonValue.Create(i)], entries);
            return;
        }
        var entry = new JsonObject { ["path"] = new JsonArray([.. path.Select(p => p.DeepClone())]) };
        if (exportHas) entry["was"] = exported?.DeepClone();
        entry["value"] = original?.DeepClone();
        entries.Add(entry);
    }

    /// <summary>Arrays of the same elements: as long, and each pair with the same id (or neither an object with one).</summary>
    private static bool SameElements(JsonArray a, JsonArray b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            var (ia, ib) = (Id(a[i]), Id(b[i]));
            if (ia is null != ib is null || (ia is not null && !string.Equals(ia, ib, StringComparison.OrdinalIgnoreCase))) return false;
        }
        return true;
    }

    private static string? Id(JsonNode? n) => n is JsonObject o && o["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
