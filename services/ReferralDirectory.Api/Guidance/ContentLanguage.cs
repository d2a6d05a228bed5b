using Microsoft.Net.Http.Headers;
using ReferralDirectory.Api.Endpoints;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Guidance;

namespace ReferralDirectory.Api.Guidance;

/// <summary>
/// Which language an answer is in: the <c>lang</c> query parameter when given (an explicit choice, e.g. a language
/// switch, wins), else the best of English and Spanish in <c>Accept-Language</c> (by quality; <c>es-MX</c> is Spanish,
/// <c>*</c> is English), else English. Answers say which in <c>Content-Language</c> and vary on Accept-Language.
/// </summary>
public static class ContentLanguage
{
    public static string Negotiate(string? lang, IList<StringWithQualityHeaderValue> acceptLanguage)
    {
        if (lang is not null && GuidanceLanguages.IsSupported(lang)) return lang;
        foreach (var range in acceptLanguage.Where(a => (a.Quality ?? 1) > 0).OrderByDescending(a => a.Quality ?? 1))
        {
            var tag = range.Value.Value ?? "";
            if (tag == "*") return GuidanceLanguages.English;
            var primary = tag.Split('-')[0].ToLowerInvariant();
            if (GuidanceLanguages.IsSupported(primary)) return primary;
        }
        return GuidanceLanguages.English;
    }

    public static string Negotiate(HttpRequest request, string? lang) =>
        Negotiate(lang, request.GetTypedHeaders().AcceptLanguage);

    /// <summary>Sets Content-Language and adds Accept-Language to Vary (keeping what is there).</summary>
    public static void Declare(HttpResponse response, string language)
    {
        response.Headers.ContentLanguage = language;
        var vary = response.Headers.Vary.ToString();
        if (!vary.Split(',', StringSplitOptions.TrimEntries).Contains("Accept-Language", StringComparer.OrdinalIgnoreCase))
            response.Headers.Vary = string.IsNullOrEmpty(vary) ? "Accept-Language" : vary + ", Accept-Language";
    }
}

/// <summary>The <c>lang</c> query parameter, resolved with Accept-Language into the answer's language.</summary>
public sealed class LanguageQuery : IQueryModel
{
    public IDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();
    public string Language { get; private init; } = GuidanceLanguages.English;

    public static IReadOnlyList<QueryParameterDoc> Parameters(SearchOptions search) => Docs;

    private static readonly QueryParameterDoc[] Docs =
    [
        new("lang", "string", "Language of the answer: en (English, the default) or es (Spanish). When given, it wins over the Accept-Language header; without it, the best of en and es in Accept-Language is used.", Example: "es"),
    ];

    public static ValueTask<LanguageQuery> BindAsync(HttpContext context)
    {
        var r = new QueryReader(context.Request.Query);
        var lang = r.Text("lang", 10)?.ToLowerInvariant();
        if (lang is not null && !GuidanceLanguages.IsSupported(lang))
        {
            r.Error("lang", $"'lang' must be one of: {string.Join(", ", GuidanceLanguages.All)}.");
            lang = null;
        }
        return ValueTask.FromResult(new LanguageQuery { Errors = r.Errors, Language = ContentLanguage.Negotiate(context.Request, lang) });
    }
}

/// <summary>Declares the answer's language (Content-Language, Vary: Accept-Language) on answers of endpoints that take a <see cref="LanguageQuery"/>.
/// Runs after the query is validated, around the cache filter so its Vary is kept.</summary>
public sealed class ContentLanguageFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (context.Arguments.OfType<LanguageQuery>().FirstOrDefault() is { } q) ContentLanguage.Declare(context.HttpContext.Response, q.Language);
        return result;
    }
}
