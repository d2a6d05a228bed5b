using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace ReferralDirectory.Search;

/// <summary>
/// A saved copy of the search index on the local disk, so a restart does not re-read and re-index every listing: the
/// compact indexed listings as they are in memory, and the change sequence of the store they reflect. On start the
/// service loads it and then applies the store's changes since that sequence; the store stays the source of truth. It
/// is used only when it was made by this format (index and answer fragments), for this store (a fingerprint of the
/// store's own secret) and the store has not gone back before its sequence (a restored backup); otherwise the index is
/// loaded from the store as always and a new checkpoint is written. The file holds what the store holds (confidential
/// locations' exact points included): it lives beside the store with the same protection.
/// </summary>
public static class IndexCheckpoint
{
    private const uint Magic = 0x58494452; // "RDIX"
    /// <summary>Bump when the indexed listing's fields change.</summary>
    public const int FormatVersion = 4;

    public sealed record Header(string Format, string StoreFingerprint, long Sequence, long PurgeSequence, int Count);

    /// <summary>The format name a checkpoint must carry to be used with this index.</summary>
    public static string Format(IListingEncoder? encoder) => $"index-{FormatVersion}/{encoder?.FormatVersion ?? "none"}";

    /// <summary>A fingerprint of the store (a hash of one of its secrets): a checkpoint of another store is never used.</summary>
    public static string Fingerprint(byte[] storeSecret) =>
        Convert.ToHexStringLower(SHA256.HashData([.. "referral-directory/index-checkpoint/"u8, .. storeSecret]).AsSpan(0, 16));

    /// <summary>Writes the listings (atomically: a temporary file renamed over the old one).</summary>
    public static void Write(string path, Header header, IEnumerable<IndexedListing> listings)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using var w = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(header.Format); w.Write(header.StoreFingerprint); w.Write(header.Sequence); w.Write(header.PurgeSequence); w.Write(header.Count);
            // Chunks of listings, each made and read on its own, so that both saving and loading use every core.
            var n = 0;
            foreach (var chunk in listings.Chunk(ChunkSize).Select((c, i) => (c, i)).AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount)
                         .Select(x => (Count: x.c.Length, Bytes: Compress(x.c))))
            {
                w.Write(chunk.Count); w.Write(chunk.Bytes.Length); w.Write(chunk.Bytes);
                n += chunk.Count;
            }
            w.Write(0);
            if (n != header.Count) throw new InvalidOperationException($"The checkpoint header says {header.Count} listings; {n} were written.");
        }
        File.Move(temp, path, overwrite: true);
    }

    private const int ChunkSize = 4096;

    private static byte[] Compress(IndexedListing[] chunk)
    {
        using var ms = new MemoryStream(chunk.Length * 1200);
        using (var bw = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var l in chunk) l.WriteTo(bw);
        }
        return ms.ToArray();
    }

    private static IEnumerable<(int Start, int Count, byte[] Bytes)> Chunks(BinaryReader r, CancellationToken ct)
    {
        var start = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var count = r.ReadInt32();
            if (count == 0) yield break;
            var bytes = r.ReadBytes(r.ReadInt32());
            yield return (start, count, bytes);
            start += count;
        }
    }

    /// <summary>The header of a checkpoint file, or null when there is none or it is unreadable.</summary>
    public static Header? ReadHeader(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var file = File.OpenRead(path);
            using var r = new BinaryReader(file, Encoding.UTF8);
            return ReadHeader(r);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException) { return null; }
    }

    private static Header? ReadHeader(BinaryReader r) =>
        r.ReadUInt32() != Magic ? null : new Header(r.ReadString(), r.ReadString(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32());

    /// <summary>The listings of a checkpoint, decoded on every core (chunks of records are read in order and made in parallel).</summary>
    public static IndexedListing[] ReadListings(string path, CancellationToken ct = default)
    {
        using var file = File.OpenRead(path);
        using var r = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
        var header = ReadHeader(r) ?? throw new InvalidDataException("Not an index checkpoint.");
        var listings = new IndexedListing[header.Count];
        Parallel.ForEach(Chunks(r, ct), new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, chunk =>
        {
            using var br = new BinaryReader(new MemoryStream(chunk.Bytes), Encoding.UTF8);
            for (var i = 0; i < chunk.Count; i++) listings[chunk.Start + i] = IndexedListing.ReadFrom(br);
        });
        if (Array.IndexOf(listings, null) >= 0) throw new InvalidDataException("The checkpoint has fewer listings than its header says.");
        return listings;
    }
}
