using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Simplify;
using ReferralDirectory.Api.Contracts;
using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Places;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Search;

/// <summary>
/// Writes search answers (JSON, in the shapes <see cref="NearestResponse"/>, <see cref="ServingResponse"/>,
/// <see cref="ResourcePage"/> and <see cref="HotlinesResponse"/> document, or GeoJSON) from the Core's results and the
/// index's pre-encoded cards: a card is its head, the search's own fields (distance, coverage, open now), the shown
/// location's fragment and its tail, copied as bytes. The size of an answer depends on the page size, never on the
/// directory.
/// </summary>
public sealed class SearchAnswers(Gazetteer gazetteer)
{
    private static readonly JsonEncodedText Emergency911 = JsonEncodedText.Encode(ResourceMapper.Emergency.Number);
    private static readonly JsonEncodedText EmergencyMessage = JsonEncodedText.Encode(ResourceMapper.Emergency.Message);
    private readonly ConcurrentDictionary<string, byte[]?> _outlines = new(StringComparer.Ordinal);

    /// <summary>Details a card can carry besides its own: the full listing (detail=full), keyed by listing id.</summary>
    public delegate ResourceDto? FullListing(string id);

    public void Nearest(Utf8JsonWriter w, NearestAnswer a, ResolvedPlace place, bool exact, string? servingNext, FullListing? full)
    {
        w.WriteStartObject();
        Query(w, place, a.Place);
        Cards(w, "results", a.Results, a.Now, exact, full);
        w.WritePropertyName("servingThisPlace");
        w.WriteStartObject();
        ShortCards(w, a.Serving.Results);
        w.WriteNumber("total", a.Serving.Total);
        if (servingNext is not null) w.WriteString("next", servingNext);
        w.WriteEndObject();
        Hotlines(w, a.Hotlines);
        EmergencyNotice(w);
        w.WriteEndObject();
    }

    public void Serving(Utf8JsonWriter w, ServingAnswer a, ResolvedPlace place, bool exact, string? nextCursor, FullListing? full)
    {
        w.WriteStartObject();
        Query(w, place, a.Place);
        Cards(w, "results", a.Serving.Results, a.Now, exact, full);
        w.WriteNumber("total", a.Serving.Total);
        if (nextCursor is not null) w.WriteString("nextCursor", nextCursor);
        Hotlines(w, a.Hotlines);
        EmergencyNotice(w);
        w.WriteEndObject();
    }

    public void Browse(Utf8JsonWriter w, BrowseAnswer a, ResolvedPlace? place, bool exact, string? nextCursor, FullListing? full)
    {
        w.WriteStartObject();
        Cards(w, "results", a.Results, a.Now, exact, full);
        w.WriteNumber("total", a.Total);
        if (nextCursor is not null) w.WriteString("nextCursor", nextCursor);
        if (place is not null && a.Place is not null) Query(w, place, a.Place);
        Hotlines(w, a.Hotlines);
        EmergencyNotice(w);
        w.WriteEndObject();
    }

    public void HotlineList(Utf8JsonWriter w, HotlineAnswer a, ResolvedPlace place)
    {
        w.WriteStartObject();
        Query(w, place, a.Place);
        Hotlines(w, a.Hotlines);
        EmergencyNotice(w);
        w.WriteEndObject();
    }

    // ------------------------------------------------------------------ GeoJSON

    /// <summary>A FeatureCollection (RFC 7946): one Feature per result (for nearest, then one per listing serving the
    /// place, marked by <c>properties.list</c>), with the card as its properties; a public location is a Point, a
    /// confidential one its county's outline (never a point); the query, hotlines, 911 notice and paging are foreign members.</summary>
    public void GeoNearest(Utf8JsonWriter w, NearestAnswer a, ResolvedPlace place, bool exact, string? servingCursor)
    {
        GeoStart(w);
        foreach (var r in a.Results) Feature(w, r, "results", a.Now, exact);
        foreach (var r in a.Serving.Results) Feature(w, r, "servingThisPlace", a.Now, exact);
        w.WriteEndArray();
        Query(w, place, a.Place);
        w.WriteNumber("servingTotal", a.Serving.Total);
        if (servingCursor is not null) w.WriteString("servingNextCursor", servingCursor);
        Hotlines(w, a.Hotlines);
        EmergencyNotice(w);
        w.WriteEndObject();
    }

    public void GeoServing(Utf8JsonWriter w, ServingAnswer a, ResolvedPlace place, bool exact, string? nextCursor)
    {
        GeoStart(w);
        foreach (var r in a.Serving.Results) Feature(w, r, "results", a.Now, exact);
        w.WriteEndArray();
        Query(w, place, a.Place);
        w.WriteNumber("total", a.Serving.Total);
        if (nextCursor is not null) w.WriteString("nextCursor", nextCursor);
        Hotlines(w, a.Hotlines);
        EmergencyNotice(w);
        w.WriteEndObject();
    }

    public void GeoBrowse(Utf8JsonWriter w, BrowseAnswer a, ResolvedPlace? place, bool exact, string? nextCursor)
    {
        GeoStart(w);
        foreach (var r in a.Results) Feature(w, r, "results", a.Now, exact);
        w.WriteEndArray();
        if (place is not null && a.Place is not null) Query(w, place, a.Place);
        w.WriteNumber("total", a.Total);
        if (nextCursor is not null) w.WriteString("nextCursor", nextCursor);
        Hotlines(w, a.Hotlines);
        EmergencyNotice(w);
        w.WriteEndObject();
    }

    private static void GeoStart(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
    }

    private void Feature(Utf8JsonWriter w, ResultItem r, string list, DateTimeOffset now, bool exact)
    {
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        w.WriteString("id", r.Listing.Id);
        w.WritePropertyName("geometry");
        var loc = r.LocationIndex ?? r.Listing.DefaultLocation();
        var shown = loc is { } li ? r.Listing.MapPlace(li) : null;
        if (shown is { Confidential: false } p)
        {
            w.WriteStartObject();
            w.WriteString("type", "Point");
            w.WriteStartArray("coordinates");
            w.WriteNumberValue(p.Longitude);
            w.WriteNumberValue(p.Latitude);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else if (shown is { Confidential: true, CountyFips: { } fips } && CountyOutline(fips) is { } outline)
        {
            w.WriteRawValue(outline, skipInputValidation: true);
        }
        else w.WriteNullValue();
        w.WritePropertyName("properties");
        WriteCard(w, r, now, exact, list, null);
        w.WriteEndObject();
    }

    /// <summary>A county's outline as a GeoJSON geometry, simplified to about 500 m (what a map of results needs),
    /// with RFC 7946's winding; made once per county.</summary>
    public byte[]? CountyOutline(string fips) => _outlines.GetOrAdd(fips, f =>
    {
        if (gazetteer.CountyBoundary(f) is not { } g) return null;
        var simple = TopologyPreservingSimplifier.Simplify(g, 0.005);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer)) Rfc7946Geometry.Write(w, Rfc7946Geometry.From(simple, decimals: 5));
        return buffer.WrittenSpan.ToArray();
    });

    // ------------------------------------------------------------------ parts

    private void Query(Utf8JsonWriter w, ResolvedPlace place, SearchPlace at)
    {
        var state = at.States is [var s, ..] ? gazetteer.State(s) : null;
        var county = at.Counties is [var c, ..] ? gazetteer.County(c) : null;
        w.WritePropertyName("query");
        w.WriteStartObject();
        w.WriteNumber("latitude", place.Latitude);
        w.WriteNumber("longitude", place.Longitude);
        w.WritePropertyName("place");
        w.WriteStartObject();
        if (state is not null) { w.WriteString("state", state.Code); w.WriteString("stateName", state.Name); }
        if (county is not null) { w.WriteString("countyFips", county.Fips); w.WriteString("county", county.DisplayName); }
        w.WriteEndObject();
        w.WriteString("source", place.Source);
        if (place.Zip is not null) w.WriteString("zip", place.Zip);
        if (place.Town is not null) w.WriteString("town", place.Town);
        w.WriteEndObject();
    }

    private static void Cards(Utf8JsonWriter w, string name, IReadOnlyList<ResultItem> items, DateTimeOffset now, bool exact, FullListing? full)
    {
        w.WriteStartArray(name);
        foreach (var item in items) WriteCard(w, item, now, exact, null, full);
        w.WriteEndArray();
    }

    /// <summary>The short cards of the listings serving a place, in a nearest answer: who they are, how they cover the
    /// place and how to reach them (full cards are on /v1/resources/serving).</summary>
    private static void ShortCards(Utf8JsonWriter w, IReadOnlyList<ResultItem> items)
    {
        w.WriteStartArray("results");
        var b = new CardBuffer();
        try
        {
            foreach (var item in items)
            {
                var p = item.Listing.Payload ?? throw new InvalidOperationException("The index was built without an encoder.");
                b.Reset();
                b.Raw("{"u8);
                b.Raw(p.Head);
                if (item.Coverage is { } scope) { b.Raw(",\"coverage\":\""u8); b.Ascii(ResourceMapper.ScopeCode(scope)); b.Raw("\""u8); }
                if (p.Contact.Length > 0) { b.Raw(","u8); b.Raw(p.Contact); }
                b.Raw("}"u8);
                w.WriteRawValue(b.Written, skipInputValidation: true);
            }
        }
        finally { b.Dispose(); }
        w.WriteEndArray();
    }

    private static void Hotlines(Utf8JsonWriter w, IReadOnlyList<CoverageHit> hotlines)
    {
        w.WriteStartArray("hotlines");
        var scratch = new CardBuffer();
        try
        {
            foreach (var h in hotlines)
            {
                if (h.Listing.Payload is not { HasHotline: true } hp) continue;
                var entry = hp.Hotline;
                scratch.Reset();
                scratch.Raw("{"u8);
                scratch.Raw(entry);
                scratch.Raw(",\"coverage\":\""u8);
                scratch.Ascii(ResourceMapper.ScopeCode(h.Scope));
                scratch.Raw("\"}"u8);
                w.WriteRawValue(scratch.Written, skipInputValidation: true);
            }
        }
        finally { scratch.Dispose(); }
        w.WriteEndArray();
    }

    private static void EmergencyNotice(Utf8JsonWriter w)
    {
        w.WritePropertyName("emergency");
        w.WriteStartObject();
        w.WriteString("number", Emergency911);
        w.WriteString("message", EmergencyMessage);
        w.WriteEndObject();
    }

    /// <summary>One card: head, then the search's fields, the shown location and the tail.</summary>
    private static void WriteCard(Utf8JsonWriter w, ResultItem item, DateTimeOffset now, bool exact, string? list, FullListing? full)
    {
        var l = item.Listing;
        var p = l.Payload ?? throw new InvalidOperationException("The index was built without an encoder.");
        var b = new CardBuffer();
        try
        {
            b.Raw("{"u8);
            b.Raw(p.Head);
            if (list is not null) { b.Raw(",\"list\":\""u8); b.Ascii(list); b.Raw("\""u8); }
            if (item.DistanceKm is { } km)
            {
                var shownKm = item.Approximate ? km : Math.Round(km, 2);
                b.Raw(",\"distance\":{\"km\":"u8); b.Number(shownKm);
                b.Raw(",\"miles\":"u8); b.Number(Math.Round(Geo.GeoMath.KmToMiles(shownKm), 2));
                b.Raw("}"u8);
            }
            if (item.Approximate) b.Raw(",\"approximate\":true"u8);
            if (item.Coverage is { } scope) { b.Raw(",\"coverage\":\""u8); b.Ascii(ResourceMapper.ScopeCode(scope)); b.Raw("\""u8); }
            if (l.HasHours) b.Raw(l.IsOpenAt(now) ? ",\"openNow\":true"u8 : ",\"openNow\":false"u8);
            var loc = item.LocationIndex ?? l.DefaultLocation();
            if (loc is { } li && li < p.LocationCount)
            {
                var fragment = exact && p.ExactLocation(li).Length > 0 ? p.ExactLocation(li) : p.Location(li);
                if (fragment.Length > 0) { b.Raw(","u8); b.Raw(fragment); }
            }
            if (p.Contact.Length > 0) { b.Raw(","u8); b.Raw(p.Contact); }
            if (p.Tail.Length > 0) { b.Raw(","u8); b.Raw(p.Tail); }
            if (full?.Invoke(l.Id) is { } resource)
            {
                b.Raw(",\"resource\":"u8);
                b.Raw(JsonSerializer.SerializeToUtf8Bytes(resource, FullOptions));
            }
            b.Raw("}"u8);
            w.WriteRawValue(b.Written, skipInputValidation: true);
        }
        finally { b.Dispose(); }
    }

    private static readonly JsonSerializerOptions FullOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    /// <summary>A small growable byte buffer from the shared pool.</summary>
    private struct CardBuffer : IDisposable
    {
        private byte[] _buffer;
        private int _length;

        public CardBuffer() { _buffer = ArrayPool<byte>.Shared.Rent(1024); _length = 0; }

        public readonly ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public void Reset() => _length = 0;

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _buffer.Length) Grow(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        public void Ascii(string s)
        {
            if (_length + s.Length > _buffer.Length) Grow(s.Length);
            _length += Encoding.ASCII.GetBytes(s, _buffer.AsSpan(_length));
        }

        public void Number(double d)
        {
            if (_length + 32 > _buffer.Length) Grow(32);
            d.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
            _length += written;
        }

        private void Grow(int more)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        public readonly void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
    }
}
