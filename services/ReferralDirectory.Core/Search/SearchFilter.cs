using ReferralDirectory.Model;

namespace ReferralDirectory.Search;

/// <summary>
/// Filters shared by every search. Services and kinds match ANY of the given codes; populations, trafficking
/// types and languages must ALL be served. Empty means no filter.
/// </summary>
public sealed record SearchFilter
{
    public IReadOnlyList<string> Services { get; init; } = [];
    public IReadOnlyList<string> Kinds { get; init; } = [];
    public IReadOnlyList<string> Populations { get; init; } = [];
    public IReadOnlyList<string> TraffickingTypes { get; init; } = [];
    public IReadOnlyList<string> Languages { get; init; } = [];
    public bool OpenNow { get; init; }
    public bool Only24x7 { get; init; }
    public bool FreeOfCharge { get; init; }
    public bool AcceptingReferrals { get; init; }

    public static readonly SearchFilter None = new();

    /// <summary>A canonical text of the filter (cache keys: the same filter, the same key).</summary>
    public string Key => string.Join('|',
        string.Join(',', Services.Order(StringComparer.Ordinal)), string.Join(',', Kinds.Order(StringComparer.Ordinal)),
        string.Join(',', Populations.Order(StringComparer.Ordinal)), string.Join(',', TraffickingTypes.Order(StringComparer.Ordinal)),
        string.Join(',', Languages.Order(StringComparer.Ordinal)), OpenNow ? "o" : "", Only24x7 ? "a" : "", FreeOfCharge ? "f" : "", AcceptingReferrals ? "r" : "");
}

/// <summary>A filter compiled to bit masks for one index snapshot.</summary>
internal readonly struct CompiledFilter
{
    public readonly ulong ServiceAny;
    public readonly uint KindAny;
    public readonly uint AttrAll;
    public readonly uint PopulationAll;
    public readonly ulong LanguageAll;
    public readonly string[]? ExactLanguages;
    public readonly bool OpenNow;
    public readonly DateTimeOffset Now;

    public CompiledFilter(SearchFilter f, DateTimeOffset now)
    {
        ServiceAny = f.Services.Count == 0 ? 0 : Taxonomy.Mask(f.Services);
        uint kinds = 0;
        for (var i = 0; i < f.Kinds.Count; i++) kinds |= 1u << ListingKinds.Ordinal(f.Kinds[i]);
        KindAny = kinds;
        uint attr = f.TraffickingTypes.Count == 0 ? 0 : TraffickingTypesMaskToAttr(Model.TraffickingTypes.Mask(f.TraffickingTypes));
        if (f.Only24x7) attr |= IndexedListing.Flag24x7;
        if (f.FreeOfCharge) attr |= IndexedListing.FlagFree;
        if (f.AcceptingReferrals) attr |= IndexedListing.FlagAccepting;
        AttrAll = attr;
        PopulationAll = f.Populations.Count == 0 ? 0 : Model.Populations.Mask(f.Populations);
        if (f.Languages.Count == 0)
        {
            LanguageAll = 0;
            ExactLanguages = null;
        }
        else
        {
            var langs = f.Languages.Select(LanguageBits.Normalize).Distinct().ToArray();
            LanguageAll = LanguageBits.MaskOf(langs, interpretation: false);
            ExactLanguages = langs;
        }
        OpenNow = f.OpenNow;
        Now = now;
    }

    private static uint TraffickingTypesMaskToAttr(uint t) => t << IndexedListing.TraffickingShift;

    /// <summary>True when a subtree whose OR-aggregates are given may hold a match.</summary>
    public bool MayMatch(ulong svcOr, uint attrOr, uint popOr, ulong langOr) =>
        (ServiceAny == 0 || (svcOr & ServiceAny) != 0)
        && (KindAny == 0 || (attrOr & KindAny) != 0)
        && (attrOr & AttrAll) == AttrAll
        && (popOr & PopulationAll) == PopulationAll
        && (langOr & LanguageAll) == LanguageAll;

    public bool Matches(IndexedListing e)
    {
        if (!MayMatch(e.Services, e.Attributes, e.Populations, e.LanguageMask)) return false;
        if (ExactLanguages is not null && !e.SpeaksAll(ExactLanguages)) return false;
        if (OpenNow && !e.IsOpenAt(Now)) return false;
        return true;
    }
}
