using System.Net.Http.Json;
using System.Text.Json;

namespace ReferralDirectory.Tests.Support;

public static class Json
{
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url, int expectedStatus = 200)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(expectedStatus), $"GET {url} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static IEnumerable<JsonElement> Items(this JsonElement e, string property) => e.GetProperty(property).EnumerateArray();

    public static string[] Ids(this JsonElement e, string property) =>
        [.. e.Items(property).Select(r => r.GetProperty("id").GetString()!)];
}
