using System.Text.Json;

namespace ReferralDirectory.Exchange.Hsds;

/// <summary>
/// Which HSDS 3.0 object a JSON document is, told from the fields only that object has (its required ones first:
/// a service has <c>status</c>, a location <c>location_type</c>, a service at a location its <c>service_id</c> or
/// nested service and location and no name, a taxonomy term its <c>code</c>, <c>taxonomy_id</c> or <c>parent_id</c>,
/// a taxonomy its <c>version</c>). What has none of them is read as an organization. The import uses it to refuse a
/// document of the wrong type with a message that names the type it found.
/// </summary>
public static class HsdsDocumentType
{
    public const string Organization = "organization";
    public const string Service = "service";
    public const string ServiceAtLocation = "service_at_location";
    public const string Location = "location";
    public const string Taxonomy = "taxonomy";
    public const string TaxonomyTerm = "taxonomy_term";

    private static readonly string[] ServiceOnly =
    [
        "status", "organization", "organization_id", "program_id", "program", "service_areas", "service_at_locations", "cost_options", "fees",
        "fees_description", "eligibility_description", "application_process", "required_documents", "wait_time", "interpretation_services",
        "accreditations", "licenses", "minimum_age", "maximum_age", "assured_date", "assurer_email", "alert", "last_modified",
    ];
    private static readonly string[] TermOnly = ["code", "taxonomy_id", "parent_id", "term_uri", "taxonomy_detail", "taxonomy"];
    private static readonly string[] LocationOnly = ["location_type", "latitude", "longitude", "addresses", "accessibility", "transportation", "external_identifier"];
    private static readonly string[] OrganizationOnly =
    [
        "services", "locations", "legal_status", "year_incorporated", "tax_status", "tax_id", "organization_identifiers", "programs",
        "parent_organization_id", "logo", "funding", "website", "email", "contacts", "phones",
    ];

    /// <summary>The type of <paramref name="doc"/>, or null when it is not a JSON object.</summary>
    public static string? Of(JsonElement doc)
    {
        if (doc.ValueKind != JsonValueKind.Object) return null;
        bool Has(string name) => doc.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;
        bool Any(string[] names) => names.Any(Has);
        if (Has("service_id") || Has("location_id") || (!Has("name") && (Has("service") || Has("location")))) return ServiceAtLocation;
        if (Any(ServiceOnly)) return Service;
        if (Any(TermOnly)) return TaxonomyTerm;
        if (Any(LocationOnly)) return Location;
        if (Has("version") && !Any(OrganizationOnly)) return Taxonomy;
        return Organization;
    }

    /// <summary>"an HSDS taxonomy_term document", for messages.</summary>
    public static string Describe(string type) => $"an HSDS {type} document";
}
