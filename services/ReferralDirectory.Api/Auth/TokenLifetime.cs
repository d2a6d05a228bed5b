using Microsoft.IdentityModel.Tokens;

namespace ReferralDirectory.Api.Auth;

/// <summary>
/// A bearer token is valid from its <c>nbf</c> to its <c>exp</c>, give or take the clock skew, on the service's clock
/// (<see cref="TimeProvider"/>), like everything else that tells the time; a token without an expiry is refused.
/// </summary>
public static class TokenLifetime
{
    public static LifetimeValidator On(TimeProvider time) => (notBefore, expires, _, parameters) =>
    {
        if (expires is not { } exp) return false;
        var now = time.GetUtcNow().UtcDateTime;
        var skew = parameters.ClockSkew;
        if (notBefore is { } nbf && (nbf > exp || nbf.ToUniversalTime() > now + skew)) return false;
        return exp.ToUniversalTime() >= now - skew;
    };
}
