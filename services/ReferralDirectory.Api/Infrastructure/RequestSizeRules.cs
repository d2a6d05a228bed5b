namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// How large a request may be: the request target at most <see cref="MaxTargetBytes"/> (414) and the headers at most
/// <see cref="MaxHeaderBytes"/> (431), answered as RFC 9457 problems. Kestrel's own limits are set higher
/// (<see cref="KestrelRequestLineLimit"/>, <see cref="KestrelHeadersLimit"/>) so that these answers come from the
/// application, with a body that says what to do. Requests Kestrel cannot parse at all (a broken request line, a NUL
/// in the path, beyond its limits) are refused by the server before any application code runs;
/// <see cref="ProtocolRejections"/> turns those empty answers into problems too.
/// </summary>
public static class RequestSizeRules
{
    public const int MaxTargetBytes = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;
    public const int KestrelRequestLineLimit = 64 * 1024;
    public const int KestrelHeadersLimit = 128 * 1024;

    public static IApplicationBuilder UseRequestSizeRules(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var r = http.Request;
        var target = (r.PathBase.Value?.Length ?? 0) + (r.Path.Value?.Length ?? 0) + (r.QueryString.Value?.Length ?? 0);
        if (target > MaxTargetBytes)
        {
            await Refuse(http, StatusCodes.Status414UriTooLong, "The request address is too long.",
                $"Keep the path and query under {MaxTargetBytes / 1024} KB.");
            return;
        }
        var headers = 0;
        foreach (var (k, v) in r.Headers) headers += k.Length + v.ToString().Length + 4;
        if (headers > MaxHeaderBytes)
        {
            await Refuse(http, StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request headers are too large.",
                $"Keep the headers under {MaxHeaderBytes / 1024} KB in all.");
            return;
        }
        await next(http);
    });

    private static async Task Refuse(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
