using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using NetTopologySuite.Geometries;

namespace ReferralDirectory.Places;

/// <summary>Reads the embedded data files written by scripts/gazetteer/build.js.</summary>
internal static class GazetteerData
{
    public const string ZipsResource = "ReferralDirectory.Places.Data.zips.tsv.gz";
    public const string CitiesResource = "ReferralDirectory.Places.Data.cities.tsv.gz";
    public const string BoundariesResource = "ReferralDirectory.Places.Data.boundaries.bin.gz";

    public static Stream Open(string resource)
    {
        var raw = typeof(GazetteerData).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded gazetteer resource '{resource}' is missing.");
        return new GZipStream(raw, CompressionMode.Decompress);
    }

    /// <summary>Rows of a gzip TSV file, '#' lines skipped.</summary>
    public static IEnumerable<string[]> ReadTsv(string resource)
    {
        using var reader = new StreamReader(Open(resource), Encoding.UTF8, false, 1 << 16);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            yield return line.Split('\t');
        }
    }

    public static double ParseDouble(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    public sealed record Area<T>(T Info, Geometry Geometry);

    /// <summary>
    /// Decodes boundaries.bin: a quantized topology (shared arcs, delta + zigzag varints) with the states
    /// and counties as lists of polygons of rings of arc references (~i = arc i reversed), as TopoJSON.
    /// Coordinates are rebuilt as x = q * scale + translate, identically for every ring that uses an arc,
    /// so a vertex on a border shared by two areas is bit-for-bit the same in both.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once at load: skip tier-0 JIT
    public static (List<Area<StateInfo>> States, List<Area<CountyInfo>> Counties) ReadBoundaries(GeometryFactory factory)
    {
        byte[] bytes;
        using (var gz = Open(BoundariesResource))
        using (var ms = new MemoryStream())
        {
            gz.CopyTo(ms);
            bytes = ms.ToArray();
        }
        var r = new Reader(bytes);
        if (r.Byte() != 'R' || r.Byte() != 'D' || r.Byte() != 'G' || r.Byte() != 'Z')
            throw new InvalidDataException("boundaries.bin: bad magic");
        var version = r.Byte();
        if (version != 1) throw new InvalidDataException($"boundaries.bin: unsupported version {version}");
        double sx = r.Double(), sy = r.Double(), tx = r.Double(), ty = r.Double();

        var arcCount = r.VarUInt();
        var arcs = new Coordinate[arcCount][];
        for (var a = 0; a < arcCount; a++)
        {
            var n = r.VarUInt();
            var pts = new Coordinate[n];
            long qx = 0, qy = 0;
            for (var i = 0; i < n; i++)
            {
                qx += r.VarInt();
                qy += r.VarInt();
                pts[i] = new Coordinate(qx * sx + tx, qy * sy + ty);
            }
            arcs[a] = pts;
        }

        var states = new List<Area<StateInfo>>();
        var stateCount = r.VarUInt();
        var stateCodeByFips = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < stateCount; i++)
        {
            var fips = r.String();
            var code = r.String();
            var name = r.String();
            stateCodeByFips[fips] = code;
            states.Add(new Area<StateInfo>(new StateInfo(code, fips, name), ReadGeometry(r, arcs, factory)));
        }

        var counties = new List<Area<CountyInfo>>();
        var countyCount = r.VarUInt();
        for (var i = 0; i < countyCount; i++)
        {
            var fips = r.String();
            var name = r.String();
            var stateCode = stateCodeByFips.TryGetValue(fips[..2], out var c)
                ? c : throw new InvalidDataException($"county {fips}: unknown state");
            counties.Add(new Area<CountyInfo>(new CountyInfo(fips, name, stateCode), ReadGeometry(r, arcs, factory)));
        }
        if (!r.AtEnd) throw new InvalidDataException("boundaries.bin: trailing bytes");
        return (states, counties);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once at load: skip tier-0 JIT
    private static Geometry ReadGeometry(Reader r, Coordinate[][] arcs, GeometryFactory factory)
    {
        var polygonCount = r.VarUInt();
        var polygons = new List<Polygon>(polygonCount);
        var ring = new List<Coordinate>();
        for (var p = 0; p < polygonCount; p++)
        {
            var ringCount = r.VarUInt();
            LinearRing? shell = null;
            var holes = new List<LinearRing>();
            for (var k = 0; k < ringCount; k++)
            {
                ring.Clear();
                var refs = r.VarUInt();
                for (var j = 0; j < refs; j++)
                {
                    var arcRef = r.VarInt();
                    var arc = arcs[arcRef >= 0 ? arcRef : ~arcRef];
                    // Consecutive arcs share their end point: drop the duplicate.
                    if (ring.Count > 0) ring.RemoveAt(ring.Count - 1);
                    if (arcRef >= 0)
                        for (var i = 0; i < arc.Length; i++) ring.Add(arc[i].Copy());
                    else
                        for (var i = arc.Length - 1; i >= 0; i--) ring.Add(arc[i].Copy());
                }
                // One ring of the source (Illinois, in the states object) ends one quantum away from its
                // start: close it with a straight segment, as GeoJSON consumers do.
                if (ring.Count > 0 && !ring[0].Equals2D(ring[^1])) ring.Add(ring[0].Copy());
                if (ring.Count < 4) continue; // degenerate ring: nothing to cover
                var linearRing = factory.CreateLinearRing(ring.ToArray());
                if (k == 0) shell = linearRing; else holes.Add(linearRing);
            }
            if (shell is not null) polygons.Add(factory.CreatePolygon(shell, holes.ToArray()));
        }
        return polygons.Count == 1 ? polygons[0] : factory.CreateMultiPolygon(polygons.ToArray());
    }

    private sealed class Reader(byte[] data)
    {
        private int _pos;
        public bool AtEnd => _pos == data.Length;
        public byte Byte() => data[_pos++];

        public double Double()
        {
            var v = BitConverter.ToDouble(data, _pos); // the file is little-endian, as is every .NET target here
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian");
            _pos += 8;
            return v;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int VarUInt()
        {
            long result = 0;
            var shift = 0;
            while (true)
            {
                var b = data[_pos++];
                result |= (long)(b & 0x7f) << shift;
                if ((b & 0x80) == 0) break;
                shift += 7;
                if (shift > 35) throw new InvalidDataException("varint too long");
            }
            return checked((int)result);
        }

        public int VarInt()
        {
            var z = (uint)VarUInt();
            return (int)(z >> 1) ^ -(int)(z & 1);
        }

        public string String()
        {
            var n = VarUInt();
            var s = Encoding.UTF8.GetString(data, _pos, n);
            _pos += n;
            return s;
        }
    }
}
