using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// Section <c>ForwardedHeaders</c>. Behind a reverse proxy or ingress (Azure Container Apps), the client's address
/// arrives in X-Forwarded-For; rate limits per client need it. Off by default: only turn it on when the proxy is
/// the only way in, or anyone could choose their own address.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    public bool Enabled { get; set; }
    /// <summary>How many proxies' entries to trust, from the right of X-Forwarded-For.</summary>
    [Range(1, 10)] public int ForwardLimit { get; set; } = 1;
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
        // The ingress's own address is not known in advance (Container Apps): trust the configured number of hops.
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        app.UseForwardedHeaders(options);
        return app;
    }
}
