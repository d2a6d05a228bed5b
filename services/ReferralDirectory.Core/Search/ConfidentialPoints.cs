using System.Security.Cryptography;
using System.Text;
using ReferralDirectory.Geo;

namespace ReferralDirectory.Search;

/// <summary>
/// The public stand-in point of a confidential location: a fixed point 7 to 12 km away in a direction derived
/// from a server-side secret. Public distances are computed to this point (and rounded up to bands), so no
/// number of queries can locate the shelter better than the stand-in. The stand-in is at least 7 km off so that
/// an attacker who pins the stand-in down to within a couple of kilometres (it can be estimated that well) is
/// still at least 5 km from the shelter.
/// </summary>
public sealed class ConfidentialPoints
{
    /// <summary>Name of the store secret (<see cref="Storage.IDirectoryStore.GetOrCreateSecretAsync"/>) the stand-ins derive from.</summary>
    public const string SecretName = "confidential-location-key";
    public const double MinOffsetKm = 7.0;
    public const double MaxOffsetKm = 12.0;
    /// <summary>Public distances to confidential locations are rounded up to a multiple of this.</summary>
    public const double DistanceBandKm = 5.0;

    private byte[]? _secret;

    public ConfidentialPoints(byte[] secret) => UseSecret(secret);

    /// <summary>Without a secret yet: the service reads it from the store at start-up (<see cref="UseSecret"/>),
    /// before anything is indexed.</summary>
    public ConfidentialPoints() { }

    /// <summary>Sets the secret, once.</summary>
    public void UseSecret(byte[] secret)
    {
        if (secret.Length < 16) throw new ArgumentException("The confidential-location secret must be at least 16 bytes.", nameof(secret));
        if (Interlocked.CompareExchange(ref _secret, secret, null) is { } existing && !existing.AsSpan().SequenceEqual(secret))
            throw new InvalidOperationException("The confidential-location secret is already set.");
    }

    public (double Latitude, double Longitude) StandIn(string listingId, string locationId, double latitude, double longitude)
    {
        var secret = Volatile.Read(ref _secret) ?? throw new InvalidOperationException("The confidential-location secret has not been read from the store yet.");
        var h = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(listingId + "\n" + locationId));
        var u1 = BitConverter.ToUInt32(h, 0) / (double)uint.MaxValue;
        var u2 = BitConverter.ToUInt32(h, 4) / (double)uint.MaxValue;
        var bearing = u1 * 360.0;
        var km = MinOffsetKm + u2 * (MaxOffsetKm - MinOffsetKm);
        return GeoMath.Destination(latitude, longitude, bearing, km);
    }

    public static double Band(double km) => Math.Max(DistanceBandKm, Math.Ceiling(km / DistanceBandKm) * DistanceBandKm);
}
