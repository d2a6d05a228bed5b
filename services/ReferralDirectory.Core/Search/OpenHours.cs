using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ReferralDirectory.Model;

namespace ReferralDirectory.Search;

/// <summary>
/// When a listing is open (its office or any of its phone lines), compiled once per distinct schedule set and
/// shared: per time zone, the open minutes of the week as sorted, merged [start, end) intervals. "Open now" is then
/// one time-zone conversion (cached per UTC minute) and a binary search. Identical schedules (very common: weekdays
/// 9 to 5) are one object.
/// </summary>
public sealed class OpenHours
{
    private const int MinutesPerWeek = 7 * 24 * 60;
    private static readonly ConcurrentDictionary<string, OpenHours> Shared = new(StringComparer.Ordinal);
    private static int s_shared;

    private readonly Zone[] _zones;

    /// <summary>Open 24 hours a day, 7 days a week (in at least one of the schedules).</summary>
    public bool Always { get; }

    private OpenHours(Zone[] zones, bool always) { _zones = zones; Always = always; }

    /// <summary>The compiled hours of a listing's office and phone lines, or null when it gives none.</summary>
    public static OpenHours? Of(Listing l)
    {
        var schedules = new List<Schedule>(1 + l.Phones.Count);
        if (l.Hours is { } h) schedules.Add(h);
        foreach (var p in l.Phones) if (p.Hours is { } ph) schedules.Add(ph);
        if (schedules.Count == 0) return null;
        var key = new StringBuilder();
        foreach (var s in schedules)
        {
            key.Append(s.TimeZone).Append(s.Always ? "|A|" : "|");
            foreach (var p in s.Periods) key.Append((int)p.Day).Append(p.Opens.ToString("HHmm", CultureInfo.InvariantCulture)).Append(p.Closes.ToString("HHmm", CultureInfo.InvariantCulture)).Append(',');
            key.Append(';');
        }
        var k = key.ToString();
        if (Shared.TryGetValue(k, out var existing)) return existing;
        var compiled = Compile(schedules);
        // A bound for pathological data (sharing is only an optimisation); counted here, as Count takes every lock.
        if (Volatile.Read(ref s_shared) >= 100_000) return compiled;
        if (Shared.TryAdd(k, compiled)) { Interlocked.Increment(ref s_shared); return compiled; }
        return Shared.TryGetValue(k, out existing) ? existing : compiled;
    }

    private static OpenHours Compile(List<Schedule> schedules)
    {
        if (schedules.Any(s => s.Always)) return SharedAlways;
        var zones = new List<Zone>();
        foreach (var g in schedules.GroupBy(s => s.TimeZone, StringComparer.Ordinal))
        {
            if (ScheduleRules.FindZone(g.Key) is not { } tz) continue;
            var intervals = new List<(int Start, int End)>();
            foreach (var p in g.SelectMany(s => s.Periods))
            {
                var start = (int)p.Day * 1440 + p.Opens.Hour * 60 + p.Opens.Minute;
                var end = (int)p.Day * 1440 + p.Closes.Hour * 60 + p.Closes.Minute;
                if (end <= start) end += 1440; // runs past midnight
                if (end <= MinutesPerWeek) intervals.Add((start, end));
                else { intervals.Add((start, MinutesPerWeek)); intervals.Add((0, end - MinutesPerWeek)); }
            }
            intervals.Sort();
            var merged = new List<int>();
            foreach (var (s, e) in intervals)
            {
                if (merged.Count > 0 && s <= merged[^1]) merged[^1] = Math.Max(merged[^1], e);
                else { merged.Add(s); merged.Add(e); }
            }
            zones.Add(new Zone(tz, [.. merged], g.Key));
        }
        return new OpenHours([.. zones], always: false);
    }

    internal static void WriteTo(BinaryWriter w, OpenHours? h)
    {
        w.Write(h is null ? (byte)0 : h.Always ? (byte)2 : (byte)1);
        if (h is null || h.Always) return;
        w.Write(h._zones.Length);
        foreach (var z in h._zones)
        {
            w.Write(z.Id);
            w.Write(z.Intervals.Length);
            foreach (var i in z.Intervals) w.Write(i);
        }
    }

    internal static OpenHours? ReadFrom(BinaryReader r)
    {
        var kind = r.ReadByte();
        if (kind == 0) return null;
        if (kind == 2) return SharedAlways;
        var zones = new Zone[r.ReadInt32()];
        var key = new StringBuilder("ckpt|");
        for (var i = 0; i < zones.Length; i++)
        {
            var id = r.ReadString();
            var intervals = new int[r.ReadInt32()];
            for (var j = 0; j < intervals.Length; j++) intervals[j] = r.ReadInt32();
            key.Append(id).Append(':').AppendJoin(',', intervals).Append(';');
            zones[i] = new Zone(ScheduleRules.FindZone(id) ?? TimeZoneInfo.Utc, intervals, id);
        }
        var k = key.ToString();
        if (Shared.TryGetValue(k, out var shared)) return shared;
        var h = new OpenHours(zones, always: false);
        return Volatile.Read(ref s_shared) < 100_000 && Shared.TryAdd(k, h) && Interlocked.Increment(ref s_shared) > 0 ? h : Shared.GetValueOrDefault(k, h);
    }

    private static readonly OpenHours SharedAlways = new([], always: true);

    /// <summary>Whether the office or a phone line is open at <paramref name="now"/>.</summary>
    public bool IsOpenAt(DateTimeOffset now)
    {
        if (Always) return true;
        foreach (var z in _zones)
        {
            var minute = z.MinuteOfWeek(now);
            // Intervals are [start, end) pairs in ascending order: find the last start <= minute.
            var iv = z.Intervals;
            int lo = 0, hi = iv.Length / 2 - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (iv[2 * mid] <= minute) { found = mid; lo = mid + 1; } else hi = mid - 1;
            }
            if (found >= 0 && minute < iv[2 * found + 1]) return true;
        }
        return false;
    }

    private sealed class Zone(TimeZoneInfo zone, int[] intervals, string id)
    {
        public int[] Intervals { get; } = intervals;
        public string Id { get; } = id;
        // The last conversion, packed (UTC minute << 16 | minute of week): one conversion per zone per minute.
        private long _last = -1;

        public int MinuteOfWeek(DateTimeOffset now)
        {
            var utcMinute = now.UtcTicks / TimeSpan.TicksPerMinute;
            var last = Volatile.Read(ref _last);
            if (last >= 0 && last >> 16 == utcMinute) return (int)(last & 0xFFFF);
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var m = (int)local.DayOfWeek * 1440 + local.Hour * 60 + local.Minute;
            Volatile.Write(ref _last, utcMinute << 16 | (long)m);
            return m;
        }
    }
}
