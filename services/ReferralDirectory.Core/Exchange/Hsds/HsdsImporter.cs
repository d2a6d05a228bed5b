using System.Globalization;
using System.Text.Json;
using ReferralDirectory.Geo;
using ReferralDirectory.Model;

namespace ReferralDirectory.Exchange.Hsds;

/// <summary>The outcome of reading one HSDS document: the listing (null when the document has errors), the errors,
/// and warnings about parts this directory could not keep (e.g. a location without valid coordinates).</summary>
public sealed record HsdsImportResult(Listing? Listing, IReadOnlyList<HsdsProblem> Errors, IReadOnlyList<HsdsProblem> Warnings);

/// <summary>
/// Reads Open Referral HSDS 3.0 documents into listings: an organization document (with nested services,
/// locations, phones...) or a service document with its nested organization. Each document is first validated
/// against the HSDS JSON schemas (<see cref="HsdsSchemaValidator"/>). Ids are kept (HSDS UUIDs are valid directory
/// ids) and the organization id becomes the listing's external id, so importing again updates the same listing.
/// Writing the listings is the caller's business (DirectoryService), as for the CSV import.
/// </summary>
public sealed class HsdsImporter(HsdsSchemaValidator? validator = null)
{
    private readonly HsdsSchemaValidator _validator = validator ?? HsdsSchemaValidator.Default;

    /// <summary>Listing kind when the document does not say (no referral-directory-kinds attribute).</summary>
    public string DefaultKind { get; init; } = ListingKinds.VictimServiceAgency;

    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    public HsdsImportResult ImportOrganization(string json) => Parse(json, doc => ImportOrganization(doc));

    public HsdsImportResult ImportService(string json) => Parse(json, doc => ImportService(doc));

    /// <summary>An organization document, or a service document that nests its organization, parsed once. A document
    /// of another HSDS type (service_at_location, location, taxonomy, taxonomy_term) is refused with a message that names
    /// the type found (<see cref="HsdsDocumentType"/>), not validated as an organization.</summary>
    public HsdsImportResult ImportDocument(string json) => Parse(json, doc => HsdsDocumentType.Of(doc) switch
    {
        // Not an object: validated as an organization, whose schema reports what it is instead (as before types were told).
        null or HsdsDocumentType.Organization => ImportOrganization(doc),
        HsdsDocumentType.Service => ImportService(doc),
        var other => Fail("$", $"This is {HsdsDocumentType.Describe(other)}. This import takes HSDS organization documents, or service documents " +
            "that nest their organization (one, a list, or a page of them)."),
    });

    private static HsdsImportResult Parse(string json, Func<JsonElement, HsdsImportResult> import)
    {
        if (json.Length > MaxDocumentBytes) return Fail("$", $"The document is larger than {MaxDocumentBytes / 1024 / 1024} MB.");
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return import(doc.RootElement);
        }
        catch (JsonException e)
        {
            return Fail("$", $"Not valid JSON (line {e.LineNumber + 1}).");
        }
    }

    private static HsdsImportResult Fail(string path, string message) => new(null, [new HsdsProblem(path, message)], []);

    public HsdsImportResult ImportOrganization(JsonElement doc)
    {
        var errors = _validator.Validate(doc, "organization").ToList();
        if (doc.ValueKind == JsonValueKind.Object && doc.TryGetProperty("services", out var services) && services.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var s in services.EnumerateArray())
            {
                var at = $"$.services[{i++}]";
                errors.AddRange(_validator.Validate(s, "service").Select(p => p with { Path = at + p.Path[1..] }));
            }
        }
        if (errors.Count > 0) return new(null, errors, []);
        var org = Deserialize<HsdsOrganization>(doc, out var error);
        if (org is null) return Fail("$", error!);
        var serviceDocs = doc.TryGetProperty("services", out var sd) && sd.ValueKind == JsonValueKind.Array ? sd.EnumerateArray().ToList() : [];
        return Keep(Map(org, org.Services ?? [], "$"), doc, serviceDocs);
    }

    /// <summary>What the model does not hold of the documents, kept with the listing (<see cref="HsdsOverlay"/>).</summary>
    private static HsdsImportResult Keep(HsdsImportResult r, JsonElement organization, IReadOnlyList<JsonElement> services) =>
        r.Listing is { } l ? r with { Listing = l with { HsdsData = HsdsOverlay.Compute(l, organization, services) } } : r;

    public HsdsImportResult ImportService(JsonElement doc)
    {
        var errors = _validator.Validate(doc, "service").ToList();
        if (errors.Count > 0) return new(null, errors, []);
        var service = Deserialize<HsdsService>(doc, out var error);
        if (service is null) return Fail("$", error!);
        if (service.Organization is not { } org) return Fail("$.organization", "A service document must nest its organization to be imported.");
        return Keep(Map(org, [service with { Organization = null }], "$.organization"), doc.GetProperty("organization"), [doc]);
    }

    private static T? Deserialize<T>(JsonElement doc, out string? error) where T : class
    {
        try
        {
            error = null;
            return doc.Deserialize<T>(HsdsJson.Options);
        }
        catch (JsonException e)
        {
            error = $"Unexpected value at {e.Path ?? "$"}.";
            return null;
        }
    }

    private HsdsImportResult Map(HsdsOrganization org, List<HsdsService> services, string orgPath)
    {
        var errors = new List<HsdsProblem>();
        var warnings = new List<HsdsProblem>();
        var id = org.Id.ToLowerInvariant();

        // Organization attributes: kind, populations, trafficking types (this directory's taxonomies).
        string? kind = null;
        var populations = new List<string>();
        var traffickingTypes = new List<string>();
        foreach (var (a, i) in (org.Attributes ?? []).Select((a, i) => (a, i)))
        {
            var (scheme, code) = TermOf(a);
            switch (scheme)
            {
                case "referral-directory-kinds" when ListingKinds.IsKnown(code!): kind = code; break;
                case "referral-directory-populations" when Populations.IsKnown(code!): populations.Add(code!); break;
                case "referral-directory-trafficking-types" when TraffickingTypes.IsKnown(code!): traffickingTypes.Add(code!); break;
                default: warnings.Add(new($"{orgPath}.attributes[{i}]", $"Attribute '{Shown(code ?? a.Value)}' is not part of this directory's vocabularies: kept as HSDS data (returned in exports), not used in search.")); break;
            }
        }
        if (kind is null) warnings.Add(new($"{orgPath}.attributes", $"No listing kind given; imported as {DefaultKind}."));

        var phones = new List<Phone>();
        foreach (var (p, i) in (org.Phones ?? []).Select((p, i) => (p, i))) phones.Add(Phone(p, $"{orgPath}.phones[{i}]", warnings));

        var locations = new List<Location>();
        foreach (var (loc, i) in (org.Locations ?? []).Select((l, i) => (l, i)))
            if (Location(loc, $"{orgPath}.locations[{i}]", warnings) is { } l) locations.Add(l);

        var modelServices = new List<Service>();
        var areas = new List<ServiceArea>();
        var languages = new List<string>();
        Schedule? hours = null;
        DateOnly? verified = null;
        var interpretation = false;
        for (var si = 0; si < services.Count; si++)
        {
            var s = services[si];
            var path = orgPath == "$" ? $"$.services[{si}]" : "$";
            Check(errors, $"{path}.email", s.Email, FieldRules.IsEmail, FieldRules.EmailHint);
            Check(errors, $"{path}.url", s.Url, FieldRules.IsHttpUrl, FieldRules.UrlHint);
            var codes = new List<string>();
            foreach (var (a, i) in (s.Attributes ?? []).Select((a, i) => (a, i)))
            {
                var (scheme, code) = TermOf(a);
                if (code is not null && (scheme == Model.Taxonomy.Scheme || scheme is null) && Model.Taxonomy.IsKnown(code)) codes.Add(code);
                else warnings.Add(new($"{path}.attributes[{i}]", $"Taxonomy term '{Shown(code ?? a.Value)}' is not one of this directory's service codes: kept as HSDS data (returned in exports), not used in search."));
            }
            modelServices.Add(new Service
            {
                Id = s.Id.ToLowerInvariant(), Name = s.Name, Description = s.Description, TaxonomyCodes = [.. codes.Distinct()],
                AlternateName = s.AlternateName, Url = s.Url, Email = s.Email, Status = s.Status == "active" ? null : s.Status,
                ApplicationProcess = s.ApplicationProcess, FeesDescription = s.FeesDescription, EligibilityDescription = s.EligibilityDescription,
                MinimumAge = Age(s.MinimumAge), MaximumAge = Age(s.MaximumAge),
            });
            if (!string.IsNullOrWhiteSpace(s.InterpretationServices)) interpretation = true;
            foreach (var (a, i) in (s.ServiceAreas ?? []).Select((a, i) => (a, i)))
                if (ServiceArea(a, $"{path}.service_areas[{i}]", warnings) is { } area && !areas.Any(x => x.Type == area.Type && x.Code == area.Code && x.GeoJson == area.GeoJson)) areas.Add(area);
            foreach (var l in s.Languages ?? []) if (l.Code is { Length: > 0 } c && !languages.Contains(c.ToLowerInvariant())) languages.Add(c.ToLowerInvariant());
            if (hours is null && s.Schedules is { Count: > 0 } schedules) hours = Schedule(schedules, $"{path}.schedules", warnings);
            if (s.AssuredDate is { } ad && DateOnly.TryParseExact(ad, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && (verified is null || d > verified)) verified = d;
            foreach (var (p, i) in (s.Phones ?? []).Select((p, i) => (p, i)))
                if (!phones.Any(x => x.Number == p.Number)) phones.Add(Phone(p, $"{path}.phones[{i}]", warnings));
        }

        if (!FieldRules.IsId(id)) errors.Add(new($"{orgPath}.id", "The id must be a UUID."));
        Check(errors, $"{orgPath}.email", org.Email, FieldRules.IsEmail, FieldRules.EmailHint);
        Check(errors, $"{orgPath}.website", org.Website, FieldRules.IsHttpUrl, FieldRules.UrlHint);
        var readiness = org.XReferralReadiness is { } xr ? Readiness(xr, $"{orgPath}.x_referral_readiness", errors) : null;
        if (errors.Count > 0) return new(null, errors, warnings);
        var listing = new Listing
        {
            Id = id, ExternalId = id, Kind = kind ?? DefaultKind, Name = org.Name, AlternateName = org.AlternateName,
            Description = org.Description, Email = org.Email, Website = org.Website,
            Services = modelServices, Locations = locations, ServiceAreas = areas, Phones = phones, Hours = hours,
            Languages = languages, InterpretationAvailable = interpretation, Populations = populations, TraffickingTypes = traffickingTypes,
            LastVerified = verified,
            Readiness = readiness,
            AcceptingReferrals = org.XReferralReadiness?.AcceptingReferrals ?? true,
        };
        return new(listing, [], warnings);
    }

    /// <summary>
    /// The listing rules every entrance applies (<see cref="FieldRules"/>): an address a user may click must be one.
    /// (Phone numbers are kept as a feed publishes them: feeds, the official examples among them, carry numbers in every format.)
    /// </summary>
    private static void Check(List<HsdsProblem> errors, string path, string? value, Func<string, bool> rule, string hint)
    {
        if (!string.IsNullOrWhiteSpace(value) && !rule(value.Trim())) errors.Add(new(path, hint));
    }

    /// <summary>The <c>x_referral_readiness</c> extension; imported readiness is public (HSDS exports carry public readiness only).</summary>
    private static ReferralReadiness Readiness(HsdsReferralReadiness r, string path, List<HsdsProblem> errors)
    {
        string? Text(string field, string? v, int max)
        {
            v = v?.Trim();
            if (string.IsNullOrEmpty(v)) return null;
            if (v.Length > max) { errors.Add(new($"{path}.{field}", $"At most {max} characters.")); return null; }
            return v;
        }
        var phone = Text("warm_transfer_phone", r.WarmTransferPhone, 40);
        if (phone is not null && !FieldRules.IsPhoneNumber(phone)) errors.Add(new($"{path}.warm_transfer_phone", FieldRules.PhoneHint));
        DateOnly? asOf = null;
        if (Text("capacity_as_of", r.CapacityAsOf, 10) is { } d)
        {
            if (DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dd)) asOf = dd;
            else errors.Add(new($"{path}.capacity_as_of", "Must be a date as yyyy-MM-dd."));
        }
        Schedule? hours = null;
        if (r.WarmTransferHours is { } h)
        {
            if (ScheduleRules.FindZone(h.TimeZone) is null) errors.Add(new($"{path}.warm_transfer_hours.time_zone", "Unknown time zone; use an IANA name such as America/Chicago."));
            var periods = new List<OpeningPeriod>();
            foreach (var (p, i) in (h.Periods ?? []).Select((p, i) => (p, i)))
            {
                if (Enum.TryParse<DayOfWeek>(p.Day, ignoreCase: true, out var day) && Enum.IsDefined(day) && !int.TryParse(p.Day, out _)
                    && TimeOnly.TryParseExact(p.Opens, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)
                    && TimeOnly.TryParseExact(p.Closes, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes))
                    periods.Add(new OpeningPeriod(day, opens, closes));
                else errors.Add(new($"{path}.warm_transfer_hours.periods[{i}]", "Must be a day name such as Monday and times as HH:mm."));
            }
            hours = new Schedule { TimeZone = h.TimeZone, Always = h.Always, Periods = periods };
        }
        return new ReferralReadiness
        {
            IntakeProtocol = Text("intake_protocol", r.IntakeProtocol, 4000), WarmTransfers = r.WarmTransfers, WarmTransferPhone = phone,
            WarmTransferHours = hours, CapacityNote = Text("capacity_note", r.CapacityNote, 500), CapacityAsOf = asOf,
            EligibilityNotes = Text("eligibility_notes", r.EligibilityNotes, 2000), StaffOnly = false,
        };
    }

    private static string Shown(string? s) => s is null ? "" : s.Length > 60 ? s[..60] + "…" : s;

    private static int? Age(double? a) => a is { } v && double.IsFinite(v) && v is >= 0 and <= 130 ? (int)Math.Round(v) : null;

    private static (string? Scheme, string? Code) TermOf(HsdsAttribute a)
    {
        var t = a.TaxonomyTerm;
        var code = t?.Code ?? a.Value;
        var scheme = t?.Taxonomy ?? t?.TaxonomyDetail?.Name;
        if (scheme is not null && HsdsTaxonomies.ByScheme(scheme) is null)
        {
            // Match by taxonomy id when the name is not ours.
            var byId = HsdsTaxonomies.All.FirstOrDefault(v => HsdsIds.Of("taxonomy", v.Scheme) == t?.TaxonomyId);
            scheme = byId?.Scheme ?? scheme;
        }
        scheme ??= a.LinkType is { } lt && HsdsTaxonomies.ByScheme(lt) is not null ? lt : null;
        return (scheme, code);
    }

    private static Phone Phone(HsdsPhone p, string path, List<HsdsProblem> warnings)
    {
        var type = p.Type?.ToLowerInvariant() switch
        {
            null or "" or "cell" or "voice" => PhoneTypes.Voice,
            "textphone" => PhoneTypes.Tty,
            var t when PhoneTypes.IsKnown(t) => t,
            var t => Warn(warnings, path + ".type", $"Phone type '{Shown(t)}' is not one this directory knows: shown as voice in the directory, kept as it is in HSDS exports.", PhoneTypes.Voice),
        };
        return new Phone
        {
            Number = p.Number, Extension = p.Extension is { } e && double.IsFinite(e) && e is >= 0 and <= int.MaxValue ? (int)e : null,
            Type = type, Description = p.Description,
            Languages = [.. (p.Languages ?? []).Select(l => l.Code).OfType<string>().Where(c => c.Length > 0).Select(c => c.ToLowerInvariant()).Distinct()],
        };
    }

    private static T Warn<T>(List<HsdsProblem> warnings, string path, string message, T value)
    {
        warnings.Add(new(path, message));
        return value;
    }

    private static Location? Location(HsdsLocation loc, string path, List<HsdsProblem> warnings)
    {
        if (loc.Latitude is not { } lat || loc.Longitude is not { } lon)
            return Warn<Location?>(warnings, path, "A location without latitude and longitude; not kept (search needs a point).", null);
        if (!double.IsFinite(lat) || lat is < -90 or > 90 || !double.IsFinite(lon) || lon is < -180 or > 180)
            return Warn<Location?>(warnings, path, $"Latitude {lat.ToString(CultureInfo.InvariantCulture)} / longitude {lon.ToString(CultureInfo.InvariantCulture)} is not a point on Earth; location not kept.", null);
        var a = loc.Addresses?.FirstOrDefault(x => x.AddressType == "physical") ?? loc.Addresses?.FirstOrDefault();
        Address? address = null;
        if (a is not null && a.City.Length > 0 && a.StateProvince.Length > 0)
        {
            address = new Address
            {
                Street1 = a.Address1.Length == 0 ? null : a.Address1, Street2 = a.Address2, City = a.City, State = a.StateProvince,
                PostalCode = a.PostalCode.Length == 0 ? null : a.PostalCode, CountyName = a.Region, Country = a.Country,
            };
        }
        return new Location
        {
            Id = loc.Id.ToLowerInvariant(), Name = loc.Name, Latitude = lat, Longitude = lon, Address = address,
            Description = loc.Description, Transportation = loc.Transportation,
        };
    }

    private static ServiceArea? ServiceArea(HsdsServiceArea a, string path, List<HsdsProblem> warnings)
    {
        if (a.ExtentType?.ToLowerInvariant() == "geojson" && a.Extent is { } gj)
        {
            var parsed = GeoJsonGeometry.Parse(gj);
            if (parsed.Geometry is not null) return new ServiceArea { Type = ServiceAreaTypes.Polygon, Name = a.Name, GeoJson = gj };
            return Warn<ServiceArea?>(warnings, path + ".extent", $"The GeoJSON extent is not usable ({parsed.Error}): kept as HSDS data (returned in exports), not used to find who serves a place.", null);
        }
        var text = a.Extent?.Trim() ?? "";
        if (text == "nationwide") return new ServiceArea { Type = ServiceAreaTypes.Nationwide, Name = a.Name ?? "United States" };
        var colon = text.IndexOf(':');
        if (colon > 0)
        {
            var type = text[..colon];
            var code = text[(colon + 1)..];
            if (type == ServiceAreaTypes.State && UsStates.ByCode(code.ToUpperInvariant()) is { } st) return new ServiceArea { Type = type, Code = st.Code, Name = a.Name };
            if (type == ServiceAreaTypes.County && code.Length == 5 && code.All(char.IsAsciiDigit) && UsStates.StateOfCounty(code) is not null)
                return new ServiceArea { Type = type, Code = code, Name = a.Name };
        }
        return Warn<ServiceArea?>(warnings, path, $"Service area '{Shown(a.Name ?? a.Extent)}' has no extent this directory can use (GeoJSON, or text nationwide / state:XX / county:FIPS): kept as HSDS data (returned in exports), not used to find who serves a place.", null);
    }

    private static readonly Dictionary<string, DayOfWeek> Days = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MO"] = DayOfWeek.Monday, ["TU"] = DayOfWeek.Tuesday, ["WE"] = DayOfWeek.Wednesday, ["TH"] = DayOfWeek.Thursday,
        ["FR"] = DayOfWeek.Friday, ["SA"] = DayOfWeek.Saturday, ["SU"] = DayOfWeek.Sunday,
    };

    /// <summary>US zones for standard offsets; other offsets become Etc/GMT zones.</summary>
    private static readonly Dictionary<int, string> ZoneByOffset = new()
    {
        [-4] = "America/Puerto_Rico", [-5] = "America/New_York", [-6] = "America/Chicago", [-7] = "America/Denver",
        [-8] = "America/Los_Angeles", [-9] = "America/Anchorage", [-10] = "Pacific/Honolulu",
    };

    private static Schedule? Schedule(List<HsdsSchedule> schedules, string path, List<HsdsProblem> warnings)
    {
        var periods = new List<OpeningPeriod>();
        string? zone = null;
        string? notes = null;
        var always = false;
        foreach (var (s, i) in schedules.Select((s, i) => (s, i)))
        {
            notes ??= s.Notes;
            if (s.Timezone is { } tz && zone is null)
            {
                zone = tz == Math.Floor(tz) && ZoneByOffset.TryGetValue((int)tz, out var z) ? z
                    : tz == Math.Floor(tz) && tz is >= -12 and <= 14 ? (tz == 0 ? "Etc/UTC" : $"Etc/GMT{(tz > 0 ? "-" : "+")}{Math.Abs(tz).ToString(CultureInfo.InvariantCulture)}")
                    : Warn<string?>(warnings, $"{path}[{i}].timezone", "Time zone offset not usable: opening hours read in America/Chicago, the offset kept in HSDS exports.", null);
            }
            if (s.Freq is not null && !s.Freq.Equals("WEEKLY", StringComparison.OrdinalIgnoreCase))
            {
                warnings.Add(new($"{path}[{i}]", "Only weekly schedules are read into opening hours: this one is kept as HSDS data (returned in exports)."));
                continue;
            }
            if (!TryTime(s.OpensAt, out var opens) || !TryTime(s.ClosesAt, out var closes) || string.IsNullOrWhiteSpace(s.Byday))
            {
                warnings.Add(new($"{path}[{i}]", "A schedule without byday, opens_at and closes_at is not read into opening hours: kept as HSDS data (returned in exports)."));
                continue;
            }
            var days = s.Byday.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(Days.ContainsKey).Select(d => Days[d]).Distinct().ToList();
            if (days.Count == 7 && opens == TimeOnly.MinValue && (closes == new TimeOnly(23, 59) || closes == TimeOnly.MinValue)) always = true;
            foreach (var d in days) periods.Add(new OpeningPeriod(d, opens, closes));
        }
        if (!always && periods.Count == 0) return null;
        return new Schedule
        {
            TimeZone = zone ?? "America/Chicago", Always = always, Notes = notes,
            Periods = always ? [] : [.. periods.OrderBy(p => ((int)p.Day + 6) % 7).ThenBy(p => p.Opens)],
        };
    }

    private static bool TryTime(string? s, out TimeOnly t)
    {
        t = default;
        return s is not null && TimeOnly.TryParseExact(s, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out t);
    }
}
