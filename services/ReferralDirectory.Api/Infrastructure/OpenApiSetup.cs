using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using ReferralDirectory.Api.Endpoints;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ReferralDirectory.Api.Infrastructure;

public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddDirectoryOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Referral Directory API",
                Version = "v1",
                Description = "Find help for survivors of human trafficking: victim service agencies, coalitions and task forces, hotlines, funding. " +
                              "Every search answer carries the hotlines covering the searched place and the 911 notice. " +
                              "If you or someone else is in immediate danger, call 911.",
                License = new OpenApiLicense { Name = "MIT" },
                Contact = new OpenApiContact { Name = "Referral Directory maintainers (see the README in the source repository)" },
            });
            o.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A Microsoft Entra ID access token for this API with an app role: Directory.Admin, Directory.Editor or Caseworker.",
            });
            o.AddSecurityDefinition("apiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "Optional partner key for public search: its own rate limit instead of the anonymous one.",
            });
            o.OperationFilter<SecurityRequirements>();
            o.OperationFilter<QueryModelParameters>();
            o.OperationFilter<PathParameterDescriptions>();
            o.OperationFilter<GeoJsonResponses>();
            o.OperationFilter<HsdsNdjsonResponses>();
            o.OperationFilter<ProblemResponses>();
            o.DocumentFilter<RelativeServer>();
            o.SupportNonNullableReferenceTypes();
            // A nullable reference (funding, hours, geometry, ...) is written allOf [$ref] + nullable: OpenAPI 3.0
            // ignores the siblings of a bare $ref, so without it those properties would be documented as never null.
            o.UseAllOfToExtendReferenceSchemas();
            // Free-form JSON is any JSON, not the JsonNode class: GeoJSON coordinates are numbers or nested arrays of them.
            o.MapType<System.Text.Json.Nodes.JsonNode>(() => new OpenApiSchema { Description = "Any JSON value." });
            o.MapType<System.Text.Json.Nodes.JsonArray>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Array, Items = new OpenApiSchema(),
                Description = "GeoJSON coordinates (RFC 7946): [longitude, latitude] for a Point; arrays of such positions for a Polygon or MultiPolygon.",
            });
            o.CustomSchemaIds(t => t.IsGenericType
                ? t.Name[..t.Name.IndexOf('`')] + "Of" + string.Concat(t.GetGenericArguments().Select(a => a.Name))
                : t.Name.Replace("Dto", "", StringComparison.Ordinal));
            o.SchemaFilter<HsdsSnakeCase>();
        });
        return services;
    }

    public static WebApplication UseDirectoryOpenApi(this WebApplication app)
    {
        app.UseSwagger(o => o.RouteTemplate = "/openapi/{documentName}.json");
        return app;
    }

    /// <summary>Routes that require authorization say so, with their 401/403 answers.</summary>
    private sealed class SecurityRequirements : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            var requiresAuth = metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any();
            operation.Security ??= [];
            operation.Responses ??= [];
            if (requiresAuth)
            {
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] });
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid token." });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token lacks the role this route needs." });
            }
            else if (context.ApiDescription.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true)
            {
                operation.Security.Add(new OpenApiSecurityRequirement());
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", context.Document)] = [] });
                operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Rate limit reached; see Retry-After." });
            }
        }
    }

    /// <summary>
    /// Every error this service gives is an RFC 9457 problem (application/problem+json): each 4xx and 5xx answer is
    /// documented with the problem schema. Routes with an id in the path document their 404; searches their 503 (past
    /// the server-side time budget). Every operation has an id and a description.
    /// </summary>
    private sealed class ProblemResponses : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            operation.Responses ??= [];
            var path = context.ApiDescription.RelativePath ?? "";
            if (path.Contains('{', StringComparison.Ordinal))
                operation.Responses.TryAdd("404", new OpenApiResponse { Description = "Not found: nothing has this id (or the place is unknown)." });
            if (path.StartsWith("v1/resources", StringComparison.Ordinal) || path.StartsWith("hsds", StringComparison.Ordinal))
                operation.Responses.TryAdd("503", new OpenApiResponse { Description = "The search ran past its server-side time budget, or the directory is still loading; try again." });
            // 400s name each invalid field (errors); other problems are plain RFC 9457 problem details.
            var validation = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails), context.SchemaRepository);
            var problem = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
            foreach (var (code, response) in operation.Responses)
            {
                if (code.Length != 3 || code[0] is not ('4' or '5') || response is not OpenApiResponse r) continue;
                r.Content ??= new Dictionary<string, OpenApiMediaType>();
                r.Content.Clear();
                r.Content["application/problem+json"] = new OpenApiMediaType { Schema = code == "400" ? validation : problem };
            }
            var method = context.ApiDescription.HttpMethod ?? "GET";
            var name = string.IsNullOrEmpty(operation.OperationId)
                ? context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName
                  ?? method[..1] + method[1..].ToLowerInvariant() + string.Concat(path.Split('/', '{', '}', '_', '-').Where(x => x.Length > 0).Select(x => char.ToUpperInvariant(x[0]) + x[1..]))
                : operation.OperationId;
            // GET and HEAD share one endpoint (and its name); operation ids must be unique.
            operation.OperationId = method.Equals("HEAD", StringComparison.OrdinalIgnoreCase) ? name + "Head" : name;
            if (string.IsNullOrEmpty(operation.Description)) operation.Description = operation.Summary;
        }
    }

    /// <summary>The document names its server relative to where it is served, so it is the same on every host.</summary>
    private sealed class RelativeServer : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context) => document.Servers = [new OpenApiServer { Url = "/", Description = "The host serving this document." }];
    }

    /// <summary>Documents the GeoJSON (RFC 7946) representation of search answers as a second 200 content type.</summary>
    private sealed class GeoJsonResponses : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ReferralDirectory.Api.Search.GeoJsonOutputMetadata>().Any()) return;
            if (operation.Responses is null || !operation.Responses.TryGetValue("200", out var ok) || ok is not OpenApiResponse response) return;
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content[ReferralDirectory.Api.Search.GeoJsonNegotiation.MediaType] = new OpenApiMediaType
            {
                Schema = context.SchemaGenerator.GenerateSchema(typeof(Contracts.GeoJsonFeatureCollection), context.SchemaRepository),
            };
            response.Description = (response.Description ?? "OK") + "." +
                " With Accept: application/geo+json, a GeoJSON FeatureCollection: one Feature per result (Point [lon, lat]; a confidential location as its county's outline, never a point).";
        }
    }

    /// <summary>Documents HSDS format=ndjson answers as a second 200 content type (each line one document).</summary>
    private sealed class HsdsNdjsonResponses : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Hsds.HsdsNdjsonOutput>().FirstOrDefault() is not { } ndjson) return;
            if (operation.Responses is null || !operation.Responses.TryGetValue("200", out var ok) || ok is not OpenApiResponse response) return;
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content[Hsds.HsdsNdjson<object>.ContentType] = new OpenApiMediaType
            {
                Schema = context.SchemaGenerator.GenerateSchema(ndjson.ItemType, context.SchemaRepository),
            };
            response.Description = (response.Description ?? "OK") + ". With format=ndjson, every result as application/x-ndjson: one document (this schema) a line, no page.";
        }
    }

    /// <summary>HSDS documents are written in snake_case (HsdsJson.Options): document their properties so.</summary>
    private sealed class HsdsSnakeCase : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (context.Type.Namespace != typeof(Exchange.Hsds.HsdsJson).Namespace || schema is not OpenApiSchema s || s.Properties is null) return;
            static string Snake(string n) => n is "address1" or "address2" ? "address_" + n[^1] : System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(n);
            var renamed = s.Properties.ToDictionary(p => Snake(p.Key), p => p.Value);
            s.Properties.Clear();
            foreach (var (k, v) in renamed) s.Properties[k] = v;
            if (s.Required is { Count: > 0 } req)
            {
                var names = req.Select(Snake).ToList();
                req.Clear();
                foreach (var n in names) req.Add(n);
            }
        }
    }

    /// <summary>Describes route parameters.</summary>
    private sealed class PathParameterDescriptions : IOperationFilter
    {
        private static readonly Dictionary<string, string> Descriptions = new()
        {
            ["id"] = "The listing's stable id, as returned by a search.",
            ["state"] = "Two-letter state code, such as MO.",
        };

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            foreach (var p in operation.Parameters ?? [])
            {
                if (p is OpenApiParameter op && p.In == ParameterLocation.Path && string.IsNullOrEmpty(p.Description) && Descriptions.TryGetValue(p.Name ?? "", out var d))
                    op.Description = d;
            }
        }
    }

    /// <summary>Documents the query parameters that self-parsing query models read.</summary>
    private sealed class QueryModelParameters(IOptions<SearchOptions> search) : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var models = context.MethodInfo.GetParameters().Select(p => p.ParameterType)
                .Where(t => typeof(IQueryModel).IsAssignableFrom(t)).ToArray();
            if (models.Length == 0) return;
            operation.Parameters ??= [];
            var modelParamNames = context.MethodInfo.GetParameters().Where(p => models.Contains(p.ParameterType)).Select(p => p.Name).ToHashSet();
            foreach (var p in operation.Parameters.Where(p => modelParamNames.Contains(p.Name)).ToList()) operation.Parameters.Remove(p);
            foreach (var doc in models.SelectMany(m => QueryValidationFilter.DocsOf(m, search.Value)))
            {
                if (operation.Parameters.Any(p => p.Name == doc.Name)) continue;
                var itemType = doc.Type switch
                {
                    "number" => JsonSchemaType.Number,
                    "integer" => JsonSchemaType.Integer,
                    "boolean" => JsonSchemaType.Boolean,
                    _ => JsonSchemaType.String,
                };
                var item = new OpenApiSchema { Type = itemType, Format = doc.Format };
                if (doc.Default is { } d) item.Default = JsonNode.Parse(doc.Type == "string" ? $"\"{d}\"" : d);
                var schema = doc.Array ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = item } : item;
                var parameter = new OpenApiParameter
                {
                    Name = doc.Name,
                    In = ParameterLocation.Query,
                    Required = doc.Required,
                    Description = doc.Description,
                    Schema = schema,
                    Example = doc.Example is not { } e ? null
                        : doc.Array ? new JsonArray([.. e.Split(',').Select(x => doc.Type == "string" ? JsonValue.Create(x.Trim()) : JsonNode.Parse(x))])
                        : doc.Type == "string" ? JsonValue.Create(e) : JsonNode.Parse(e),
                };
                if (doc.Array) parameter.Explode = true;
                operation.Parameters.Add(parameter);
            }
            operation.Responses ??= [];
            if (!operation.Responses.ContainsKey("400"))
                operation.Responses["400"] = new OpenApiResponse { Description = "Invalid parameters: a validation problem (RFC 9457) naming each field." };
        }
    }
}
