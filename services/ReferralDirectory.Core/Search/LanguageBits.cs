namespace ReferralDirectory.Search;

/// <summary>
/// Language codes hashed onto 64 bits (a one-hash Bloom filter): a bit test rules listings out fast, and a match
/// is then confirmed exactly. Fixed for all snapshots, so listings never need their masks recomputed.
/// </summary>
internal static class LanguageBits
{
    public static string Normalize(string code) => code.Trim().ToLowerInvariant();

    public static ulong Bit(string normalizedCode)
    {
        // FNV-1a: stable across processes (string.GetHashCode is randomised).
        var h = 2166136261u;
        foreach (var ch in normalizedCode) { h ^= ch; h *= 16777619u; }
        return 1UL << (int)(h % 64);
    }

    public static ulong MaskOf(IEnumerable<string> normalizedCodes, bool interpretation)
    {
        if (interpretation) return ulong.MaxValue;
        ulong m = 0;
        foreach (var c in normalizedCodes) m |= Bit(c);
        return m;
    }
}
