using System.Collections.Concurrent;
using System.Globalization;
using ReferralDirectory.Model;
using ReferralDirectory.Places;

namespace ReferralDirectory.Safety;

/// <summary>The county a location is in, as the public may know it: code, display name and state.</summary>
public sealed record CountyRef(string Fips, string Name, string State);

/// <summary>
/// A location as the public sees it. For a confidential location everything but <see cref="County"/>,
/// <see cref="CountyFips"/> and <see cref="State"/> is left out, and <see cref="Id"/> is a public stand-in id.
/// </summary>
public sealed record PublicLocation(
    string Id,
    bool Confidential,
    string? Name,
    string? Street1,
    string? Street2,
    string? Town,
    string? PostalCode,
    string? CountyFips,
    string? County,
    string? State,
    string Country,
    double? Latitude,
    double? Longitude,
    string? Description,
    string? Transportation);

/// <summary>
/// The public view of a confidential location (shelters for survivors keep their address secret). It depends only
/// on the location's county and state and on the listing's non-location fields: no street, ZIP code, town, exact
/// point or fine distance, in any representation. Every public route goes through this class:
/// <list type="bullet">
/// <item><see cref="View"/>: what the public sees of a location (county and state only when confidential; a public id
/// derived from the listing and the location's place among the listing's confidential ones, never its own id).</item>
/// <item><see cref="RankingPoint"/>: public searches rank a confidential location by a point fixed per county (an
/// interior point of the county's outline), never by a point derived from the true one or from ids.</item>
/// <item><see cref="PublicDistanceKm"/>: the distance shown is to that county point, rounded up to a 5 km band.</item>
/// </list>
/// Moving the shelter anywhere inside its county (or giving its location another id) therefore changes no public byte.
/// Caseworkers, editors and admins see the exact details in private, uncached answers.
/// </summary>
public sealed class ConfidentialLocationPolicy
{
    /// <summary>Public distances to confidential locations are rounded up to a multiple of this.</summary>
    public const double DistanceBandKm = 5.0;

    /// <summary>The name the public sees for a confidential location.</summary>
    public const string PublicName = "Confidential location";

    private readonly Gazetteer? _gazetteer;
    private readonly ConcurrentDictionary<string, (double Latitude, double Longitude)?> _countyPoints = new(StringComparer.Ordinal);

    /// <summary>A policy that knows counties from <paramref name="gazetteer"/>. Without one (unit tests of the index) a
    /// confidential location keeps only the county its address names and has no public ranking point.</summary>
    public ConfidentialLocationPolicy(Gazetteer? gazetteer) => _gazetteer = gazetteer;

    /// <summary>The policy over the built-in gazetteer.</summary>
    public static ConfidentialLocationPolicy Default { get; } = new(Gazetteer.Default);

    /// <summary>The county of a location: the FIPS code its address names, else the county at its point. The name is
    /// the gazetteer's (never the free text an editor typed), so the public bytes depend on the county code only.</summary>
    public CountyRef? County(Location loc)
    {
        var a = loc.Address;
        if (a?.CountyFips is { Length: 5 } fips)
        {
            if (_gazetteer?.County(fips) is { } c) return new CountyRef(c.Fips, c.DisplayName, c.StateCode);
            return _gazetteer is null && a.State is { } st ? new CountyRef(fips, a.CountyName ?? fips, st.ToUpperInvariant()) : null;
        }
        if (_gazetteer is not null && loc.Latitude is { } lat && loc.Longitude is { } lon && _gazetteer.Locate(lat, lon).County is { } at)
            return new CountyRef(at.Fips, at.DisplayName, at.StateCode);
        return null;
    }

    /// <summary>The point public searches rank a confidential location in this county by: fixed per county.</summary>
    public (double Latitude, double Longitude)? RankingPoint(string countyFips) =>
        _gazetteer is null ? null : _countyPoints.GetOrAdd(countyFips, static (fips, g) =>
        {
            if (g.CountyBoundary(fips) is not { } outline) return null;
            var p = outline.InteriorPoint;
            return (Math.Round(p.Y, 5), Math.Round(p.X, 5));
        }, _gazetteer);

    /// <summary>The public distance to a confidential location measured from a search point to its county's
    /// ranking point: rounded up to the band (at least one band).</summary>
    public static double PublicDistanceKm(double kmToCountyPoint) => Band(kmToCountyPoint);

    /// <summary>Rounds a distance up to a multiple of <see cref="DistanceBandKm"/>, at least one band.</summary>
    public static double Band(double km) => Math.Max(DistanceBandKm, Math.Ceiling(km / DistanceBandKm) * DistanceBandKm);

    /// <summary>The id the public sees for a location: its own id, or for a confidential one an id made from the listing
    /// id and its place among the listing's confidential locations ("&lt;listing&gt;-confidential-1").</summary>
    public static string PublicLocationId(Listing l, int index)
    {
        var loc = l.Locations[index];
        if (!loc.Confidential) return loc.Id;
        var k = 0;
        for (var i = 0; i <= index; i++) if (l.Locations[i].Confidential) k++;
        return l.Id + "-confidential-" + k.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>What the public sees of <paramref name="l"/>'s location number <paramref name="index"/>.</summary>
    public PublicLocation View(Listing l, int index)
    {
        var loc = l.Locations[index];
        var county = County(loc);
        if (loc.Confidential)
        {
            return new PublicLocation(PublicLocationId(l, index), true, PublicName, null, null, null, null,
                county?.Fips, county?.Name, county?.State ?? loc.Address?.State?.ToUpperInvariant(), "US", null, null, null, null);
        }
        var a = loc.Address;
        // A public location shows what its record says (an HSDS region as imported), the gazetteer filling the gaps.
        return new PublicLocation(loc.Id, false, loc.Name, a?.Street1, a?.Street2, a?.City, a?.PostalCode,
            a?.CountyFips ?? county?.Fips, a?.CountyName ?? county?.Name, a?.State ?? county?.State, a?.Country ?? "US",
            loc.Latitude, loc.Longitude, loc.Description, loc.Transportation);
    }

    /// <summary>The exact view (caseworkers, editors, admins): everything the store holds.</summary>
    public PublicLocation ExactView(Location loc)
    {
        var a = loc.Address;
        var county = County(loc);
        return new PublicLocation(loc.Id, loc.Confidential, loc.Name, a?.Street1, a?.Street2, a?.City, a?.PostalCode,
            a?.CountyFips ?? county?.Fips, a?.CountyName ?? county?.Name, a?.State ?? county?.State, a?.Country ?? "US",
            loc.Latitude, loc.Longitude, loc.Description, loc.Transportation);
    }
}
