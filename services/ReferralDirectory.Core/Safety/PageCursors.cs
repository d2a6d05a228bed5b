using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ReferralDirectory.Search;

namespace ReferralDirectory.Safety;

/// <summary>Why a cursor was refused.</summary>
public enum CursorError { None, Invalid, OtherSearch, OtherVisibility }

/// <summary>
/// Paging cursors are opaque and authenticated: the position (which may hold a distance, a name and an id) is
/// encrypted and sealed (AES-256-GCM) with a key derived from a secret kept in the store, so every instance sharing the
/// store reads every other's cursors, and nobody can read or forge one. A cursor names the search it continues (a
/// fingerprint of the query) and the visibility of the caller it was given to: a caseworker's cursor, whose
/// position may come from a confidential location's true point, is refused without a caseworker's token, and a
/// public cursor is refused with one. The nonce is derived from the content (a synthetic IV), so the same position
/// of the same search always gives the same cursor: answers stay byte-for-byte reproducible.
/// </summary>
public sealed class PageCursors
{
    /// <summary>Name of the store secret the cursor keys derive from.</summary>
    public const string SecretName = "page-cursor-key";
    /// <summary>Length of that secret, in bytes.</summary>
    public const int SecretLength = 32;

    /// <summary>Length of each key derived from the secret (AES-256-GCM and HMAC-SHA256), in bytes.</summary>
    private const int KeyLength = 32;
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int Block = 32; // plaintexts are padded to a multiple of this, so lengths say little
    private static readonly byte[] Aad = "referral-directory/cursor/v1"u8.ToArray();
    private byte[]? _encKey, _macKey;

    /// <summary>Sets the secret (once, at start-up, from the store).</summary>
    public void UseSecret(byte[] secret)
    {
        if (secret.Length < 16) throw new ArgumentException("The cursor secret must be at least 16 bytes.", nameof(secret));
        var enc = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeyLength, info: "cursor-encryption"u8.ToArray());
        var mac = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeyLength, info: "cursor-nonce"u8.ToArray());
        if (Interlocked.CompareExchange(ref _encKey, enc, null) is { } existing && !existing.AsSpan().SequenceEqual(enc))
            throw new InvalidOperationException("The cursor secret is already set.");
        _macKey = mac;
    }

    /// <summary>A cursor for <paramref name="position"/> of the search <paramref name="fingerprint"/>, for a caller who
    /// sees exact details (<paramref name="exact"/>) or the public view.</summary>
    public string Protect(PagePosition position, string fingerprint, bool exact)
    {
        var (enc, mac) = Keys();
        var name = Encoding.UTF8.GetBytes(position.Name);
        var id = Encoding.UTF8.GetBytes(position.Id);
        var fp = Encoding.UTF8.GetBytes(fingerprint);
        var length = 2 + 1 + fp.Length + 4 + 8 + 2 + name.Length + 2 + id.Length;
        var plain = new byte[(length + Block - 1) / Block * Block];
        var w = 0;
        plain[w++] = FormatVersion;
        plain[w++] = exact ? (byte)1 : (byte)0;
        plain[w++] = (byte)fp.Length; fp.CopyTo(plain, w); w += fp.Length;
        BinaryPrimitives.WriteInt32LittleEndian(plain.AsSpan(w), position.Scope); w += 4;
        BinaryPrimitives.WriteDoubleLittleEndian(plain.AsSpan(w), position.Key); w += 8;
        BinaryPrimitives.WriteUInt16LittleEndian(plain.AsSpan(w), (ushort)name.Length); w += 2; name.CopyTo(plain, w); w += name.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(plain.AsSpan(w), (ushort)id.Length); w += 2; id.CopyTo(plain, w);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        HMACSHA256.HashData(mac, plain).AsSpan(0, NonceSize).CopyTo(nonce);
        using var aes = new AesGcm(enc, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), Aad);
        return Base64Url.EncodeToString(output);
    }

    /// <summary>The position a cursor holds, or null with the reason it was refused.</summary>
    public PagePosition? Unprotect(string cursor, string fingerprint, bool exact, out CursorError error)
    {
        error = CursorError.Invalid;
        var (enc, mac) = Keys();
        if (cursor.Length > 1024) return null;
        byte[] data;
        try { data = Base64Url.DecodeFromChars(cursor); }
        catch (FormatException) { return null; }
        if (data.Length < NonceSize + Block + TagSize || (data.Length - NonceSize - TagSize) % Block != 0) return null;
        var plain = new byte[data.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(enc, TagSize);
            aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, plain.Length), data.AsSpan(NonceSize + plain.Length), plain, Aad);
        }
        catch (AuthenticationTagMismatchException) { return null; }
        if (!HMACSHA256.HashData(mac, plain).AsSpan(0, NonceSize).SequenceEqual(data.AsSpan(0, NonceSize))) return null;
        try
        {
            var r = 0;
            if (plain[r++] != FormatVersion) return null;
            var wasExact = plain[r++] == 1;
            var fpLength = plain[r++];
            var fp = Encoding.UTF8.GetString(plain, r, fpLength); r += fpLength;
            var scope = BinaryPrimitives.ReadInt32LittleEndian(plain.AsSpan(r)); r += 4;
            var key = BinaryPrimitives.ReadDoubleLittleEndian(plain.AsSpan(r)); r += 8;
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(plain.AsSpan(r)); r += 2;
            var name = Encoding.UTF8.GetString(plain, r, nameLength); r += nameLength;
            var idLength = BinaryPrimitives.ReadUInt16LittleEndian(plain.AsSpan(r)); r += 2;
            var id = Encoding.UTF8.GetString(plain, r, idLength);
            if (fp != fingerprint) { error = CursorError.OtherSearch; return null; }
            if (wasExact != exact) { error = CursorError.OtherVisibility; return null; }
            error = CursorError.None;
            return new PagePosition(scope, key, name, id);
        }
        catch (ArgumentOutOfRangeException) { return null; }
    }

    /// <summary>A short fingerprint of a search's canonical query text (the parameters other than cursor and limit).</summary>
    public static string Fingerprint(string canonicalQuery) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalQuery)).AsSpan(0, 8));

    private (byte[] Enc, byte[] Mac) Keys() =>
        (Volatile.Read(ref _encKey) ?? throw new InvalidOperationException("The cursor secret has not been read from the store yet."), _macKey!);
}
