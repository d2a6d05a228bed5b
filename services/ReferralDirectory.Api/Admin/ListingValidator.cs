using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReferralDirectory.Geo;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Places;

namespace ReferralDirectory.Api.Admin;

/// <summary>
/// Validates an admin's listing input field by field (errors keyed by JSON path, e.g. <c>phones[0].number</c>)
/// and maps it to the stored model. Fills in county from the gazetteer when a location does not name it.
/// </summary>
public sealed class ListingValidator(Gazetteer gazetteer)
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);


    private void Error(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var list)) _errors[path] = list = [];
        list.Add(message);
    }

    public Dictionary<string, string[]> Errors => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    private string? Text(string path, string? value, int max, bool required = false, int min = 1)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            if (required) Error(path, "Required.");
            return null;
        }
        if (v.Length < min) Error(path, $"At least {min} characters.");
        if (v.Length > max) Error(path, $"At most {max} characters.");
        if (v.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')) Error(path, "Must not contain control characters.");
        return v;
    }

    private string? Url(string path, string? value)
    {
        var v = Text(path, value, 2048);
        if (v is null) return null;
        if (!FieldRules.IsHttpUrl(v)) Error(path, FieldRules.UrlHint);
        return v;
    }

    private List<string> Codes(string path, List<string>? values, Func<string, bool> known, string what, int max)
    {
        var result = new List<string>();
        if (values is null) return result;
        if (values.Count > max) { Error(path, $"At most {max} {what}s."); return result; }
        for (var i = 0; i < values.Count; i++)
        {
            var c = values[i]?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(c) || c.Length > 64 || !known(c)) Error($"{path}[{i}]", $"Unknown {what} '{Trunc(values[i])}'.");
            else if (!result.Contains(c)) result.Add(c);
        }
        return result;
    }

    private static string Trunc(string? s) => EchoedValue.Shown(s);


    /// <summary>Validates; returns the listing when there are no errors.</summary>
    public Listing? Validate(ListingInput input, string? routeId, Listing? current)
    {
        var id = input.Id?.Trim();
        if (routeId is not null)
        {
            if (id is not null && id != routeId) Error("id", "Must match the id in the URL (or be left out).");
            id = routeId;
        }
        var name = Text("name", input.Name, 200, required: true, min: 2);
        if (id is null && name is not null) id = Slug(name);
        if (id is not null && !FieldRules.IsId(id)) Error("id", FieldRules.IdHint);

        var kind = Text("kind", input.Kind, 64, required: true)?.ToLowerInvariant();
        if (kind is not null && !ListingKinds.IsKnown(kind)) Error("kind", $"Unknown kind. Valid kinds: {string.Join(", ", ListingKinds.All.Select(k => k.Code))}.");
        var collab = Text("collaborationType", input.CollaborationType, 64)?.ToLowerInvariant();
        if (collab is not null && !CollaborationTypes.IsKnown(collab)) Error("collaborationType", $"Unknown collaboration type. Valid: {string.Join(", ", CollaborationTypes.All.Select(k => k.Code))}.");
        if (collab is not null && kind is not null && kind != ListingKinds.Coalition && kind != ListingKinds.Government)
            Error("collaborationType", "Only coalitions, task forces and government listings have a collaboration type.");

        var email = Text("email", input.Email, 254);
        if (email is not null && !FieldRules.IsEmail(email))
            Error("email", FieldRules.EmailHint);

        var services = new List<Service>();
        if (input.Services is { Count: > 50 }) Error("services", "At most 50 services.");
        else if (input.Services is not null)
        {
            for (var i = 0; i < input.Services.Count; i++)
            {
                var s = input.Services[i];
                var p = $"services[{i}]";
                if (s is null) { Error(p, "Required."); continue; }
                var sid = Text($"{p}.id", s.Id, 100) ?? $"{id}-svc-{i + 1}";
                if (!FieldRules.IsId(sid)) Error($"{p}.id", "Use lower-case letters, digits and dashes.");
                var codes = Codes($"{p}.taxonomyCodes", s.TaxonomyCodes, Taxonomy.IsKnown, "service code", 10);
                if (s.TaxonomyCodes is null || s.TaxonomyCodes.Count == 0) Error($"{p}.taxonomyCodes", $"At least one service code. Valid codes: {string.Join(", ", Taxonomy.All.Select(t => t.Code))}.");
                var sname = Text($"{p}.name", s.Name, 200) ?? (codes.Count > 0 ? Taxonomy.Find(codes[0])!.Label : null);
                if (sname is null) Error($"{p}.name", "Required.");
                services.Add(new Service { Id = sid, Name = sname ?? "", Description = Text($"{p}.description", s.Description, 2000), TaxonomyCodes = codes });
            }
            foreach (var dup in services.GroupBy(s => s.Id).Where(g => g.Count() > 1)) Error("services", $"Service id '{dup.Key}' is used twice.");
        }

        var locations = new List<Location>();
        if (input.Locations is { Count: > 50 }) Error("locations", "At most 50 locations.");
        else if (input.Locations is not null)
        {
            for (var i = 0; i < input.Locations.Count; i++)
            {
                var l = input.Locations[i];
                var p = $"locations[{i}]";
                if (l is null) { Error(p, "Required."); continue; }
                var lid = Text($"{p}.id", l.Id, 100) ?? $"{id}-loc-{i + 1}";
                if (!FieldRules.IsId(lid)) Error($"{p}.id", "Use lower-case letters, digits and dashes.");
                var confidential = l.Confidential ?? false;
                double? lat = l.Latitude, lon = l.Longitude;
                if (lat is { } la && !GeoMath.IsValidLatitude(la)) { Error($"{p}.latitude", "Must be a latitude from -90 to 90."); continue; }
                if (lon is { } lo && !GeoMath.IsValidLongitude(lo)) { Error($"{p}.longitude", "Must be a longitude from -180 to 180."); continue; }
                if (lat is null != lon is null) { Error(lat is null ? $"{p}.latitude" : $"{p}.longitude", "Give both latitude and longitude, or neither."); continue; }
                if (lat is null && !confidential)
                {
                    Error($"{p}.latitude", "Required: a latitude from -90 to 90 (only a confidential location may leave its coordinates out).");
                    Error($"{p}.longitude", "Required: a longitude from -180 to 180.");
                    continue;
                }
                Address? address = null;
                if (l.Address is { } a)
                {
                    var city = Text($"{p}.address.city", a.City, 100, required: true);
                    var state = Text($"{p}.address.state", a.State, 2, required: true)?.ToUpperInvariant();
                    if (state is not null && !FieldRules.IsStateCode(state)) Error($"{p}.address.state", FieldRules.StateHint);
                    var zip = Text($"{p}.address.postalCode", a.PostalCode, 10);
                    if (zip is not null && !FieldRules.IsZip(zip)) Error($"{p}.address.postalCode", FieldRules.ZipHint);
                    var fips = Text($"{p}.address.countyFips", a.CountyFips, 5);
                    if (fips is not null && FieldRules.CountyProblem(gazetteer, fips, state is not null && FieldRules.IsStateCode(state) ? state : null) is { } countyProblem)
                    {
                        Error($"{p}.address.countyFips", countyProblem);
                        fips = null;
                    }
                    var county = LocationCountyRule.Resolve(gazetteer, fips, lat, lon, zip, city, state);
                    if (confidential && county is null && !_errors.Keys.Any(k => k.StartsWith($"{p}.address", StringComparison.Ordinal)))
                        Error($"{p}.address", LocationCountyRule.ConfidentialNeedsCounty);
                    address = new Address
                    {
                        Street1 = Text($"{p}.address.street1", a.Street1, 200), Street2 = Text($"{p}.address.street2", a.Street2, 200),
                        City = city ?? "", State = state ?? "", PostalCode = zip, CountyFips = county?.Fips,
                        CountyName = county?.DisplayName ?? Text($"{p}.address.countyName", a.CountyName, 100),
                    };
                }
                else if (confidential)
                {
                    Error($"{p}.address", "A confidential location needs an address with at least its city and state (caseworkers need it; the public sees only the county).");
                }
                locations.Add(new Location { Id = lid, Name = Text($"{p}.name", l.Name, 200), Latitude = lat, Longitude = lon, Address = address, Confidential = confidential });
            }
            foreach (var dup in locations.GroupBy(s => s.Id).Where(g => g.Count() > 1)) Error("locations", $"Location id '{dup.Key}' is used twice.");
        }

        var areas = new List<ServiceArea>();
        if (input.ServiceAreas is { Count: > 200 }) Error("serviceAreas", "At most 200 service areas.");
        else if (input.ServiceAreas is not null)
        {
            for (var i = 0; i < input.ServiceAreas.Count; i++)
            {
                var a = input.ServiceAreas[i];
                var p = $"serviceAreas[{i}]";
                if (a is null) { Error(p, "Required."); continue; }
                var type = Text($"{p}.type", a.Type, 20, required: true)?.ToLowerInvariant();
                var code = Text($"{p}.code", a.Code, 5);
                var aname = Text($"{p}.name", a.Name, 200);
                string? geojson = null;
                switch (type)
                {
                    case null: break;
                    case ServiceAreaTypes.Nationwide: code = null; break;
                    case ServiceAreaTypes.State:
                        code = code?.ToUpperInvariant();
                        if (code is null || !FieldRules.IsStateCode(code)) Error($"{p}.code", FieldRules.StateHint);
                        aname ??= code is null ? null : gazetteer.State(code)?.Name;
                        break;
                    case ServiceAreaTypes.County:
                        if (code is null || FieldRules.CountyProblem(gazetteer, code) is not null) Error($"{p}.code", FieldRules.CountyHint);
                        break;
                    case ServiceAreaTypes.Polygon:
                        if (a.Geometry is not { } g || g.ValueKind != JsonValueKind.Object) { Error($"{p}.geometry", "A polygon area needs a GeoJSON Polygon or MultiPolygon."); break; }
                        var parsed = GeoJsonGeometry.Parse(g);
                        if (parsed.Error is { } err) Error($"{p}.geometry", err);
                        else geojson = g.GetRawText();
                        code = null;
                        break;
                    default:
                        Error($"{p}.type", $"Unknown type. Valid types: {string.Join(", ", ServiceAreaTypes.All)}.");
                        break;
                }
                areas.Add(new ServiceArea { Type = type ?? "", Code = code, Name = aname, GeoJson = geojson });
            }
        }

        var phones = new List<Phone>();
        if (input.Phones is { Count: > 20 }) Error("phones", "At most 20 phones.");
        else if (input.Phones is not null)
        {
            for (var i = 0; i < input.Phones.Count; i++)
            {
                var ph = input.Phones[i];
                var p = $"phones[{i}]";
                if (ph is null) { Error(p, "Required."); continue; }
                var number = Text($"{p}.number", ph.Number, 40, required: true);
                if (number is not null && !FieldRules.IsPhoneNumber(number)) Error($"{p}.number", FieldRules.PhoneHint);
                var type = Text($"{p}.type", ph.Type, 20)?.ToLowerInvariant() ?? PhoneTypes.Voice;
                if (!PhoneTypes.IsKnown(type)) Error($"{p}.type", $"Unknown type. Valid types: {string.Join(", ", PhoneTypes.All)}.");
                phones.Add(new Phone
                {
                    Number = number ?? "", Type = type, Description = Text($"{p}.description", ph.Description, 200),
                    Hours = Schedule($"{p}.hours", ph.Hours),
                    Languages = Codes($"{p}.languages", ph.Languages, FieldRules.IsLanguageCode, "language", 50),
                });
            }
        }

        var funding = (FundingDetails?)null;
        if (input.Funding is { } f)
        {
            var funder = Text("funding.funder", f.Funder, 200, required: true);
            if (f.AmountMin is < 0) Error("funding.amountMin", "Must not be negative.");
            if (f.AmountMax is < 0) Error("funding.amountMax", "Must not be negative.");
            if (f.AmountMin is { } min && f.AmountMax is { } max && min > max) Error("funding.amountMax", "Must not be less than amountMin.");
            DateOnly? deadline = null;
            if (Text("funding.deadline", f.Deadline, 10) is { } d)
            {
                if (DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dd)) deadline = dd;
                else Error("funding.deadline", "Must be a date as yyyy-MM-dd.");
            }
            funding = new FundingDetails
            {
                Funder = funder ?? "", Program = Text("funding.program", f.Program, 200), Eligibility = Text("funding.eligibility", f.Eligibility, 2000),
                AmountMin = f.AmountMin, AmountMax = f.AmountMax, Deadline = deadline, Url = Url("funding.url", f.Url),
            };
        }

        var readiness = Readiness(input.Readiness);

        var listing = new Listing
        {
            Id = id ?? "",
            Kind = kind ?? "",
            Name = name ?? "",
            AlternateName = Text("alternateName", input.AlternateName, 200),
            Description = Text("description", input.Description, 4000) ?? "",
            Email = email,
            Website = Url("website", input.Website),
            CollaborationType = collab,
            Services = services,
            Locations = locations,
            ServiceAreas = areas,
            Phones = phones,
            Hours = Schedule("hours", input.Hours),
            Languages = Codes("languages", input.Languages, FieldRules.IsLanguageCode, "language", 50),
            InterpretationAvailable = input.InterpretationAvailable ?? false,
            Populations = Codes("populations", input.Populations, Populations.IsKnown, "population", 20),
            TraffickingTypes = Codes("traffickingTypes", input.TraffickingTypes, TraffickingTypes.IsKnown, "trafficking type", 5),
            EligibilityNotes = Text("eligibilityNotes", input.EligibilityNotes, 2000),
            FreeOfCharge = input.FreeOfCharge ?? false,
            AcceptingReferrals = input.AcceptingReferrals ?? true,
            Funding = funding,
            ExternalId = Text("externalId", input.ExternalId, 100),
            IsDemo = input.IsDemo ?? false,
            Readiness = readiness,
            // Verification is kept; only the verify action changes it.
            LastVerified = current?.LastVerified,
            LastVerification = current?.LastVerification,
            // HSDS data kept from an import stays (the fields edited here win over it: see HsdsOverlay).
            HsdsData = current?.HsdsData,
        };
        if (listing.Locations.Count == 0 && listing.ServiceAreas.Count == 0)
            Error("locations", "A listing needs at least one location or one service area, or no search can find it.");
        return _errors.Count == 0 ? listing : null;
    }

    private ReferralReadiness? Readiness(ReadinessInput? r)
    {
        if (r is null) return null;
        var phone = Text("readiness.warmTransferPhone", r.WarmTransferPhone, 40);
        if (phone is not null && !FieldRules.IsPhoneNumber(phone)) Error("readiness.warmTransferPhone", FieldRules.PhoneHint);
        if (phone is not null && r.WarmTransfers == false) Error("readiness.warmTransferPhone", "Give a warm-transfer phone only when warmTransfers is true.");
        DateOnly? asOf = null;
        if (Text("readiness.capacityAsOf", r.CapacityAsOf, 10) is { } d)
        {
            if (DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dd)) asOf = dd;
            else Error("readiness.capacityAsOf", "Must be a date as yyyy-MM-dd.");
        }
        return new ReferralReadiness
        {
            IntakeProtocol = Text("readiness.intakeProtocol", r.IntakeProtocol, 4000),
            WarmTransfers = r.WarmTransfers,
            WarmTransferPhone = phone,
            WarmTransferHours = Schedule("readiness.warmTransferHours", r.WarmTransferHours),
            CapacityNote = Text("readiness.capacityNote", r.CapacityNote, 500),
            CapacityAsOf = asOf,
            EligibilityNotes = Text("readiness.eligibilityNotes", r.EligibilityNotes, 2000),
            StaffOnly = r.StaffOnly ?? false,
        };
    }

    private Schedule? Schedule(string path, ScheduleInput? s)
    {
        if (s is null) return null;
        var tz = Text($"{path}.timeZone", s.TimeZone, 64) ?? "America/Chicago";
        if (ScheduleRules.FindZone(tz) is null) Error($"{path}.timeZone", "Unknown time zone; use an IANA name such as America/Chicago.");
        var periods = new List<OpeningPeriod>();
        if (s.Periods is { Count: > 50 }) Error($"{path}.periods", "At most 50 periods.");
        else if (s.Periods is not null)
        {
            for (var i = 0; i < s.Periods.Count; i++)
            {
                var p = s.Periods[i];
                var pp = $"{path}.periods[{i}]";
                if (p is null) { Error(pp, "Required."); continue; }
                var ok = true;
                if (!Enum.TryParse<DayOfWeek>(p.Day?.Trim(), ignoreCase: true, out var day) || !Enum.IsDefined(day) || int.TryParse(p.Day, out _))
                { Error($"{pp}.day", "Must be a day name such as Monday."); ok = false; }
                if (!TimeOnly.TryParseExact(p.Opens ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)) { Error($"{pp}.opens", "Must be a time as HH:mm."); ok = false; }
                if (!TimeOnly.TryParseExact(p.Closes ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes)) { Error($"{pp}.closes", "Must be a time as HH:mm."); ok = false; }
                if (ok) periods.Add(new OpeningPeriod(day, opens, closes));
            }
        }
        if (s.Always != true && periods.Count == 0 && s.Periods is not null && _errors.Keys.All(k => !k.StartsWith(path, StringComparison.Ordinal)))
            Error($"{path}.periods", "Give opening periods, or set always to true.");
        return new Schedule { TimeZone = tz, Always = s.Always ?? false, Periods = periods, Notes = Text($"{path}.notes", s.Notes, 500) };
    }

    private static string Slug(string name)
    {
        var sb = new StringBuilder();
        foreach (var ch in ReferralDirectory.Search.IndexedListing.Fold(name))
        {
            if (char.IsAsciiLetterOrDigit(ch)) sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
            if (sb.Length >= 60) break;
        }
        var slug = sb.ToString().Trim('-');
        if (slug.Length < 2) slug = "listing";
        return $"{slug}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
    }
}
