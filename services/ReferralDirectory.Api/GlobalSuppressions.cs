using System.Diagnostics.CodeAnalysis;

// Each suppression names its reason: the rule is right in general and wrong here.
[assembly: SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "RFC 7946 names this object a FeatureCollection; the type mirrors it.",
    Scope = "type", Target = "~T:ReferralDirectory.Api.Contracts.GeoJsonFeatureCollection")]
[assembly: SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A GeoJSON FeatureCollection of outlines (RFC 7946's name).",
    Scope = "type", Target = "~T:ReferralDirectory.Api.Maps.OutlineCollection")]
