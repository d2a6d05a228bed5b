using System.Globalization;
using System.Text.Json;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Admin;

/// <summary>Stored listing → the admin input shape (the round trip of <see cref="ListingValidator"/>).</summary>
public static class AdminMapper
{
    public static ListingInput ToInput(this Listing l) => new()
    {
        Id = l.Id, Kind = l.Kind, Name = l.Name, AlternateName = l.AlternateName, Description = l.Description, Email = l.Email,
        Website = l.Website, CollaborationType = l.CollaborationType,
        Services = [.. l.Services.Select(s => new ServiceInput(s.Id, s.Name, s.Description, [.. s.TaxonomyCodes]))],
        Locations = [.. l.Locations.Select(x => new LocationInput(x.Id, x.Name, x.Latitude, x.Longitude,
            x.Address is { } a ? new AddressInput(a.Street1, a.Street2, a.City, a.State, a.PostalCode, a.CountyFips, a.CountyName) : null, x.Confidential))],
        ServiceAreas = [.. l.ServiceAreas.Select(a => new ServiceAreaInput(a.Type, a.Code, a.Name,
            a.GeoJson is { } g ? JsonDocument.Parse(g).RootElement.Clone() : null))],
        Phones = [.. l.Phones.Select(p => new PhoneInput(p.Number, p.Type, p.Description, p.Hours?.ToInput(), [.. p.Languages]))],
        Hours = l.Hours?.ToInput(),
        Languages = [.. l.Languages],
        InterpretationAvailable = l.InterpretationAvailable,
        Populations = [.. l.Populations],
        TraffickingTypes = [.. l.TraffickingTypes],
        EligibilityNotes = l.EligibilityNotes,
        FreeOfCharge = l.FreeOfCharge,
        AcceptingReferrals = l.AcceptingReferrals,
        Funding = l.Funding is { } f ? new FundingInput(f.Funder, f.Program, f.Eligibility, f.AmountMin, f.AmountMax,
            f.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), f.Url) : null,
        ExternalId = l.ExternalId,
        IsDemo = l.IsDemo,
        Readiness = l.Readiness is { } r ? new ReadinessInput(r.IntakeProtocol, r.WarmTransfers, r.WarmTransferPhone, r.WarmTransferHours?.ToInput(),
            r.CapacityNote, r.CapacityAsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.EligibilityNotes, r.StaffOnly) : null,
    };

    public static ScheduleInput ToInput(this Schedule s) => new(s.TimeZone, s.Always,
        [.. s.Periods.Select(p => new OpeningPeriodInput(p.Day.ToString(), p.Opens.ToString("HH:mm", CultureInfo.InvariantCulture), p.Closes.ToString("HH:mm", CultureInfo.InvariantCulture)))], s.Notes);

    public static AdminListingResponse ToAdminResponse(this StoredListing s, DateOnly staleBefore) => new(
        s.Listing.ToInput(), s.ETag, s.Version, s.Retired, s.CreatedAt, s.UpdatedAt,
        s.Listing.LastVerified?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        s.Listing.LastVerification is { } v ? new VerificationResponse(v.At, v.ByObjectId, v.ByName, v.Method, v.Notes) : null,
        IsStale(s.Listing, staleBefore));

    public static bool IsStale(Listing l, DateOnly staleBefore) => l.LastVerified is not { } d || d < staleBefore;
}
