using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ReferralDirectory.Model;
using ReferralDirectory.Safety;
using ReferralDirectory.Search;

namespace ReferralDirectory.Api.Search;

/// <summary>
/// Encodes, once per listing when it is indexed, the fragments search answers are written from (the card format is
/// <see cref="Contracts.ResourceCardDto"/>): the card's head and tail, a fragment per location (the public view from
/// <see cref="ConfidentialLocationPolicy"/>; for a confidential location also the exact one, for caseworkers), and a
/// hotline's entry. Each fragment is the inside of a JSON object (no braces), so the writer joins them with the
/// search's own fields by copying bytes.
/// </summary>
public sealed class CardEncoder : IListingEncoder
{
    /// <summary>Bump whenever the fragments change (a saved index with other fragments is then not used).</summary>
    public string FormatVersion => "cards-3";

    public ListingPayload Encode(Listing listing, IReadOnlyList<PublicLocation> publicLocations, ConfidentialLocationPolicy policy)
    {
        var l = listing;
        var head = Fragment(w =>
        {
            w.WriteString("id", l.Id);
            w.WriteString("name", l.Name);
            w.WriteString("kind", l.Kind);
        });
        var main = MainPhone(l);
        var text = l.Phones.FirstOrDefault(p => p.Type == PhoneTypes.Text);
        var contact = Fragment(w =>
        {
            if (main is not null) w.WriteString("phone", main.Number);
            if (text is not null) w.WriteString("text", text.Number);
        });
        var tail = Fragment(w =>
        {
            w.WriteStartArray("services");
            foreach (var code in l.Services.SelectMany(s => s.TaxonomyCodes).Distinct(StringComparer.Ordinal)) w.WriteStringValue(code);
            w.WriteEndArray();
            w.WriteStartArray("languages");
            foreach (var lang in l.Languages) w.WriteStringValue(lang);
            w.WriteEndArray();
            // Flags are written when they say something: 24/7, not taking referrals now, a demo listing.
            if (l.Is24x7()) w.WriteBoolean("is24x7", true);
            if (!l.AcceptingReferrals) w.WriteBoolean("acceptingReferrals", false);
            if (l.LastVerified is { } v) w.WriteString("lastVerified", v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (l.IsDemo) w.WriteBoolean("isDemo", true);
        });
        var locations = new byte[publicLocations.Count][];
        byte[]?[]? exact = null;
        for (var i = 0; i < publicLocations.Count; i++)
        {
            locations[i] = LocationFragment(publicLocations[i], exactView: false);
            if (l.Locations[i].Confidential)
            {
                exact ??= new byte[publicLocations.Count][];
                exact[i] = LocationFragment(policy.ExactView(l.Locations[i]), exactView: true);
            }
        }
        byte[]? hotline = null;
        if (l.Kind == ListingKinds.Hotline)
        {
            hotline = Fragment(w =>
            {
                w.WriteString("id", l.Id);
                w.WriteString("name", l.Name);
                w.WriteStartArray("phones");
                foreach (var p in l.Phones)
                {
                    w.WriteStartObject();
                    w.WriteString("number", p.Number);
                    w.WriteString("type", p.Type);
                    if (p.Description is { } d) w.WriteString("description", d);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (l.Is24x7()) w.WriteBoolean("is24x7", true);
                if (l.Website is { } site) w.WriteString("website", site);
            });
        }
        return new ListingPayload(head, contact, tail, locations, exact, hotline);
    }

    /// <summary>The number a card shows: the first voice line or hotline (not a fax, text or TTY line), else the first.</summary>
    public static Phone? MainPhone(Listing l) =>
        l.Phones.FirstOrDefault(p => p.Type is PhoneTypes.Voice or PhoneTypes.Hotline) ?? l.Phones.FirstOrDefault(p => p.Type != PhoneTypes.Fax);

    private static byte[] LocationFragment(PublicLocation v, bool exactView) => Fragment(w =>
    {
        if (v.Confidential) w.WriteBoolean("confidential", true);
        if (exactView && v.Street1 is { } street) w.WriteString("street1", street);
        if (v.Town is { } town) w.WriteString("town", town);
        if (exactView && v.PostalCode is { } zip) w.WriteString("postalCode", zip);
        if (v.County is { } county) w.WriteString("county", county);
        // The county's code where a map shades the county instead of a pin (a confidential location).
        if (v.Confidential && v.CountyFips is { } fips) w.WriteString("countyFips", fips);
        if (v.State is { } state) w.WriteString("state", state);
        if (v.Latitude is { } lat && v.Longitude is { } lon)
        {
            // About a metre: what a map needs, and stored points rarely hold more.
            w.WriteNumber("latitude", Math.Round(lat, 5));
            w.WriteNumber("longitude", Math.Round(lon, 5));
        }
    });

    /// <summary>The inside of the JSON object <paramref name="write"/> writes (without its braces).</summary>
    internal static byte[] Fragment(Action<Utf8JsonWriter> write)
    {
        // Encoding runs while listings are indexed (a million at start-up): one buffer and writer per thread, reset
        // for each fragment. Nothing awaits between writing and copying out, so the thread's buffer cannot be shared.
        var (buffer, w) = t_writer ??= NewWriter();
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        w.WriteStartObject();
        write(w);
        w.WriteEndObject();
        w.Flush();
        var span = buffer.WrittenSpan;
        return span.Length <= 2 ? [] : span[1..^1].ToArray();
    }

    [ThreadStatic] private static (ArrayBufferWriter<byte>, Utf8JsonWriter)? t_writer;

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer));
    }
}
