using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using NetTopologySuite.Simplify;
using ReferralDirectory.Places;

namespace ReferralDirectory.Api.WebPages.Staff;

/// <summary>A county or state outline on the results map, as an SVG path in the map's units.</summary>
public sealed record MapOutline(string Kind, string Code, string Name, string Path);

/// <summary>A located result on the map: its number in the list, its name and its exact position (staff only).</summary>
public sealed record MapMarker(int Number, string Id, string Name, bool Confidential, double X, double Y);

/// <summary>
/// The search results on a map that needs no tile server: an inline SVG drawn on the server from the state and county
/// outlines the gazetteer holds (Census boundaries), with one numbered marker per located result at its exact
/// position. It is part of a private, uncached staff page; the public pages never get it. The list stays primary: each
/// marker is a link to its list item, named like it.
/// </summary>
public sealed record ResultsMap(double Width, double Height, IReadOnlyList<MapOutline> Outlines, IReadOnlyList<MapMarker> Markers, double PlaceX, double PlaceY)
{
    public const double MapWidth = 600;

    public string ViewBox => string.Create(CultureInfo.InvariantCulture, $"0 0 {Width:0.#} {Height:0.#}");

    /// <summary>The map of these results around the searched place; null when no result has a position.</summary>
    public static ResultsMap? Of(ResolvedPlace place, IReadOnlyList<FoundListing> results, Gazetteer gazetteer)
    {
        var located = new List<(int Number, Model.Listing Listing, Model.Location Location)>();
        for (var i = 0; i < results.Count; i++)
            if (results[i].Listing.Locations.FirstOrDefault(l => l.Latitude is not null && l.Longitude is not null) is { } loc)
                located.Add((i + 1, results[i].Listing, loc));
        if (located.Count == 0) return null;

        // The view: every marker and the place, padded, at least about 20 km across.
        var view = new Envelope(place.Lon, place.Lon, place.Lat, place.Lat);
        foreach (var (_, _, loc) in located) view.ExpandToInclude(loc.Longitude!.Value, loc.Latitude!.Value);
        var pad = Math.Max(Math.Max(view.Width, view.Height) * 0.12, 0.1);
        view.ExpandBy(pad);

        // Equirectangular, scaled by the cosine of the middle latitude: near enough to true shape at this size.
        var cos = Math.Cos(view.Centre.Y * Math.PI / 180);
        var scale = MapWidth / (view.Width * cos);
        var height = Math.Round(view.Height * scale, 1);
        double X(double lon) => Math.Round((lon - view.MinX) * cos * scale, 1);
        double Y(double lat) => Math.Round((view.MaxY - lat) * scale, 1);

        // Simplified to under a map unit; the tolerance is rounded down to a power of two so the simplified outlines
        // can be kept and shared by every map at about the same scale.
        var level = (int)Math.Floor(Math.Log2(view.Width / 500));
        var outlines = new List<MapOutline>();
        var states = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (lon, lat) in new[] { (place.Lon, place.Lat) }.Concat(located.Select(l => (l.Location.Longitude!.Value, l.Location.Latitude!.Value))))
            foreach (var code in gazetteer.StateCodesCovering(lat, lon)) states.Add(code);
        if (place.State is { } s) states.Add(s);
        foreach (var code in states)
        {
            foreach (var county in gazetteer.CountiesOf(code))
                if (Simplified(gazetteer, "county", county.Fips, level) is { } shape && shape.EnvelopeInternal.Intersects(view))
                    outlines.Add(new MapOutline("county", county.Fips, county.DisplayName, Path(shape, X, Y)));
            if (Simplified(gazetteer, "state", code, level) is { } stateShape && gazetteer.State(code) is { } info)
                outlines.Add(new MapOutline("state", info.Code, info.Name, Path(stateShape, X, Y)));
        }
        var markers = located.Select(l => new MapMarker(l.Number, l.Listing.Id, l.Listing.Name, l.Location.Confidential, X(l.Location.Longitude!.Value), Y(l.Location.Latitude!.Value))).ToList();
        return new ResultsMap(MapWidth, height, outlines, markers, X(place.Lon), Y(place.Lat));
    }

    private static readonly ConcurrentDictionary<(string Kind, string Code, int Level), Geometry?> SimplifiedOutlines = new();

    /// <summary>A county's or state's outline simplified to 2^level degrees (kept: there are few levels in use).</summary>
    private static Geometry? Simplified(Gazetteer gazetteer, string kind, string code, int level) =>
        SimplifiedOutlines.GetOrAdd((kind, code, level), k =>
            (k.Kind == "state" ? gazetteer.StateBoundary(k.Code) : gazetteer.CountyBoundary(k.Code)) is { } g
                ? TopologyPreservingSimplifier.Simplify(g, Math.Pow(2, k.Level)) : null);

    private static string Path(Geometry g, Func<double, double> x, Func<double, double> y)
    {
        var sb = new StringBuilder();
        foreach (var polygon in Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<Polygon>())
            foreach (var ring in new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings))
            {
                var c = ring.Coordinates;
                for (var i = 0; i < c.Length - 1; i++)
                    sb.Append(i == 0 ? 'M' : 'L').Append(x(c[i].X).ToString("0.#", CultureInfo.InvariantCulture)).Append(' ').Append(y(c[i].Y).ToString("0.#", CultureInfo.InvariantCulture));
                sb.Append('Z');
            }
        return sb.ToString();
    }
}
