namespace ReferralDirectory.Model;

public static class ScheduleRules
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo?> Zones = new();

    public static TimeZoneInfo? FindZone(string id) => Zones.GetOrAdd(id, static z =>
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(z); }
        catch (TimeZoneNotFoundException) { return null; }
        catch (InvalidTimeZoneException) { return null; }
    });

    /// <summary>Whether the schedule is open at the instant <paramref name="now"/>.</summary>
    public static bool IsOpenAt(this Schedule schedule, DateTimeOffset now)
    {
        if (schedule.Always) return true;
        var zone = FindZone(schedule.TimeZone);
        if (zone is null) return false;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = local.DayOfWeek;
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        var yesterday = (DayOfWeek)(((int)day + 6) % 7);
        foreach (var p in schedule.Periods)
        {
            var overnight = p.Closes <= p.Opens;
            if (p.Day == day && time >= p.Opens && (overnight || time < p.Closes)) return true;
            if (overnight && p.Day == yesterday && time < p.Closes) return true;
        }
        return false;
    }

    public static bool Is24x7(this Listing l) =>
        l.Hours?.Always == true || l.Phones.Any(p => p.Hours?.Always == true);

    /// <summary>Open now: the office, or any phone line, is open.</summary>
    public static bool IsOpenAt(this Listing l, DateTimeOffset now) =>
        (l.Hours is { } h && h.IsOpenAt(now)) || l.Phones.Any(p => p.Hours is { } ph && ph.IsOpenAt(now));
}
