using System.Net;
using System.Text;
using System.Text.Json;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Model;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Admin;

/// <summary>Referral readiness (intake protocol, warm transfers, capacity now, eligibility) as listing data: edited
/// through the admin API, carried by CSV and HSDS, public unless the listing marks it staff-only.</summary>
[TestFixture]
public sealed class ReadinessTests : DemoAppTests
{
    private readonly string _editor = TestTokens.For(Roles.Editor);
    private readonly string _caseworker = TestTokens.For(Roles.Caseworker);

    private static object Readiness(bool staffOnly, string marker) => new
    {
        intakeProtocol = $"Call the intake line and ask for {marker}. Bring any ID you have, or none.",
        warmTransfers = true,
        warmTransferPhone = "(573) 555-0188",
        warmTransferHours = new { timeZone = "America/Chicago", periods = new[] { new { day = "Monday", opens = "09:00", closes = "17:00" }, new { day = "Friday", opens = "10:00", closes = "14:00" } } },
        capacityNote = "2 beds open",
        capacityAsOf = "2026-11-16",
        eligibilityNotes = "Women 18+, with or without children",
        staffOnly,
    };

    private async Task<AdminClient.Answer> Create(string id, bool staffOnly, string marker)
    {
        var input = AdminClient.NewListing(id);
        input["acceptingReferrals"] = false;
        input["readiness"] = Readiness(staffOnly, marker);
        var created = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _editor, input);
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body.ToString());
        return created;
    }

    private static void AssertReadiness(JsonElement r, string marker, bool staffOnly)
    {
        Assert.That(r.GetProperty("intakeProtocol").GetString(), Is.EqualTo($"Call the intake line and ask for {marker}. Bring any ID you have, or none."));
        Assert.That(r.GetProperty("warmTransfers").GetBoolean(), Is.True);
        Assert.That(r.GetProperty("warmTransferPhone").GetString(), Is.EqualTo("(573) 555-0188"));
        var hours = r.GetProperty("warmTransferHours");
        Assert.That(hours.GetProperty("timeZone").GetString(), Is.EqualTo("America/Chicago"));
        Assert.That(hours.GetProperty("periods").EnumerateArray().Select(p => $"{p.GetProperty("day").GetString()} {p.GetProperty("opens").GetString()}-{p.GetProperty("closes").GetString()}"),
            Is.EqualTo(new[] { "Monday 09:00-17:00", "Friday 10:00-14:00" }));
        Assert.That(r.GetProperty("capacityNote").GetString(), Is.EqualTo("2 beds open"));
        Assert.That(r.GetProperty("capacityAsOf").GetString(), Is.EqualTo("2026-11-16"));
        Assert.That(r.GetProperty("eligibilityNotes").GetString(), Is.EqualTo("Women 18+, with or without children"));
        Assert.That(r.GetProperty("staffOnly").GetBoolean(), Is.EqualTo(staffOnly));
    }

    [Test]
    public async Task Readiness_round_trips_through_the_admin_api_and_public_readiness_is_on_the_public_listing()
    {
        var created = await Create("ready-public", staffOnly: false, "Ready Public");
        AssertReadiness(created.Body.GetProperty("listing").GetProperty("readiness"), "Ready Public", staffOnly: false);
        var again = await Client.SendAsync(HttpMethod.Get, "/v1/admin/listings/ready-public", _editor);
        AssertReadiness(again.Body.GetProperty("listing").GetProperty("readiness"), "Ready Public", staffOnly: false);

        var pub = await Client.GetJsonAsync("/v1/resources/ready-public");
        var r = pub.GetProperty("readiness");
        AssertReadiness(r, "Ready Public", staffOnly: false);
        Assert.That(r.GetProperty("acceptingReferrals").GetBoolean(), Is.False, "accepting referrals now is the listing's flag");

        // A merge patch can change one readiness field; the rest is kept.
        var patched = await Client.SendAsync(HttpMethod.Patch, "/v1/admin/listings/ready-public", _editor, new { readiness = new { capacityNote = "No beds this week" } },
            ifMatch: again.ETag, contentType: "application/merge-patch+json");
        Assert.That(patched.Status, Is.EqualTo(HttpStatusCode.OK), patched.Body.ToString());
        Assert.That(patched.Body.GetProperty("listing").GetProperty("readiness").GetProperty("capacityNote").GetString(), Is.EqualTo("No beds this week"));
        Assert.That(patched.Body.GetProperty("listing").GetProperty("readiness").GetProperty("warmTransferPhone").GetString(), Is.EqualTo("(573) 555-0188"));
    }

    [Test]
    public async Task Staff_only_readiness_is_absent_from_public_answers_and_private_for_caseworkers()
    {
        await Create("ready-staff", staffOnly: true, "Staffonly Marker");
        var pub = await Client.SendAsync(HttpMethod.Get, "/v1/resources/ready-staff", token: null);
        Assert.That(pub.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(pub.Body.TryGetProperty("readiness", out var none) ? none.ValueKind : JsonValueKind.Undefined, Is.AnyOf(JsonValueKind.Undefined, JsonValueKind.Null));
        var publicText = await Client.GetStringAsync("/v1/resources/ready-staff") + await Client.GetStringAsync("/hsds/organizations?full=true&per_page=100")
                         + await Client.GetStringAsync("/v1/resources/nearest?lat=38.5767&lon=-92.1735&limit=5&detail=full");
        Assert.That(publicText, Does.Contain("ready-staff").Or.Contain("Test Agency"), "the listing itself is public");
        Assert.That(publicText, Does.Not.Contain("Staffonly Marker"));

        var staff = await Client.SendAsync(HttpMethod.Get, "/v1/resources/ready-staff", _caseworker);
        AssertReadiness(staff.Body.GetProperty("readiness"), "Staffonly Marker", staffOnly: true);
        Assert.That(staff.Response.Headers.CacheControl?.ToString(), Does.Contain("no-store").And.Contain("private"));
    }

    [Test]
    public async Task Invalid_readiness_fields_are_each_named()
    {
        var input = AdminClient.NewListing("ready-bad");
        input["readiness"] = new { warmTransfers = false, warmTransferPhone = "call us", capacityAsOf = "16/11/2026", warmTransferHours = new { periods = new[] { new { day = "Funday", opens = "9", closes = "17:00" } } } };
        var answer = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _editor, input);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(answer.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[]
        {
            "readiness.warmTransferPhone", "readiness.capacityAsOf", "readiness.warmTransferHours.periods[0].day", "readiness.warmTransferHours.periods[0].opens",
        }));
        Assert.That(answer.Body.GetProperty("errors").GetProperty("readiness.capacityAsOf")[0].GetString(), Is.EqualTo("Must be a date as yyyy-MM-dd."));
    }

    [Test]
    public async Task Readiness_round_trips_through_csv()
    {
        var listing = new Listing
        {
            Id = "ready-csv", ExternalId = "ready-csv-1", Kind = ListingKinds.VictimServiceAgency, Name = "CSV Ready Agency",
            ServiceAreas = [new ServiceArea { Type = ServiceAreaTypes.County, Code = "29019", Name = "Boone County, MO" }],
            AcceptingReferrals = false,
            Readiness = new ReferralReadiness
            {
                IntakeProtocol = "Call, then \"walk in\"; bring nothing.\nAsk for Sam.", WarmTransfers = true, WarmTransferPhone = "573-555-0177",
                WarmTransferHours = new Schedule { TimeZone = "America/Chicago", Periods = [new(DayOfWeek.Tuesday, new(9, 0), new(17, 30))] },
                CapacityNote = "=1 bed", CapacityAsOf = new DateOnly(2026, 11, 17), EligibilityNotes = "Adults", StaffOnly = true,
            },
        };
        var text = new StringWriter();
        using (var w = new CsvListingWriter(text)) { w.WriteHeader(); w.WriteRow(listing); }
        var import = await Client.SendAsync(HttpMethod.Post, "/v1/admin/import/csv", _editor, rawBody: text.ToString(), contentType: "text/csv");
        Assert.That(import.Status, Is.EqualTo(HttpStatusCode.OK), import.Body.ToString());
        var stored = await Client.SendAsync(HttpMethod.Get, "/v1/admin/listings/ready-csv", _editor);
        var r = stored.Body.GetProperty("listing").GetProperty("readiness");
        Assert.That(r.GetProperty("intakeProtocol").GetString(), Is.EqualTo("Call, then \"walk in\"; bring nothing.\nAsk for Sam."));
        Assert.That(r.GetProperty("warmTransferPhone").GetString(), Is.EqualTo("573-555-0177"));
        Assert.That(r.GetProperty("warmTransferHours").GetProperty("periods")[0].GetProperty("closes").GetString(), Is.EqualTo("17:30"));
        Assert.That(r.GetProperty("capacityNote").GetString(), Is.EqualTo("=1 bed"), "the formula escape is undone on import");
        Assert.That((r.GetProperty("capacityAsOf").GetString(), r.GetProperty("eligibilityNotes").GetString(), r.GetProperty("staffOnly").GetBoolean()),
            Is.EqualTo(("2026-11-17", "Adults", true)));
        Assert.That(stored.Body.GetProperty("listing").GetProperty("acceptingReferrals").GetBoolean(), Is.False);

        var bad = CsvListingColumns.Header + "\r\n" + string.Join(',', CsvListingColumns.Names.Select(n => n switch
        {
            "external_id" => "bad-ready",
            "kind" => "hotline",
            "name" => "Bad Ready",
            "service_areas" => "state:MO",
            "referral_warm_transfer_hours" => "Someday 9-5",
            "referral_capacity_as_of" => "soon",
            _ => "",
        })) + "\r\n";
        var refused = await Client.SendAsync(HttpMethod.Post, "/v1/admin/import/csv?dryRun=true", _editor, rawBody: bad, contentType: "text/csv");
        var problems = refused.Body.ToString();
        Assert.That(problems, Does.Contain("referral_warm_transfer_hours").And.Contain("referral_capacity_as_of"));
    }

    [Test]
    public async Task Public_readiness_round_trips_through_hsds_as_the_x_referral_readiness_extension()
    {
        await Create("ready-hsds", staffOnly: false, "Hsds Ready");
        var orgId = ReferralDirectory.Exchange.Hsds.HsdsIds.Organization("ready-hsds");
        var org = await Client.GetJsonAsync($"/hsds/organizations/{orgId}");
        var x = org.GetProperty("x_referral_readiness");
        Assert.That(x.GetProperty("warm_transfer_phone").GetString(), Is.EqualTo("(573) 555-0188"));
        Assert.That(x.GetProperty("accepting_referrals").GetBoolean(), Is.False);

        // Imported as another organization (a new id) into the same directory.
        const string copyId = "5d6c1f0e-2b8a-4c7e-9f3d-0a1b2c3d4e5f";
        var copy = System.Text.Json.Nodes.JsonNode.Parse(org.GetRawText())!.AsObject();
        copy["id"] = copyId;
        var import = await Client.SendAsync(HttpMethod.Post, "/v1/admin/import/hsds", _editor, rawBody: copy.ToJsonString(), contentType: "application/x-ndjson");
        Assert.That(import.Status, Is.EqualTo(HttpStatusCode.OK), import.Body.ToString());
        var imported = await Client.SendAsync(HttpMethod.Get, $"/v1/admin/listings/{copyId}", _editor);
        Assert.That(imported.Status, Is.EqualTo(HttpStatusCode.OK), imported.Body.ToString());
        AssertReadiness(imported.Body.GetProperty("listing").GetProperty("readiness"), "Hsds Ready", staffOnly: false);
        Assert.That(imported.Body.GetProperty("listing").GetProperty("acceptingReferrals").GetBoolean(), Is.False);

        // Staff-only readiness never leaves through HSDS.
        var current = await Client.SendAsync(HttpMethod.Get, "/v1/admin/listings/ready-hsds", _editor);
        await Client.SendAsync(HttpMethod.Patch, "/v1/admin/listings/ready-hsds", _editor, new { readiness = new { staffOnly = true } }, ifMatch: current.ETag, contentType: "application/merge-patch+json");
        var after = await Client.GetJsonAsync($"/hsds/organizations/{orgId}");
        Assert.That(after.TryGetProperty("x_referral_readiness", out _), Is.False);
        Assert.That(after.GetProperty("name").GetString(), Is.EqualTo("Test Agency"));
    }
}
