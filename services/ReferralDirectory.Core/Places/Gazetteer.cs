using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace ReferralDirectory.Places;

/// <summary>
/// Offline US gazetteer: ZIP codes, cities, states and counties, from public-domain Census data
/// (see scripts/gazetteer/README.md). Immutable after <see cref="Load"/>; every member is thread-safe.
/// Coordinates are WGS84 degrees; in geometries x = longitude, y = latitude.
/// </summary>
public sealed partial class Gazetteer
{
    private static readonly Lazy<Gazetteer> DefaultInstance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The gazetteer built from the embedded data, loaded on first use and shared.</summary>
    public static Gazetteer Default => DefaultInstance.Value;

    private readonly ZipPlace?[] _zips = new ZipPlace?[100_000];
    private readonly CityEntry[] _cities;
    private readonly Dictionary<string, CityPlace> _cityByStateAndKey;     // "MO|columbia"
    private readonly Dictionary<string, CityPlace[]> _citiesByKey;        // "columbia" → in every state
    private readonly Dictionary<string, CityEntry[]> _citiesByState;
    private readonly Dictionary<string, string> _stateCodeByKey;          // "mo", "missouri" → "MO" (also ZIP-only codes like AE)
    private readonly Dictionary<string, StateInfo> _stateByCodeOrFips;
    private readonly Area<StateInfo>[] _states;
    private readonly Area<CountyInfo>[] _counties;
    private readonly Dictionary<string, Area<StateInfo>> _stateAreaByCode;
    private readonly Dictionary<string, Area<CountyInfo>> _countyByFips;
    private readonly STRtree<int> _stateTree = new();
    private readonly STRtree<int> _countyTree = new();

    /// <summary>All states, DC and territories in the boundary data, ordered by FIPS code.</summary>
    public IReadOnlyList<StateInfo> States { get; }

    /// <summary>All counties and county equivalents, ordered by FIPS code.</summary>
    public IReadOnlyList<CountyInfo> Counties { get; }

    /// <summary>Number of ZIP codes known.</summary>
    public int ZipCount { get; }

    /// <summary>Every ZIP code, ascending.</summary>
    public IEnumerable<ZipPlace> Zips => _zips.OfType<ZipPlace>();

    /// <summary>Number of (city, state) pairs known.</summary>
    public int CityCount => _cities.Length;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once at load: skip tier-0 JIT
    private Gazetteer()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);

        // Boundaries.
        var (states, counties) = GazetteerData.ReadBoundaries(factory);
        _states = states.OrderBy(s => s.Info.Fips, StringComparer.Ordinal).Select(s => new Area<StateInfo>(s.Info, s.Geometry)).ToArray();
        _counties = counties.OrderBy(c => c.Info.Fips, StringComparer.Ordinal).Select(c => new Area<CountyInfo>(c.Info, c.Geometry)).ToArray();
        for (var i = 0; i < _states.Length; i++) _stateTree.Insert(_states[i].Envelope, i);
        for (var i = 0; i < _counties.Length; i++) _countyTree.Insert(_counties[i].Envelope, i);
        _stateTree.Build();
        _countyTree.Build();
        States = Array.AsReadOnly(_states.Select(s => s.Info).ToArray());
        Counties = Array.AsReadOnly(_counties.Select(c => c.Info).ToArray());
        _stateAreaByCode = _states.ToDictionary(s => s.Info.Code, StringComparer.Ordinal);
        _countyByFips = _counties.ToDictionary(c => c.Info.Fips, StringComparer.Ordinal);
        _stateByCodeOrFips = new Dictionary<string, StateInfo>(StringComparer.OrdinalIgnoreCase);
        _stateCodeByKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in _states.Select(a => a.Info))
        {
            _stateByCodeOrFips[s.Code] = s;
            _stateByCodeOrFips[s.Fips] = s;
            _stateCodeByKey[PlaceNames.Key(s.Code)] = s.Code;
            _stateCodeByKey[PlaceNames.Key(s.Name)] = s.Code;
        }
        foreach (var (alias, code) in StateAliases)
            if (_stateByCodeOrFips.ContainsKey(code)) _stateCodeByKey.TryAdd(PlaceNames.Key(alias), code);

        // ZIP codes. Strings are shared between rows to keep the heap small.
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        string Intern(string s) => pool.TryGetValue(s, out var v) ? v : pool[s] = s;
        var zipCount = 0;
        foreach (var row in GazetteerData.ReadTsv(GazetteerData.ZipsResource))
        {
            var zip = row[0];
            _zips[int.Parse(zip, System.Globalization.CultureInfo.InvariantCulture)] = new ZipPlace(
                zip, Intern(row[3]), Intern(row[4]), GazetteerData.ParseDouble(row[1]), GazetteerData.ParseDouble(row[2]));
            zipCount++;
        }
        ZipCount = zipCount;

        // Cities.
        var cities = new List<CityEntry>(32_000);
        foreach (var row in GazetteerData.ReadTsv(GazetteerData.CitiesResource))
        {
            var place = new CityPlace(Intern(row[0]), Intern(row[1]), GazetteerData.ParseDouble(row[2]),
                GazetteerData.ParseDouble(row[3]), int.Parse(row[4], System.Globalization.CultureInfo.InvariantCulture));
            cities.Add(new CityEntry(PlaceNames.Key(place.City), place));
        }
        _cities = cities.ToArray();
        _cityByStateAndKey = new Dictionary<string, CityPlace>(StringComparer.Ordinal);
        foreach (var c in _cities)
        {
            // Two spellings with the same key in one state (rare): keep the one with more ZIP codes.
            var k = c.Place.State + "|" + c.Key;
            if (!_cityByStateAndKey.TryGetValue(k, out var existing) || existing.ZipCount < c.Place.ZipCount)
                _cityByStateAndKey[k] = c.Place;
            _stateCodeByKey.TryAdd(PlaceNames.Key(c.Place.State), c.Place.State); // AE, AP, FM, ...
        }
        _citiesByKey = _cityByStateAndKey
            .GroupBy(kv => kv.Key[(kv.Key.IndexOf('|') + 1)..], kv => kv.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.ZipCount).ThenBy(p => p.State, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        _townsByKey = new(TownsByKey, LazyThreadSafetyMode.ExecutionAndPublication);
        _citiesByState = _cities.GroupBy(c => c.Place.State, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Reads the embedded data files and builds a new gazetteer (prefer <see cref="Default"/>).</summary>
    public static Gazetteer Load() => new();

    // ------------------------------------------------------------------ ZIP codes

    /// <summary>Looks up "63101", "63101-1234" or "631011234"; null when unknown or malformed.</summary>
    public ZipPlace? FindZip(string? zip)
    {
        if (zip is null) return null;
        var s = zip.AsSpan().Trim();
        if (s.Length == 10 && s[5] == '-' && IsDigits(s[6..])) s = s[..5];
        else if (s.Length == 9 && IsDigits(s)) s = s[..5];
        if (s.Length != 5 || !IsDigits(s)) return null;
        return _zips[int.Parse(s, provider: System.Globalization.CultureInfo.InvariantCulture)];
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (c is < '0' or > '9') return false;
        return true;
    }

    // ------------------------------------------------------------------ cities

    /// <summary>
    /// Finds "City, ST" or "City, State name" (also without the comma, and with a trailing ZIP code).
    /// Case, spacing and punctuation are ignored; "St.", "St" and "Saint" (also Ft/Fort, Mt/Mount, Ste/Sainte)
    /// are the same. Without a state the city must be unique. When not found, <see cref="CityMatch.Suggestions"/>
    /// holds up to 5 "City, ST" by edit distance: within the state if it is known, else in every state.
    /// </summary>
    public CityMatch FindCity(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new CityMatch(null, []);
        var input = TrailingZip().Replace(text, "").Trim().TrimEnd(',').Trim();

        var comma = input.LastIndexOf(',');
        if (comma >= 0)
        {
            var cityPart = input[..comma];
            var statePart = input[(comma + 1)..].Trim();
            var state = statePart.Length == 0 ? null : ResolveStateCode(statePart);
            if (state is not null) return Match(PlaceNames.Key(cityPart), state);
            if (statePart.Length == 0) return MatchAnyState(PlaceNames.Key(cityPart));
            // Unknown state: maybe "City, County, ST"-like input or a typo; search every state.
            return MatchAnyState(PlaceNames.Key(cityPart));
        }

        // No comma: try the longest trailing run of words that names a state ("Charleston West Virginia").
        var words = input.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (var n = Math.Min(4, words.Length - 1); n >= 1; n--)
        {
            var state = ResolveStateCode(string.Join(' ', words[^n..]));
            if (state is null) continue;
            var match = Match(PlaceNames.Key(string.Join(' ', words[..^n])), state);
            if (match.Found) return match;
            // "Fort Washington": the last word is a state name but the whole text is a city.
            var whole = MatchAnyState(PlaceNames.Key(input));
            return whole.Found ? whole : match;
        }
        return MatchAnyState(PlaceNames.Key(input));
    }

    /// <summary>Resolves "MO", "mo.", "Missouri" to "MO"; null when unknown.</summary>
    public string? ResolveStateCode(string? text) =>
        text is not null && _stateCodeByKey.TryGetValue(PlaceNames.Key(text), out var code) ? code : null;

    private CityMatch Match(string key, string state)
    {
        if (key.Length == 0) return new CityMatch(null, []);
        return _cityByStateAndKey.TryGetValue(state + "|" + key, out var place)
            ? new CityMatch(place, [])
            : new CityMatch(null, Suggest(key, _citiesByState.GetValueOrDefault(state) ?? []));
    }

    private CityMatch MatchAnyState(string key)
    {
        if (key.Length == 0) return new CityMatch(null, []);
        if (_citiesByKey.TryGetValue(key, out var places))
        {
            if (places.Length == 1) return new CityMatch(places[0], []);
            return new CityMatch(null, places.Take(MaxSuggestions).Select(p => p.Label).ToArray()); // ambiguous
        }
        return new CityMatch(null, Suggest(key, _cities));
    }

    private const int MaxSuggestions = 5;

    private static string[] Suggest(string key, CityEntry[] candidates)
    {
        var max = Math.Max(2, key.Length / 2);
        var scored = new List<(int Distance, CityPlace Place)>();
        foreach (var c in candidates)
        {
            var d = PlaceNames.EditDistance(key, c.Key, max);
            if (d <= max) scored.Add((d, c.Place));
        }
        return scored
            .OrderBy(s => s.Distance)
            .ThenByDescending(s => s.Place.ZipCount)
            .ThenBy(s => s.Place.State, StringComparer.Ordinal)
            .ThenBy(s => s.Place.City, StringComparer.Ordinal)
            .Select(s => s.Place.Label)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxSuggestions)
            .ToArray();
    }

    [GeneratedRegex(@"\s+\d{5}(-?\d{4})?\s*$")]
    private static partial Regex TrailingZip();

    private static readonly (string Alias, string Code)[] StateAliases =
    [
        ("Washington DC", "DC"), ("Washington D.C.", "DC"), ("D.C.", "DC"),
        ("Virgin Islands", "VI"), ("US Virgin Islands", "VI"), ("U.S. Virgin Islands", "VI"),
        ("Northern Mariana Islands", "MP"), ("Mariana Islands", "MP"),
    ];

    // ------------------------------------------------------------------ states and counties

    /// <summary>A state by USPS code ("MO"), FIPS ("29" or "9" for "09") or name ("Missouri").</summary>
    public StateInfo? State(string? codeOrFips)
    {
        if (string.IsNullOrWhiteSpace(codeOrFips)) return null;
        var s = codeOrFips.Trim();
        if (s.Length == 1 && char.IsAsciiDigit(s[0])) s = "0" + s;
        if (_stateByCodeOrFips.TryGetValue(s, out var info)) return info;
        return ResolveStateCode(s) is { } code && _stateByCodeOrFips.TryGetValue(code, out info) ? info : null;
    }

    /// <summary>A county by its 5-digit FIPS code ("29019").</summary>
    public CountyInfo? County(string? fips5) =>
        fips5 is not null && _countyByFips.TryGetValue(fips5.Trim(), out var area) ? area.Info : null;

    /// <summary>The counties of a state (code, FIPS or name), ordered by FIPS.</summary>
    public IReadOnlyList<CountyInfo> CountiesOf(string stateCodeOrFips) =>
        State(stateCodeOrFips) is { } s ? Counties.Where(c => c.StateCode == s.Code).ToArray() : [];

    /// <summary>A copy of a state's boundary (lon/lat), or null.</summary>
    public Geometry? StateBoundary(string code) =>
        State(code) is { } s && _stateAreaByCode.TryGetValue(s.Code, out var area) ? area.Geometry.Copy() : null;

    /// <summary>A copy of a county's boundary (lon/lat), or null.</summary>
    public Geometry? CountyBoundary(string fips5) =>
        _countyByFips.TryGetValue(fips5.Trim(), out var area) ? area.Geometry.Copy() : null;

    // ------------------------------------------------------------------ reverse lookup

    /// <summary>The state and county at a point; on a shared border the lowest FIPS code wins.</summary>
    public PlaceAt Locate(double latitude, double longitude)
    {
        var county = Covering(_countyTree, _counties, latitude, longitude) is [var c, ..] ? _counties[c].Info : null;
        var state = Covering(_stateTree, _states, latitude, longitude) is [var s, ..] ? _states[s].Info : null;
        return new PlaceAt(state, county);
    }

    /// <summary>FIPS codes of every county whose closed area covers the point (both sides of a border), ascending.</summary>
    public IReadOnlyList<string> CountyFipsCovering(double latitude, double longitude) =>
        Covering(_countyTree, _counties, latitude, longitude).Select(i => _counties[i].Info.Fips).ToArray();

    /// <summary>USPS codes of every state whose closed area covers the point, by ascending FIPS.</summary>
    public IReadOnlyList<string> StateCodesCovering(double latitude, double longitude) =>
        Covering(_stateTree, _states, latitude, longitude).Select(i => _states[i].Info.Code).ToArray();

    private static List<int> Covering<T>(STRtree<int> tree, Area<T>[] areas, double latitude, double longitude)
    {
        var result = new List<int>(2);
        if (!double.IsFinite(latitude) || !double.IsFinite(longitude)) return result;
        var p = new Coordinate(longitude, latitude);
        foreach (var i in tree.Query(new Envelope(p)))
            if (areas[i].Covers(p)) result.Add(i);
        result.Sort(); // areas are ordered by FIPS
        return result;
    }

    private sealed record CityEntry(string Key, CityPlace Place);

    private sealed class Area<T>
    {
        private readonly Lazy<IndexedPointInAreaLocator> _locator;

        public Area(T info, Geometry geometry)
        {
            Info = info;
            Geometry = geometry;
            Envelope = geometry.EnvelopeInternal;
            // Built on first use; the warm-up call builds the locator's own lazy index inside the Lazy's lock.
            _locator = new Lazy<IndexedPointInAreaLocator>(() =>
            {
                var locator = new IndexedPointInAreaLocator(geometry);
                locator.Locate(geometry.Coordinate);
                return locator;
            }, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public T Info { get; }
        public Geometry Geometry { get; }
        public Envelope Envelope { get; }

        public bool Covers(Coordinate p) => Envelope.Covers(p) && _locator.Value.Locate(p) != Location.Exterior;
    }
}
