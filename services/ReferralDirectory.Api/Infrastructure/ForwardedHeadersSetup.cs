using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// Section <c>ForwardedHeaders</c>. Behind a reverse proxy or ingress (Azure Container Apps), the client's address
/// arrives in X-Forwarded-For; rate limits per client need it. Off by default. When on, the header is believed only
/// from a peer inside <see cref="KnownNetworks"/> (CIDR, e.g. the Container Apps environment's infrastructure subnet)
/// or listed in <see cref="KnownProxies"/>: anyone else who sends it is counted by their own address, so rotating
/// made-up addresses gains no quota.
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string Section = "ForwardedHeaders";

    public bool Enabled { get; set; }
    /// <summary>How many proxies' entries to trust, from the right of X-Forwarded-For.</summary>
    [Range(1, 10)] public int ForwardLimit { get; set; } = 1;
    /// <summary>Networks the proxies connect from, as CIDR (10.40.0.0/23).</summary>
    public string[] KnownNetworks { get; set; } = [];
    /// <summary>Single proxy addresses.</summary>
    public string[] KnownProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var n in KnownNetworks)
            if (!System.Net.IPNetwork.TryParse(n, out _)) yield return new ValidationResult($"ForwardedHeaders:KnownNetworks: '{n}' is not a CIDR network such as 10.40.0.0/23.");
        foreach (var p in KnownProxies)
            if (!System.Net.IPAddress.TryParse(p, out _)) yield return new ValidationResult($"ForwardedHeaders:KnownProxies: '{p}' is not an IP address.");
        if (Enabled && KnownNetworks.Length == 0 && KnownProxies.Length == 0)
            yield return new ValidationResult("ForwardedHeaders:Enabled needs ForwardedHeaders:KnownNetworks or KnownProxies: the proxies whose X-Forwarded-For is believed.");
    }
}

public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddDirectoryForwardedHeaders(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ForwardedHeadersSettings>().Bind(config.GetSection(ForwardedHeadersSettings.Section)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static WebApplication UseDirectoryForwardedHeaders(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        if (!settings.Enabled) return app;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = settings.ForwardLimit,
        };
        // Only the configured proxies: a header from any other peer is ignored (the peer's own address counts).
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var n in settings.KnownNetworks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(n));
        foreach (var p in settings.KnownProxies) options.KnownProxies.Add(System.Net.IPAddress.Parse(p));
        app.UseForwardedHeaders(options);
        return app;
    }
}
