using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReferralDirectory.Model;

namespace ReferralDirectory.Storage;

/// <summary>How listings are serialised in stores (camelCase JSON, enums as strings).</summary>
public static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(Listing l) => JsonSerializer.Serialize(l, Options);

    public static Listing Deserialize(string json) =>
        JsonSerializer.Deserialize<Listing>(json, Options) ?? throw new InvalidDataException("A stored listing is null.");

    public static Listing Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<Listing>(utf8, Options) ?? throw new InvalidDataException("A stored listing is null.");

    /// <summary>A strong ETag: the version and a hash of the document.</summary>
    public static string ETagFor(long version, string json)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(json));
        return $"\"{version}-{Convert.ToHexStringLower(hash.AsSpan(0, 8))}\"";
    }
}

