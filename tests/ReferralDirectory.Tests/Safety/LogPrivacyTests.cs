using Microsoft.Extensions.Logging;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Safety;

public sealed class LogPrivacyTests
{
    [Test]
    public async Task Search_coordinates_and_zip_codes_never_reach_information_logs_even_with_verbose_configuration()
    {
        using var app = new DirectoryApp(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });
        using var client = app.Client();
        await client.GetAsync("/v1/resources/nearest?lat=38.71234&lon=-90.45678&service=emergency-shelter");
        await client.GetAsync("/v1/resources/serving?lat=38.71234&lon=-90.45678");
        await client.GetAsync("/v1/hotlines?lat=38.71234&lon=-90.45678");
        await client.GetAsync("/v1/resources?lat=38.71234&lon=-90.45678&radiusKm=20");
        await client.GetAsync("/v1/resources/nearest?lat=38.71234&lon=999.45678");
        await client.GetAsync("/v1/resources/nearest?zip=63119");
        await client.GetAsync("/v1/resources/nearest?near=Webster%20Groves%2C%20MO");
        var info = app.Logs.Entries.Where(l => l.Level >= LogLevel.Information).Select(l => l.Category + ": " + l.Message).ToArray();
        Assert.That(info, Is.Not.Empty, "logging works (start-up lines)");
        Assert.That(info.Where(m => m.Contains("38.71234") || m.Contains("90.45678") || m.Contains("63119") || m.Contains("Webster")), Is.Empty);
    }
}
