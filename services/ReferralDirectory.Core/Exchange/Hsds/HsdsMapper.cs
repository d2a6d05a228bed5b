using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ReferralDirectory.Model;
using ReferralDirectory.Safety;

namespace ReferralDirectory.Exchange.Hsds;

/// <summary>HSDS ids are UUIDs. An id that already is one (e.g. from an HSDS import) is used as it is; any other
/// id gets a stable name-based UUID (RFC 9562 version 5 layout, SHA-1 of a name in this directory's namespace).</summary>
public static class HsdsIds
{
    public static string Of(string kind, string localId)
    {
        if (localId.Length == 36 && Guid.TryParseExact(localId, "D", out _)) return localId.ToLowerInvariant();
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes("referral-directory/hsds/" + kind + "/" + localId));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }

    public static string Organization(Listing l) => Of("organization", l.Id);
    // Service and location ids are unique within their listing; an imported HSDS UUID is kept as it is.
    public static string Service(Listing l, Service s) => Service(l.Id, s.Id);
    // A confidential location's ids derive from its public id (the listing and its place among the listing's
    // confidential locations), never from its own id: see ConfidentialLocationPolicy.
    public static string Location(Listing l, int index)
    {
        var loc = l.Locations[index];
        return !loc.Confidential && IsUuid(loc.Id) ? loc.Id.ToLowerInvariant() : Of("location", l.Id + "/" + ConfidentialLocationPolicy.PublicLocationId(l, index));
    }

    private static bool IsUuid(string s) => s.Length == 36 && Guid.TryParseExact(s, "D", out _);
    // A service at a location is named by the listing, the service and the location's place in the listing's list.
    public static string ServiceAtLocation(Listing l, Service s, int locationIndex) => ServiceAtLocation(l.Id, s.Id, locationIndex);
    public static string ServiceAtLocation(string listingId, string serviceId, int locationIndex) =>
        Of("service_at_location", listingId + "/" + serviceId + "/" + locationIndex.ToString(CultureInfo.InvariantCulture));
    public static string Service(string listingId, string serviceId) => IsUuid(serviceId) ? serviceId.ToLowerInvariant() : Of("service", listingId + "/" + serviceId);
    public static string Organization(string listingId) => Of("organization", listingId);
    public static string Address(Listing l, int locationIndex) => Of("address", l.Id + "/" + ConfidentialLocationPolicy.PublicLocationId(l, locationIndex));
}

/// <summary>This directory's vocabularies published as HSDS taxonomies and taxonomy terms.</summary>
public static class HsdsTaxonomies
{
    public sealed record Vocabulary(string Scheme, string Name, string Description, IReadOnlyList<CodeLabel> Codes, string LinkEntity);

    public static readonly IReadOnlyList<Vocabulary> All =
    [
        new(Model.Taxonomy.Scheme, "Referral Directory services", "Services for survivors of human trafficking (stable codes; GET /v1/taxonomy).", Model.Taxonomy.All, "service"),
        new("referral-directory-kinds", "Referral Directory listing kinds", "What kind of organization a listing is.", ListingKinds.All, "organization"),
        new("referral-directory-populations", "Referral Directory populations served", "Who the organization serves.", Populations.All, "organization"),
        new("referral-directory-trafficking-types", "Referral Directory trafficking types", "The forms of trafficking the organization serves.", TraffickingTypes.All, "organization"),
    ];

    public static HsdsTaxonomy Taxonomy(Vocabulary v) => new()
    {
        Id = HsdsIds.Of("taxonomy", v.Scheme), Name = v.Name, Description = v.Description, Version = "1",
    };

    public static HsdsTaxonomyTerm Term(Vocabulary v, CodeLabel c) => new()
    {
        Id = HsdsIds.Of("taxonomy_term", v.Scheme + ":" + c.Code), Code = c.Code, Name = c.Label, Description = c.Description ?? c.Label,
        Taxonomy = v.Scheme, TaxonomyId = HsdsIds.Of("taxonomy", v.Scheme), TaxonomyDetail = Taxonomy(v), Language = "en",
    };

    public static IEnumerable<HsdsTaxonomyTerm> AllTerms() => All.SelectMany(v => v.Codes.Select(c => Term(v, c)));

    public static Vocabulary? ByScheme(string? scheme) => All.FirstOrDefault(v => v.Scheme == scheme);
}

/// <summary>
/// Maps stored listings to HSDS 3.0 documents for the PUBLIC: a listing is an organization, each service an HSDS
/// service, each location an HSDS location. Locations are shown as <see cref="ConfidentialLocationPolicy"/> decides:
/// a confidential location has its county (region) and state only, empty street and postal code (HSDS requires the
/// fields), no town, no coordinates, no description or transportation notes, and ids derived from its public id.
/// </summary>
public static class HsdsMapper
{
    private static readonly string[] DayCodes = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

    public static HsdsOrganization Organization(Listing l, bool withServices)
    {
        var orgId = HsdsIds.Organization(l);
        return HsdsOverlay.Organization(l, new HsdsOrganization
        {
            Id = orgId, Name = l.Name, AlternateName = l.AlternateName, Description = l.Description,
            Email = l.Email, Website = l.Website,
            Phones = [.. l.Phones.Select((p, i) => Phone(l, p, i))],
            Locations = [.. l.Locations.Select((_, i) => Location(l, i))],
            Funding = l.Funding is { } f ? [new HsdsFunding { Id = HsdsIds.Of("funding", l.Id), Source = f.Program is null ? f.Funder : $"{f.Funder}: {f.Program}" }] : null,
            Attributes = [.. OrganizationAttributes(l, orgId)],
            Services = withServices ? [.. l.Services.Select(s => Service(l, s, nested: false))] : null,
            XReferralReadiness = l.Readiness is { StaffOnly: false } r ? Readiness(l, r) : null,
        });
    }

    /// <summary>The public <c>x_referral_readiness</c> extension (never called for staff-only readiness).</summary>
    public static HsdsReferralReadiness Readiness(Listing l, ReferralReadiness r) => new()
    {
        IntakeProtocol = r.IntakeProtocol, WarmTransfers = r.WarmTransfers, WarmTransferPhone = r.WarmTransferPhone,
        WarmTransferHours = r.WarmTransferHours is { } h
            ? new HsdsReadinessHours(h.TimeZone, h.Always, h.Always ? null : [.. h.Periods.Select(p => new HsdsReadinessPeriod(p.Day.ToString(),
                p.Opens.ToString("HH:mm", CultureInfo.InvariantCulture), p.Closes.ToString("HH:mm", CultureInfo.InvariantCulture)))])
            : null,
        AcceptingReferrals = l.AcceptingReferrals, CapacityNote = r.CapacityNote,
        CapacityAsOf = r.CapacityAsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), EligibilityNotes = r.EligibilityNotes,
    };

    public static HsdsService Service(Listing l, Service s, bool nested)
    {
        var id = HsdsIds.Service(l, s);
        var zone = l.Hours is { } h ? Offset(h.TimeZone) : null;
        // What an import kept applies to the service as listed (without nested locations and organization); nesting follows.
        var service = HsdsOverlay.Service(l, s, new HsdsService
        {
            Id = id, OrganizationId = HsdsIds.Organization(l), Name = s.Name, AlternateName = s.AlternateName, Description = s.Description,
            Url = s.Url, Email = s.Email, Status = s.Status ?? "active",
            InterpretationServices = l.InterpretationAvailable ? "Interpretation into any language is available." : null,
            ApplicationProcess = s.ApplicationProcess,
            FeesDescription = s.FeesDescription ?? (l.FreeOfCharge ? "Free of charge." : null),
            EligibilityDescription = s.EligibilityDescription ?? l.EligibilityNotes,
            MinimumAge = s.MinimumAge, MaximumAge = s.MaximumAge,
            AssuredDate = l.LastVerified?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Schedules = l.Hours is { } hours ? [.. Schedules(hours, id, zone)] : [],
            ServiceAreas = [.. l.ServiceAreas.Select((a, i) => ServiceArea(l, a, i, id))],
            Languages = [.. l.Languages.Select(c => Language(c, "service/" + id))],
            Attributes = [.. s.TaxonomyCodes.Select(c => Attribute(HsdsTaxonomies.All[0], c, id, "service")).OfType<HsdsAttribute>()],
            ServiceAtLocations = [.. l.Locations.Select((_, i) => new HsdsServiceAtLocation
            {
                Id = HsdsIds.ServiceAtLocation(l, s, i), ServiceId = id, LocationId = HsdsIds.Location(l, i),
                Location = null,
            })],
        });
        if (!nested) return service;
        return service with
        {
            ServiceAtLocations = service.ServiceAtLocations?.Select(x => x.Location is null && LocationIndex(l, x.LocationId) is var i and >= 0 ? x with { Location = Location(l, i) } : x).ToList(),
            Organization = Organization(l, withServices: false),
        };
    }

    private static int LocationIndex(Listing l, string? hsdsLocationId)
    {
        for (var i = 0; i < l.Locations.Count; i++) if (HsdsIds.Location(l, i) == hsdsLocationId) return i;
        return -1;
    }

    /// <summary>A service's own fields only (no nested arrays or objects) with <paramref name="lastModified"/>: HSDS's minimal answer.</summary>
    public static HsdsService MinimalService(Listing l, Service s, DateTimeOffset? lastModified) => Service(l, s, nested: false) with
    {
        Schedules = null,
        ServiceAreas = null,
        Languages = null,
        Attributes = null,
        ServiceAtLocations = null,
        Phones = null,
        Organization = null,
        Extra = Own(Service(l, s, nested: false).Extra),
        LastModified = lastModified?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, System.Text.Json.JsonElement>? Own(Dictionary<string, System.Text.Json.JsonElement>? extra) =>
        extra?.Where(kv => kv.Value.ValueKind is not System.Text.Json.JsonValueKind.Array and not System.Text.Json.JsonValueKind.Object).ToDictionary();

    public static HsdsServiceAtLocation ServiceAtLocation(Listing l, Service s, int locationIndex, bool full = false) => new()
    {
        Id = HsdsIds.ServiceAtLocation(l, s, locationIndex), ServiceId = HsdsIds.Service(l, s), LocationId = HsdsIds.Location(l, locationIndex),
        Description = s.Description, Location = Location(l, locationIndex), Service = Service(l, s, nested: full),
    };

    public static HsdsLocation Location(Listing l, int index) => Location(l, index, ConfidentialLocationPolicy.Default);

    /// <summary>Location number <paramref name="index"/> of <paramref name="l"/> as the public sees it.</summary>
    public static HsdsLocation Location(Listing l, int index, ConfidentialLocationPolicy policy)
    {
        var id = HsdsIds.Location(l, index);
        var v = policy.View(l, index);
        var hasAddress = v.Confidential ? v.State is not null : l.Locations[index].Address is not null;
        return HsdsOverlay.Location(l, index, new HsdsLocation
        {
            Id = id, LocationType = "physical", OrganizationId = HsdsIds.Organization(l), Name = v.Name,
            Description = v.Confidential ? "The address of this location is kept confidential for the safety of the people it serves." : v.Description,
            Transportation = v.Transportation,
            Latitude = v.Latitude, Longitude = v.Longitude,
            Addresses = !hasAddress ? [] :
            [
                new HsdsAddress
                {
                    Id = HsdsIds.Address(l, index), LocationId = id, Address1 = v.Street1 ?? "", Address2 = v.Street2,
                    // HSDS requires a city: a confidential location's is left empty (its town would locate it).
                    City = v.Town ?? "", Region = v.County, StateProvince = v.State ?? "", PostalCode = v.PostalCode ?? "", Country = v.Country,
                },
            ],
        });
    }

    public static HsdsPhone Phone(Listing l, Phone p, int index) => new()
    {
        Id = HsdsIds.Of("phone", l.Id + "/" + index.ToString(CultureInfo.InvariantCulture)),
        Number = p.Number, Extension = p.Extension, Type = p.Type, Description = p.Description,
        Languages = [.. p.Languages.Select(c => Language(c, "phone/" + l.Id + "/" + index.ToString(CultureInfo.InvariantCulture)))],
    };

    public static HsdsLanguage Language(string code, string owner) => new()
    {
        Id = HsdsIds.Of("language", owner + "/" + code), Code = code, Name = LanguageName(code),
    };

    private static string? LanguageName(string code)
    {
        try
        {
            var c = CultureInfo.GetCultureInfo(code);
            return string.IsNullOrEmpty(c.EnglishName) || c.EnglishName.StartsWith("Unknown", StringComparison.Ordinal) || c.EnglishName == code ? null : c.EnglishName;
        }
        catch (CultureNotFoundException) { return null; }
    }

    public static HsdsServiceArea ServiceArea(Listing l, ServiceArea a, int index, string serviceId) => new()
    {
        Id = HsdsIds.Of("service_area", l.Id + "/" + index.ToString(CultureInfo.InvariantCulture)), ServiceId = serviceId,
        Name = a.Name ?? a.Code ?? a.Type,
        Description = a.Type switch
        {
            ServiceAreaTypes.Nationwide => "The whole United States.",
            ServiceAreaTypes.State => $"The state {a.Name ?? a.Code}.",
            ServiceAreaTypes.County => $"The county {a.Name ?? a.Code} (FIPS {a.Code}).",
            _ => "A drawn area.",
        },
        // extent: a GeoJSON polygon as is; otherwise a text key this directory reads back (nationwide, state:MO, county:29019).
        ExtentType = a.Type == ServiceAreaTypes.Polygon ? "geojson" : "text",
        Extent = a.Type switch
        {
            ServiceAreaTypes.Polygon => a.GeoJson,
            ServiceAreaTypes.Nationwide => "nationwide",
            _ => $"{a.Type}:{a.Code}",
        },
    };

    /// <summary>A weekly schedule as HSDS schedules: one per group of days with the same hours (RRULE-style
    /// freq WEEKLY + byday), or one covering every day, 00:00 to 23:59, for 24/7.</summary>
    public static IEnumerable<HsdsSchedule> Schedules(Schedule h, string serviceId, double? offset)
    {
        if (h.Always)
        {
            yield return new HsdsSchedule
            {
                Id = HsdsIds.Of("schedule", serviceId + "/always"), ServiceId = serviceId, Timezone = offset, Freq = "WEEKLY", Interval = 1,
                Byday = "MO,TU,WE,TH,FR,SA,SU", OpensAt = "00:00", ClosesAt = "23:59", Description = "Open 24 hours a day, 7 days a week.", Notes = h.Notes,
            };
            yield break;
        }
        foreach (var g in h.Periods.GroupBy(p => (p.Opens, p.Closes)).OrderBy(g => g.Key.Opens))
        {
            var days = string.Join(',', g.Select(p => p.Day).Distinct().OrderBy(d => ((int)d + 6) % 7).Select(d => DayCodes[(int)d]));
            yield return new HsdsSchedule
            {
                Id = HsdsIds.Of("schedule", serviceId + "/" + days + "/" + g.Key.Opens.ToString("HH:mm", CultureInfo.InvariantCulture)),
                ServiceId = serviceId, Timezone = offset, Freq = "WEEKLY", Interval = 1, Byday = days,
                OpensAt = g.Key.Opens.ToString("HH:mm", CultureInfo.InvariantCulture), ClosesAt = g.Key.Closes.ToString("HH:mm", CultureInfo.InvariantCulture),
                Notes = h.Notes,
            };
        }
    }

    /// <summary>The standard (winter) UTC offset of an IANA zone, in hours.</summary>
    public static double? Offset(string timeZone) => ScheduleRules.FindZone(timeZone) is { } z ? z.BaseUtcOffset.TotalHours : null;

    private static IEnumerable<HsdsAttribute> OrganizationAttributes(Listing l, string orgId)
    {
        var v = HsdsTaxonomies.All;
        if (Attribute(v[1], l.Kind, orgId, "organization") is { } kind) yield return kind;
        foreach (var p in l.Populations) if (Attribute(v[2], p, orgId, "organization") is { } a) yield return a;
        foreach (var t in l.TraffickingTypes) if (Attribute(v[3], t, orgId, "organization") is { } a) yield return a;
    }

    private static HsdsAttribute? Attribute(HsdsTaxonomies.Vocabulary v, string code, string linkId, string entity)
    {
        var c = v.Codes.FirstOrDefault(x => x.Code == code);
        if (c is null) return null;
        var term = HsdsTaxonomies.Term(v, c);
        return new HsdsAttribute
        {
            Id = HsdsIds.Of("attribute", linkId + "/" + term.Id), LinkId = linkId, TaxonomyTermId = term.Id,
            LinkType = v.Scheme, LinkEntity = entity, Value = c.Code, TaxonomyTerm = term,
        };
    }
}
