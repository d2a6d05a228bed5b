using System.Globalization;
using ReferralDirectory.Model;

namespace ReferralDirectory.Exchange.Csv;

/// <summary>Writes listings in the bulk import format (first location, first phone; drawn polygon areas are left
/// out since the format has no column for them), RFC 4180 with CRLF line ends, through CsvHelper's writer with the
/// spreadsheet formula escape (<see cref="CsvFormulaEscaping"/>): every file it writes imports back to the same values.
/// Used to make large test files from generated directories.</summary>
public sealed class CsvListingWriter(TextWriter writer) : IDisposable
{
    private readonly CsvFormulaEscaping.Writer _csv = new(writer);

    /// <summary>The header line.</summary>
    public void WriteHeader()
    {
        foreach (var n in CsvListingColumns.Names) _csv.WriteField(n);
        _csv.NextRecord();
    }

    /// <summary>One cell as the writer writes it: quoted when needed, formula starters escaped.</summary>
    public static string Cell(string? value)
    {
        using var text = new StringWriter();
        using (var csv = new CsvFormulaEscaping.Writer(text)) csv.WriteField(value ?? "");
        return text.ToString();
    }

    public void WriteRow(Listing l)
    {
        var loc = l.Locations.FirstOrDefault();
        var phone = l.Phones.FirstOrDefault();
        string B(bool b) => b ? "true" : "false";
        string D(double d) => d.ToString("R", CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string?>
        {
            ["external_id"] = l.ExternalId ?? l.Id,
            ["id"] = l.Id,
            ["kind"] = l.Kind,
            ["name"] = l.Name,
            ["alternate_name"] = l.AlternateName,
            ["description"] = l.Description,
            ["email"] = l.Email,
            ["website"] = l.Website,
            ["services"] = string.Join(';', l.Services.SelectMany(s => s.TaxonomyCodes).Distinct()),
            ["location_name"] = loc?.Name,
            ["street1"] = loc?.Address?.Street1,
            ["street2"] = loc?.Address?.Street2,
            ["city"] = loc?.Address?.City,
            ["state"] = loc?.Address?.State,
            ["postal_code"] = loc?.Address?.PostalCode,
            ["county_fips"] = loc?.Address?.CountyFips,
            ["latitude"] = loc?.Latitude is { } lat ? D(lat) : null,
            ["longitude"] = loc?.Longitude is { } lon ? D(lon) : null,
            ["confidential"] = loc is null ? null : B(loc.Confidential),
            ["phone"] = phone?.Number,
            ["phone_type"] = phone?.Type,
            ["service_areas"] = string.Join(';', l.ServiceAreas.Where(a => a.Type != ServiceAreaTypes.Polygon)
                .Select(a => a.Type == ServiceAreaTypes.Nationwide ? "nationwide" : $"{a.Type}:{a.Code}")),
            ["languages"] = string.Join(';', l.Languages),
            ["interpretation_available"] = B(l.InterpretationAvailable),
            ["populations"] = string.Join(';', l.Populations),
            ["trafficking_types"] = string.Join(';', l.TraffickingTypes),
            ["eligibility_notes"] = l.EligibilityNotes,
            ["free_of_charge"] = B(l.FreeOfCharge),
            ["accepting_referrals"] = B(l.AcceptingReferrals),
            ["is_24x7"] = B(l.Hours?.Always == true),
            ["time_zone"] = l.Hours?.TimeZone,
            ["last_verified"] = l.LastVerified?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["referral_intake_protocol"] = l.Readiness?.IntakeProtocol,
            ["referral_warm_transfers"] = l.Readiness?.WarmTransfers is { } w ? B(w) : null,
            ["referral_warm_transfer_phone"] = l.Readiness?.WarmTransferPhone,
            ["referral_warm_transfer_hours"] = l.Readiness?.WarmTransferHours is { } wh ? CsvListingColumns.HoursCell(wh) : null,
            ["referral_capacity_note"] = l.Readiness?.CapacityNote,
            ["referral_capacity_as_of"] = l.Readiness?.CapacityAsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["referral_eligibility_notes"] = l.Readiness?.EligibilityNotes,
            ["referral_staff_only"] = l.Readiness is { } r ? B(r.StaffOnly) : null,
        };
        foreach (var n in CsvListingColumns.Names) _csv.WriteField(values[n] ?? "");
        _csv.NextRecord();
    }

    public void Dispose() => _csv.Dispose();
}
