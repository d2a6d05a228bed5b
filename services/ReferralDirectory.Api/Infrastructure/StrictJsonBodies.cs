using ReferralDirectory.Exchange;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// JSON request bodies (admin writes: listings, verification, partner keys, geocoding) are checked by
/// <see cref="StrictJson"/> before anything reads them: a field given twice or text with a lone surrogate answers a
/// 400 problem naming the field, instead of being read one way or another, or failing deep inside a reader.
/// Imports are checked document by document by the importers themselves (their bodies may be large).
/// </summary>
public static class StrictJsonBodies
{
    public static IApplicationBuilder UseStrictJsonBodies(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if ((HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
            && IsJson(request.ContentType) && !request.Path.StartsWithSegments("/v1/admin/import"))
        {
            request.EnableBuffering();
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, http.RequestAborted);
            request.Body.Position = 0;
            if (StrictJson.Check(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), maxDepth: 32) is { } violation)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "The request body has invalid fields.",
                        Extensions = { ["errors"] = new Dictionary<string, string[]> { [Problems.FieldOf(violation.Path)] = [violation.Message] } },
                    },
                });
                return;
            }
        }
        await next(http);
    });

    private static bool IsJson(string? contentType)
    {
        var media = contentType?.Split(';')[0].Trim();
        return media is not null && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));
    }
}
