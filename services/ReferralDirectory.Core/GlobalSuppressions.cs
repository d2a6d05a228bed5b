using System.Diagnostics.CodeAnalysis;

// Each suppression names its reason: the rule is right in general and wrong here.
[assembly: SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "HSDS 3.0 names this entity 'attribute'; the type mirrors the schema.",
    Scope = "type", Target = "~T:ReferralDirectory.Exchange.Hsds.HsdsAttribute")]
[assembly: SuppressMessage("Security", "CA5350:Do not use weak cryptographic algorithms", Justification = "RFC 9562 name-based UUIDs (version 5) are defined with SHA-1; the hash only spreads ids, it protects nothing.",
    Scope = "member", Target = "~M:ReferralDirectory.Exchange.Hsds.HsdsIds.Of(System.String,System.String)~System.String")]
