using ReferralDirectory.Model;
using ReferralDirectory.Safety;

namespace ReferralDirectory.Search;

/// <summary>
/// What a search answer shows of a listing, encoded once when the listing is indexed (by the host's
/// <see cref="IListingEncoder"/>, which owns the answer format): the static part of the listing's result card, a
/// fragment per location for the public view, and for confidential locations a fragment of the exact view that
/// only caseworkers' answers use. Answers are then written by copying bytes, and the full listing need not stay
/// in memory (it is read from the store when someone asks for it).
/// </summary>
public sealed class ListingPayload(byte[] head, byte[] tail, byte[][] locations, byte[]?[]? exactLocations, byte[]? hotline)
{
    /// <summary>The card's first fields (id, name, kind), written before the search's own (distance, coverage, open now).</summary>
    public byte[] Head { get; } = head;
    /// <summary>The card's other fields that do not depend on the search (services, phone, languages...).</summary>
    public byte[] Tail { get; } = tail;
    /// <summary>Per location, its public fields (for a confidential location: county and state only).</summary>
    public byte[][] Locations { get; } = locations;
    /// <summary>Per location, the exact fields where they differ from the public ones (confidential locations), else null.</summary>
    public byte[]?[]? ExactLocations { get; } = exactLocations;
    /// <summary>The hotline entry of a hotline or tipline, else null.</summary>
    public byte[]? Hotline { get; } = hotline;

    public int Bytes => Head.Length + Tail.Length + Locations.Sum(l => l.Length) + (ExactLocations?.Sum(l => l?.Length ?? 0) ?? 0) + (Hotline?.Length ?? 0);
}

/// <summary>Encodes a listing's <see cref="ListingPayload"/> (implemented by the API host).</summary>
public interface IListingEncoder
{
    /// <summary>Encodes <paramref name="listing"/>, whose locations as the public sees them are <paramref name="publicLocations"/>.</summary>
    ListingPayload Encode(Listing listing, IReadOnlyList<PublicLocation> publicLocations, ConfidentialLocationPolicy policy);
}
