using ReferralDirectory.Geo;

namespace ReferralDirectory.Places;

/// <summary>The gazetteer answers the search index's boundary questions.</summary>
public sealed partial class Gazetteer : IBoundaryProvider
{
    // StateCodesCovering and CountyFipsCovering are the gazetteer's own lookups.
}
