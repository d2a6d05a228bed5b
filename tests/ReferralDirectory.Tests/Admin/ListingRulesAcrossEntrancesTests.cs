using System.Net;
using System.Text;
using System.Text.Json;
using ReferralDirectory.Api.Auth;
using ReferralDirectory.Model;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Admin;

/// <summary>
/// The same bad value gets the same message whichever way it comes in: the admin API, a CSV import, an HSDS import or
/// a search's query string (the rules are Core's <see cref="FieldRules"/>). None of them stores a link a user could
/// click or call that is not one.
/// </summary>
public sealed class ListingRulesAcrossEntrancesTests : DemoAppTests
{
    private readonly string _editor = TestTokens.For(Roles.Editor);

    /// <summary>A bad value, where each entrance takes it, and the one message all of them give. <c>Query</c> is a
    /// search URL the value is appended to, when a search takes the field (its parameter is the URL's last one).</summary>
    public sealed record BadValue(string Value, string AdminField, string CsvColumn, string? HsdsPath, string Message, string? Query = null)
    {
        public override string ToString() => $"{CsvColumn} = {Value}";
    }

    private static IEnumerable<BadValue> BadValues() =>
    [
        new("not-an-email", "email", "email", "$.email", FieldRules.EmailHint),
        new("javascript:alert(1)", "website", "website", "$.website", FieldRules.UrlHint),
        new("ftp://example.org/listing", "website", "website", "$.website", FieldRules.UrlHint),
        // HSDS feeds' phone numbers are kept as published (null: not checked there).
        new("call us maybe", "phones[0].number", "phone", null, FieldRules.PhoneHint),
        new("555-0100", "phones[0].number", "phone", null, FieldRules.PhoneHint),
        // Places: HSDS addresses may be outside the US, so HSDS feeds are not held to these.
        new("6310", "locations[0].address.postalCode", "postal_code", null, FieldRules.ZipHint, "/v1/resources/nearest?zip="),
        new("ZZ", "locations[0].address.state", "state", null, FieldRules.StateHint, "/v1/resources?state="),
        new("29999", "locations[0].address.countyFips", "county_fips", null, FieldRules.CountyHint, "/v1/resources?county="),
        new("2901", "locations[0].address.countyFips", "county_fips", null, FieldRules.CountyHint, "/v1/resources?county="),
    ];

    private async Task<(HttpStatusCode Status, JsonElement Body)> Upload(string url, string body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url).With(_editor);
        request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await Client.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static string[] Problems(JsonElement body, string column) =>
        [.. body.GetProperty("problems").EnumerateArray().Where(p => p.GetProperty("column").GetString() == column).Select(p => p.GetProperty("message").GetString()!)];

    [TestCaseSource(nameof(BadValues))]
    public async Task The_admin_api_csv_and_hsds_imports_refuse_a_bad_value_with_the_same_message(BadValue c)
    {
        // The admin API.
        var listing = AdminClient.NewListing("rules-" + Guid.NewGuid().ToString("N")[..8]);
        const string address = "locations[0].address.";
        if (c.AdminField.StartsWith("phones", StringComparison.Ordinal)) listing["phones"] = new[] { new { number = c.Value, type = "voice" } };
        else if (c.AdminField.StartsWith(address, StringComparison.Ordinal))
        {
            var fields = new Dictionary<string, object?> { ["street1"] = "1 Test St", ["city"] = "Jefferson City", ["state"] = "MO", ["postalCode"] = "65101" };
            fields[c.AdminField[address.Length..]] = c.Value;
            listing["locations"] = new[] { new Dictionary<string, object?> { ["latitude"] = 38.5767, ["longitude"] = -92.1735, ["address"] = fields } };
        }
        else listing[c.AdminField] = c.Value;
        var admin = await Client.SendAsync(HttpMethod.Post, "/v1/admin/listings", _editor, listing);
        Assert.That(admin.Status, Is.EqualTo(HttpStatusCode.BadRequest), admin.Body.ToString());
        Assert.That(admin.Body.GetProperty("errors").GetProperty(c.AdminField).EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { c.Message }));

        // A CSV import (the template's first row, with the bad value in its column).
        var lines = File.ReadAllLines(RepoFiles.Path("docs", "import-template.csv"));
        var header = lines[0].Split(',');
        var row = CsvRow(lines[1]);
        row[Array.IndexOf(header, c.CsvColumn)] = c.Value;
        row[Array.IndexOf(header, "external_id")] = "rules-csv";
        var csv = await Upload("/v1/admin/import/csv?dryRun=true", lines[0] + "\n" + string.Join(',', row.Select(Quote)) + "\n", "text/csv");
        Assert.That(csv.Status, Is.EqualTo(HttpStatusCode.OK), csv.Body.ToString()); // a dry run reports; nothing is written
        Assert.That(csv.Body.GetProperty("written").GetBoolean(), Is.False);
        Assert.That(Problems(csv.Body, c.CsvColumn), Is.EqualTo(new[] { c.Message }), csv.Body.ToString());

        // A search's query string.
        if (c.Query is { } query)
        {
            var search = await Client.GetAsync(query + Uri.EscapeDataString(c.Value));
            Assert.That(search.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            var parameter = query[(query.LastIndexOfAny(['?', '&']) + 1)..^1];
            var errors = JsonDocument.Parse(await search.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
            Assert.That(errors.GetProperty(parameter).EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { c.Message }), errors.ToString());
        }

        // An HSDS 3.0 organization document.
        if (c.HsdsPath is null) return;
        var org = new Dictionary<string, object?>
        {
            ["id"] = "6f1d2c4e-0000-4000-8000-00000000a001", ["name"] = "Rules Test Agency", ["description"] = "An organization made by a test.",
            ["email"] = "help@rules.example.org", ["website"] = "https://rules.example.org",
            ["phones"] = new[] { new Dictionary<string, object?> { ["id"] = "6f1d2c4e-0000-4000-8000-00000000a002", ["number"] = "(573) 555-0199" } },
        };
        if (c.HsdsPath == "$.phones[0].number") ((Dictionary<string, object?>[])org["phones"]!)[0]["number"] = c.Value;
        else org[c.HsdsPath[2..]] = c.Value;
        var hsds = await Upload("/v1/admin/import/hsds?dryRun=true", JsonSerializer.Serialize(org), "application/json");
        Assert.That(hsds.Status, Is.EqualTo(HttpStatusCode.OK), hsds.Body.ToString());
        Assert.That(hsds.Body.GetProperty("written").GetBoolean(), Is.False);
        Assert.That(Problems(hsds.Body, c.HsdsPath), Is.EqualTo(new[] { c.Message }), hsds.Body.ToString());
    }

    /// <summary>Splits one CSV line (quoted fields may hold commas).</summary>
    private static string[] CsvRow(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }

    private static string Quote(string cell) => cell.Contains(',') || cell.Contains('"') ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
