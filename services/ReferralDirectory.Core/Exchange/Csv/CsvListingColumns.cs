using System.Globalization;
using System.Text.RegularExpressions;
using ReferralDirectory.Geo;
using ReferralDirectory.Listings;
using ReferralDirectory.Model;
using ReferralDirectory.Places;

namespace ReferralDirectory.Exchange.Csv;

/// <summary>A column of the bulk import file.</summary>
public sealed record CsvColumn(string Name, bool Required, string Description, string Example);

/// <summary>
/// The bulk import format: one listing per row, with one location, one phone and any number of services and
/// service areas. Lists inside a cell are separated by semicolons. <c>docs/import-template.csv</c> is the template.
/// </summary>
public static partial class CsvListingColumns
{
    public static readonly IReadOnlyList<CsvColumn> All =
    [
        new("external_id", true, "Your system's id for the listing (up to 128 characters). Rows are matched to listings by it: importing the same file again updates, never duplicates.", "agency-0042"),
        new("id", false, "Directory id (lower-case letters, digits, dashes; up to 100). Default: `ext-` and the external id made safe. Ignored when the external id is already in the directory.", ""),
        new("kind", true, "victim-service-agency, coalition, funding-source, hotline, training-resource or government.", "victim-service-agency"),
        new("name", true, "Name (up to 300 characters).", "Hope Harbor Center"),
        new("alternate_name", false, "Other name.", ""),
        new("description", false, "What the listing offers, in plain language (up to 4000 characters).", "Shelter and case management for adult survivors."),
        new("email", false, "Contact e-mail.", "help@example.org"),
        new("website", false, "Web address (http or https).", "https://example.org"),
        new("services", false, "Service codes from GET /v1/taxonomy, separated by semicolons.", "emergency-shelter;case-management"),
        new("location_name", false, "Name of the office or site.", "Main office"),
        new("street1", false, "Street address.", "100 Main Street"),
        new("street2", false, "Suite, floor.", ""),
        new("city", false, "City (required when the row has a location).", "Columbia"),
        new("state", false, "Two-letter state code (required when the row has a location).", "MO"),
        new("postal_code", false, "ZIP code (5 digits or ZIP+4).", "65201"),
        new("county_fips", false, "5-digit county FIPS code. When empty, the service finds the county at the location's point.", "29019"),
        new("latitude", false, "Decimal degrees. With longitude; when both are empty the ZIP code's centre (else the city's centre) is used.", "38.9517"),
        new("longitude", false, "Decimal degrees.", "-92.3341"),
        new("confidential", false, "true for a confidential location (shelter): its address and point are never shown to the public.", "false"),
        new("phone", false, "Main phone number.", "573-555-0100"),
        new("phone_type", false, "voice, text, hotline, fax or tty (default voice).", "voice"),
        new("service_areas", false, "Areas served, separated by semicolons: nationwide, state:MO, county:29019.", "county:29019;county:29027"),
        new("languages", false, "ISO 639 language codes staff speak, separated by semicolons.", "en;es"),
        new("interpretation_available", false, "true when interpretation into any language is available.", "false"),
        new("populations", false, "Populations served (see GET /v1/taxonomy), separated by semicolons.", "adults;female"),
        new("trafficking_types", false, "sex and/or labor, separated by semicolons.", "sex;labor"),
        new("eligibility_notes", false, "Who can get help, in plain language.", ""),
        new("free_of_charge", false, "true or false.", "true"),
        new("accepting_referrals", false, "true or false (default true).", "true"),
        new("is_24x7", false, "true when open or answering 24 hours, 7 days.", "false"),
        new("time_zone", false, "IANA time zone for the hours (default America/Chicago).", "America/Chicago"),
        new("last_verified", false, "Date the listing was last checked, YYYY-MM-DD.", "2026-10-01"),
        new("referral_intake_protocol", false, "Referral readiness: what happens at intake, in plain language (up to 4000 characters).", "Call the intake line; a case manager calls back within 2 hours."),
        new("referral_warm_transfers", false, "Referral readiness: true when the agency takes warm transfers (a three-way call), false when not, empty when unknown.", "true"),
        new("referral_warm_transfer_phone", false, "Referral readiness: the number to call for a warm transfer.", "573-555-0101"),
        new("referral_warm_transfer_hours", false, "Referral readiness: when warm transfers are taken: 24/7, or day and HH:mm-HH:mm periods separated by semicolons (times in time_zone).", "Monday 09:00-17:00;Tuesday 09:00-17:00"),
        new("referral_capacity_note", false, "Referral readiness: space or capacity now, in plain language (up to 500 characters).", "2 beds open"),
        new("referral_capacity_as_of", false, "Referral readiness: the date the capacity note and accepting_referrals were confirmed, YYYY-MM-DD.", "2026-11-01"),
        new("referral_eligibility_notes", false, "Referral readiness: who the agency can take, beyond populations (up to 2000 characters).", "Women 18+, with children under 12"),
        new("referral_staff_only", false, "true: the referral readiness columns are shown to signed-in caseworkers, editors and admins only, never to the public.", "false"),
    ];

    /// <summary>The <c>referral_warm_transfer_hours</c> cell: <c>24/7</c>, or <c>Monday 09:00-17:00;Tuesday 09:00-17:00</c>.</summary>
    public static string HoursCell(Schedule s) => s.Always ? "24/7"
        : string.Join(';', s.Periods.Select(p => $"{p.Day} {p.Opens.ToString("HH:mm", CultureInfo.InvariantCulture)}-{p.Closes.ToString("HH:mm", CultureInfo.InvariantCulture)}"));

    /// <summary>Reads a <see cref="HoursCell"/>; null with an error message when it is not one.</summary>
    public static Schedule? ParseHours(string cell, string timeZone, out string? error)
    {
        error = null;
        if (cell.Trim() is "24/7" or "24x7") return new Schedule { TimeZone = timeZone, Always = true };
        var periods = new List<OpeningPeriod>();
        foreach (var part in cell.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = part.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var times = bits.Length == 2 ? bits[1].Split('-', StringSplitOptions.TrimEntries) : [];
            if (bits.Length != 2 || !Enum.TryParse<DayOfWeek>(bits[0], ignoreCase: true, out var day) || int.TryParse(bits[0], out _) || !Enum.IsDefined(day)
                || times.Length != 2
                || !TimeOnly.TryParseExact(times[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)
                || !TimeOnly.TryParseExact(times[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes))
            {
                var shown = EchoedValue.Shown(part);
                error = $"'{shown}' is not a period: use 24/7, or a day and HH:mm-HH:mm, such as Monday 09:00-17:00.";
                return null;
            }
            periods.Add(new OpeningPeriod(day, opens, closes));
        }
        if (periods.Count == 0) { error = "Use 24/7, or a day and HH:mm-HH:mm, such as Monday 09:00-17:00."; return null; }
        return new Schedule { TimeZone = timeZone, Periods = periods };
    }

    public static readonly IReadOnlyList<string> Names = [.. All.Select(c => c.Name)];

    /// <summary>The header line of the template.</summary>
    public static string Header => string.Join(',', Names);


    /// <summary>A directory id made from an external id: lower-case, runs of other characters become one dash.</summary>
    public static string IdFromExternal(string externalId)
    {
        var sb = new System.Text.StringBuilder("ext-");
        var dash = false;
        foreach (var ch in externalId.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(ch)) { sb.Append(ch); dash = false; }
            else if (!dash) { sb.Append('-'); dash = true; }
        }
        var id = sb.ToString().TrimEnd('-');
        if (id.Length > 90 || id == "ext")
        {
            // Long or symbol-only external ids: a short stable hash keeps ids distinct.
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(externalId)).AsSpan(0, 6));
            id = (id.Length > 70 ? id[..70].TrimEnd('-') : id) + "-" + hash;
        }
        return id;
    }
}

/// <summary>Turns one CSV row into a <see cref="Listing"/>, collecting every problem of the row.</summary>
internal sealed class CsvRowMapper(Gazetteer gazetteer)
{
    public Listing? Map(long line, IReadOnlyDictionary<string, string> row, List<ImportProblem> problems)
    {
        var before = problems.Count;
        void Problem(string column, string message) => problems.Add(new ImportProblem(line, column, message));
        string? Cell(string name, int max = 300)
        {
            if (!row.TryGetValue(name, out var v)) return null;
            v = v.Trim();
            if (v.Length == 0) return null;
            if (v.Length > max) { Problem(name, $"At most {max} characters (this cell has {v.Length})."); return null; }
            if (v.Any(ch => char.IsControl(ch) && ch is not ('\n' or '\r' or '\t'))) { Problem(name, "Contains control characters."); return null; }
            return v;
        }
        bool? Bool(string name)
        {
            var v = Cell(name, 10);
            if (v is null) return null;
            switch (v.ToLowerInvariant())
            {
                case "true" or "yes" or "1" or "y": return true;
                case "false" or "no" or "0" or "n": return false;
                default: Problem(name, $"Must be true or false, not '{v}'."); return null;
            }
        }
        double? Number(string name, double min, double max)
        {
            var v = Cell(name, 40);
            if (v is null) return null;
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d)) { Problem(name, $"Must be a number, not '{v}'."); return null; }
            if (d < min || d > max) { Problem(name, $"Must be between {min} and {max}."); return null; }
            return d;
        }
        List<string> Codes(string name, Func<string, bool> known, string what)
        {
            var v = Cell(name, 2000);
            if (v is null) return [];
            var codes = v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.ToLowerInvariant()).Distinct().ToList();
            var unknown = codes.Where(c => !known(c)).ToArray();
            if (unknown.Length > 0) Problem(name, $"Unknown {what}: {string.Join(", ", unknown.Take(5).Select(EchoedValue.Shown))}.");
            return [.. codes.Where(known)];
        }

        var externalId = Cell("external_id", 128);
        if (externalId is null && !problems.Skip(before).Any(p => p.Column == "external_id")) Problem("external_id", "Required.");
        var id = Cell("id", 100);
        if (id is not null && !FieldRules.IsId(id)) Problem("id", FieldRules.IdHint);
        var kind = Cell("kind", 40)?.ToLowerInvariant();
        if (kind is null) Problem("kind", "Required.");
        else if (!ListingKinds.IsKnown(kind)) Problem("kind", $"Unknown kind '{EchoedValue.Shown(kind)}'. Use one of: {string.Join(", ", ListingKinds.All.Select(k => k.Code))}.");
        var name = Cell("name");
        if (name is null && !problems.Skip(before).Any(p => p.Column == "name")) Problem("name", "Required.");
        var email = Cell("email", 254);
        if (email is not null && !FieldRules.IsEmail(email)) Problem("email", FieldRules.EmailHint);
        var website = Cell("website", 2048);
        if (website is not null && !FieldRules.IsHttpUrl(website)) Problem("website", FieldRules.UrlHint);

        var services = Codes("services", Taxonomy.IsKnown, "service code");
        var languages = Codes("languages", FieldRules.IsLanguageCode, "language code");
        var populations = Codes("populations", Populations.IsKnown, "population");
        var traffickingTypes = Codes("trafficking_types", TraffickingTypes.IsKnown, "trafficking type");

        // Location.
        var city = Cell("city", 100);
        var state = Cell("state", 2)?.ToUpperInvariant();
        var street1 = Cell("street1");
        var street2 = Cell("street2");
        var postal = Cell("postal_code", 10);
        var countyFips = Cell("county_fips", 5);
        var lat = Number("latitude", -90, 90);
        var lon = Number("longitude", -180, 180);
        var confidential = Bool("confidential") ?? false;
        var locationName = Cell("location_name");
        var hasLocation = city is not null || state is not null || street1 is not null || postal is not null || lat is not null || lon is not null || locationName is not null;
        Location? location = null;
        if (hasLocation)
        {
            if (state is not null && !FieldRules.IsStateCode(state)) { Problem("state", FieldRules.StateHint); state = null; }
            if (city is null) Problem("city", "Required when the row has a location.");
            if (state is null && !problems.Skip(before).Any(p => p.Column == "state")) Problem("state", "Required when the row has a location.");
            if (postal is not null && !FieldRules.IsZip(postal)) { Problem("postal_code", FieldRules.ZipHint); postal = null; }
            else if (postal is not null && gazetteer.FindZip(postal) is null) Problem("postal_code", $"Unknown ZIP code '{postal}'.");
            if (countyFips is not null && FieldRules.CountyProblem(gazetteer, countyFips, state) is { } countyProblem) { Problem("county_fips", countyProblem); countyFips = null; }
            if ((lat is null) != (lon is null) && !problems.Skip(before).Any(p => p.Column is "latitude" or "longitude"))
                Problem(lat is null ? "latitude" : "longitude", "Give both latitude and longitude, or neither.");
            if (lat is null && lon is null && city is not null && state is not null && !confidential)
            {
                // A public location without coordinates is placed at its ZIP code's or town's centre. A confidential one
                // is not: it keeps no point at all (caseworkers must not take a ZIP centre for its address), only its county.
                var zip = postal is null ? null : gazetteer.FindZip(postal);
                var town = zip is null ? gazetteer.FindCity($"{city}, {state}").Place : null;
                if (zip is not null) (lat, lon) = (zip.Latitude, zip.Longitude);
                else if (town is not null) (lat, lon) = (town.Latitude, town.Longitude);
                else Problem("latitude", $"No latitude/longitude, and neither the ZIP code nor '{city}, {state}' is known: give latitude and longitude.");
            }
            if (city is not null && state is not null && (lat is not null || confidential) && !problems.Skip(before).Any(p => p.Column is "latitude" or "longitude" or "county_fips"))
            {
                var county = LocationCountyRule.Resolve(gazetteer, countyFips, lat, lon, postal, city, state);
                if (confidential && county is null) Problem("county_fips", LocationCountyRule.ConfidentialNeedsCounty);
                location = new Location
                {
                    Id = "main", Name = locationName, Latitude = lat, Longitude = lon, Confidential = confidential,
                    Address = new Address
                    {
                        Street1 = street1, Street2 = street2, City = city, State = state, PostalCode = postal,
                        CountyFips = county?.Fips, CountyName = county?.DisplayName,
                    },
                };
            }
        }

        // Phone.
        var phone = Cell("phone", 40);
        var phoneType = Cell("phone_type", 10)?.ToLowerInvariant() ?? PhoneTypes.Voice;
        if (!PhoneTypes.IsKnown(phoneType)) Problem("phone_type", $"Use one of: {string.Join(", ", PhoneTypes.All)}.");
        if (phone is not null && !FieldRules.IsPhoneNumber(phone)) Problem("phone", FieldRules.PhoneHint);

        // Service areas.
        var areas = new List<ServiceArea>();
        if (Cell("service_areas", 4000) is { } areaText)
        {
            foreach (var part in areaText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = part.IndexOf(':');
                var type = (colon < 0 ? part : part[..colon]).Trim().ToLowerInvariant();
                var code = colon < 0 ? null : part[(colon + 1)..].Trim();
                var shown = EchoedValue.Shown(part);
                if (type == ServiceAreaTypes.Nationwide && code is null) areas.Add(new ServiceArea { Type = type, Name = "United States" });
                else if (type == ServiceAreaTypes.State && code is not null && UsStates.ByCode(code.ToUpperInvariant()) is { } st)
                    areas.Add(new ServiceArea { Type = type, Code = st.Code, Name = st.Name });
                else if (type == ServiceAreaTypes.County && code is not null && code.Length == 5 && code.All(char.IsAsciiDigit) && gazetteer.County(code) is { } co)
                    areas.Add(new ServiceArea { Type = type, Code = co.Fips, Name = $"{co.Name} County, {co.StateCode}" });
                else Problem("service_areas", $"'{shown}' is not an area: use nationwide, state:XX or county:FIPS.");
            }
        }

        var is24x7 = Bool("is_24x7") ?? false;
        var timeZone = Cell("time_zone", 64) ?? "America/Chicago";
        if (ScheduleRules.FindZone(timeZone) is null) Problem("time_zone", $"Unknown time zone '{timeZone}'.");
        DateOnly? lastVerified = null;
        if (Cell("last_verified", 10) is { } lv)
        {
            if (DateOnly.TryParseExact(lv, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) lastVerified = d;
            else Problem("last_verified", $"Must be a date YYYY-MM-DD, not '{lv}'.");
        }
        var interpretation = Bool("interpretation_available") ?? false;
        var free = Bool("free_of_charge") ?? false;
        var accepting = Bool("accepting_referrals") ?? true;
        var alternate = Cell("alternate_name");
        var description = Cell("description", 4000) ?? "";
        var eligibility = Cell("eligibility_notes", 2000);

        // Referral readiness (any of its columns filled in makes one).
        var intake = Cell("referral_intake_protocol", 4000);
        var warm = Bool("referral_warm_transfers");
        var warmPhone = Cell("referral_warm_transfer_phone", 40);
        if (warmPhone is not null && !FieldRules.IsPhoneNumber(warmPhone)) Problem("referral_warm_transfer_phone", FieldRules.PhoneHint);
        Schedule? warmHours = null;
        if (Cell("referral_warm_transfer_hours", 2000) is { } wh)
        {
            warmHours = CsvListingColumns.ParseHours(wh, timeZone, out var hoursError);
            if (hoursError is not null) Problem("referral_warm_transfer_hours", hoursError);
        }
        var capacity = Cell("referral_capacity_note", 500);
        DateOnly? capacityAsOf = null;
        if (Cell("referral_capacity_as_of", 10) is { } ca)
        {
            if (DateOnly.TryParseExact(ca, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) capacityAsOf = d;
            else Problem("referral_capacity_as_of", $"Must be a date YYYY-MM-DD, not '{(ca.Length > 10 ? ca[..10] : ca)}'.");
        }
        var referralEligibility = Cell("referral_eligibility_notes", 2000);
        var staffOnly = Bool("referral_staff_only");
        var readiness = intake is null && warm is null && warmPhone is null && warmHours is null && capacity is null && capacityAsOf is null
            && referralEligibility is null && staffOnly is null
            ? null
            : new ReferralReadiness
            {
                IntakeProtocol = intake, WarmTransfers = warm, WarmTransferPhone = warmPhone, WarmTransferHours = warmHours,
                CapacityNote = capacity, CapacityAsOf = capacityAsOf, EligibilityNotes = referralEligibility, StaffOnly = staffOnly ?? false,
            };

        if (problems.Count > before) return null;
        return new Listing
        {
            Id = id ?? CsvListingColumns.IdFromExternal(externalId!),
            ExternalId = externalId,
            Kind = kind!, Name = name!, AlternateName = alternate, Description = description, Email = email, Website = website,
            Services = [.. services.Select(c => new Service { Id = c, Name = Taxonomy.Find(c)!.Label, TaxonomyCodes = [c] })],
            Locations = location is null ? [] : [location],
            Phones = phone is null ? [] : [new Phone { Number = phone, Type = phoneType }],
            ServiceAreas = areas,
            Hours = is24x7 ? new Schedule { TimeZone = timeZone, Always = true } : null,
            Languages = languages, InterpretationAvailable = interpretation,
            Populations = populations, TraffickingTypes = traffickingTypes, EligibilityNotes = eligibility,
            FreeOfCharge = free, AcceptingReferrals = accepting, LastVerified = lastVerified, Readiness = readiness,
        };
    }
}
