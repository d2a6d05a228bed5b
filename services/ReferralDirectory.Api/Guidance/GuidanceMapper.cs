using ReferralDirectory.Geo;
using ReferralDirectory.Guidance;

namespace ReferralDirectory.Api.Guidance;

/// <summary>Renders the stored guidance (both languages) as one language's answer. The answers never change while
/// the service runs, so each is rendered once.</summary>
public sealed class GuidanceMapper
{
    private readonly GuidanceLibrary _library;
    private readonly Dictionary<string, GuidanceResponse> _guidance;
    private readonly Dictionary<(string State, string Language), StateProfileResponse> _profiles;

    public GuidanceMapper(GuidanceLibrary library)
    {
        _library = library;
        _guidance = GuidanceLanguages.All.ToDictionary(l => l, Guidance);
        _profiles = library.Data.StateProfiles.SelectMany(p => GuidanceLanguages.All.Select(l => (p, l)))
            .ToDictionary(x => (x.p.State, x.l), x => Profile(x.p, x.l));
    }

    public GuidanceResponse GuidanceIn(string language) => _guidance[language];

    /// <summary>Codes of the states that have a profile.</summary>
    public IReadOnlyList<string> StatesWithProfiles => [.. _library.Data.StateProfiles.Select(p => p.State).Order(StringComparer.Ordinal)];

    public StateProfileResponse? ProfileIn(string state, string language) => _profiles.GetValueOrDefault((state.ToUpperInvariant(), language));

    public GuidanceHotlineDto NationalHotlineIn(string language) => Hotline(_library.Data.Hotlines.First(h => h.Coverage == "nationwide"), language);

    public GuidanceEmergencyDto EmergencyIn(string language) => new(_library.Data.Emergency.Number, _library.Data.Emergency.Message.In(language));

    private GuidanceResponse Guidance(string l)
    {
        var d = _library.Data;
        var used = new HashSet<string>(StringComparer.Ordinal) { d.Emergency.Source };
        var topics = d.Topics.Select(t => new GuidanceTopicDto(t.Id, t.Title.In(l), t.Summary?.In(l),
            [.. t.Sections.Select(s => new GuidanceSectionDto(s.Id, s.Title.In(l), s.Intro?.In(l),
                [.. s.Items.Select(i =>
                {
                    var source = _library.Source(i.Source ?? s.Source);
                    used.Add(source.Id);
                    return new GuidanceItemDto(i.Id, i.Text.In(l), Phones(i.Phones, l), source.Id, source.AsOf, i.Correction?.In(l));
                })],
                s.Note?.In(l)))])).ToList();
        var hotlines = d.Hotlines.Select(h => Hotline(h, l)).ToList();
        used.UnionWith(d.Hotlines.Select(h => h.Source));
        return new GuidanceResponse(l, d.Scope.In(l), topics, hotlines, EmergencyIn(l), Sources(used, l));
    }

    private StateProfileResponse Profile(StateProfile p, string l)
    {
        var main = _library.Source(p.Source);
        var used = new HashSet<string>(StringComparer.Ordinal) { main.Id, _library.Data.Emergency.Source };
        GuidanceSource Use(string id) { used.Add(id); return _library.Source(id); }
        ProfileEntryDto Entry(ProfileEntry e) => new(e.Name, e.Description?.In(l), main.Id, main.AsOf);
        ProfileLinkDto Link(ProfileLink k) => new(k.Text.In(l), k.Url, k.Correction?.In(l), main.Id, main.AsOf);
        var h = p.Headings;
        var hotlines = p.Hotlines.Select(id => _library.Hotline(id)).ToList();
        foreach (var x in hotlines) used.Add(x.Source);
        return new StateProfileResponse(
            l, p.State, UsStates.ByCode(p.State)!.Name, p.Title.In(l), p.Summary.In(l), main.Id, main.AsOf,
            new StateProfileHeadingsDto(h.Statistics.In(l), h.TopVenues.In(l), h.Laws.In(l), h.Collaborations.In(l), h.Resources.In(l), h.Funding.In(l), h.Campaigns.In(l), h.Hotlines.In(l)),
            [.. p.Statistics.Select(g =>
            {
                var s = Use(g.Source);
                return new StatisticGroupDto(g.Id, g.Scope, g.Title.In(l), new ReportingPeriodDto(g.Period.From, g.Period.To),
                    [.. g.Figures.Select(f => new StatisticDto(f.Id, f.Value, f.Label.In(l), f.Text.In(l)))], [.. g.Notes.Select(n => n.In(l))], s.Id, s.AsOf);
            })],
            [.. p.TopVenues.Select(v => new VenueListDto(v.Id, v.Title.In(l), new ReportingPeriodDto(v.Period.From, v.Period.To),
                [.. v.Venues.Select(x => new VenueDto(x.Rank, x.Name.In(l)))], main.Id, main.AsOf))],
            [.. p.Laws.Select(x => new StateLawDto(x.Statute, x.Title.In(l), x.OfficialTitle, main.Id, main.AsOf))],
            Link(p.ReferralDirectory), Link(p.MoreStatistics),
            [.. p.Collaborations.Select(Entry)], [.. p.Resources.Select(Entry)], [.. p.Funding.Select(Entry)], [.. p.Campaigns.Select(Entry)],
            [.. hotlines.Select(x => Hotline(x, l))],
            EmergencyIn(l),
            Sources(used, l));
    }

    private GuidanceHotlineDto Hotline(GuidanceHotline h, string l)
    {
        var source = _library.Source(h.Source);
        return new GuidanceHotlineDto(h.Id, h.Name, h.Description.In(l), Phones(h.Phones, l), h.Is24x7, h.Coverage, source.Id, source.AsOf);
    }

    private static List<GuidancePhoneDto> Phones(IEnumerable<GuidancePhone> phones, string l) =>
        [.. phones.Select(p => new GuidancePhoneDto(p.Number, p.Type, PhoneLinks.For(p.Number, p.Type), p.Label?.In(l)))];

    private List<GuidanceSourceDto> Sources(HashSet<string> used, string l) =>
        [.. _library.Data.Sources.Where(s => used.Contains(s.Id))
            .Select(s => new GuidanceSourceDto(s.Id, s.Title, s.Publisher, s.Url, s.AsOf, GuidanceLanguages.English, s.About.In(l)))];
}
