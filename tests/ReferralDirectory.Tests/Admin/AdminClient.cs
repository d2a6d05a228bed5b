using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Admin;

/// <summary>Small helpers to call the admin API with a token and inspect answers.</summary>
public static class AdminClient
{
    public sealed record Answer(HttpStatusCode Status, JsonElement Body, string? ETag, HttpResponseMessage Response);

    public static async Task<Answer> SendAsync(this HttpClient client, HttpMethod method, string url, string? token, object? body = null,
        string? ifMatch = null, string contentType = "application/json", string? rawBody = null)
    {
        using var request = new HttpRequestMessage(method, url).With(token);
        if (rawBody is not null) request.Content = new StringContent(rawBody, Encoding.UTF8, contentType);
        else if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, contentType);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Answer(response.StatusCode, json, response.Headers.ETag?.ToString(), response);
    }

    /// <summary>A valid new listing (agency in Jefferson City, MO).</summary>
    public static Dictionary<string, object?> NewListing(string id = "test-agency") => new()
    {
        ["id"] = id,
        ["kind"] = "victim-service-agency",
        ["name"] = "Test Agency",
        ["description"] = "A listing made by a test.",
        ["website"] = "https://test-agency.example.org",
        ["email"] = "help@test-agency.example.org",
        ["services"] = new[] { new { name = "Shelter", taxonomyCodes = new[] { "emergency-shelter" } } },
        ["locations"] = new[] { new { latitude = 38.5767, longitude = -92.1735, address = new { street1 = "1 Test St", city = "Jefferson City", state = "MO", postalCode = "65101" } } },
        ["phones"] = new[] { new { number = "(573) 555-0199", type = "voice" } },
        ["hours"] = new { timeZone = "America/Chicago", always = true },
        ["populations"] = new[] { "adults", "female" },
        ["traffickingTypes"] = new[] { "sex", "labor" },
        ["languages"] = new[] { "en", "es" },
    };
}
