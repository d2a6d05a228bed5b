using System.Globalization;
using System.Text;
using ReferralDirectory.Api.WebPages.Staff;

namespace ReferralDirectory.Api.WebPages.Admin;

/// <summary>A listing field's name as editors read it, from its form path: <c>phones[0].hours.periods[1].opens</c> is
/// "Phone 1 · Hours · Period 2 · Opens". Used wherever a page names a field: error summaries, merges, diffs.</summary>
public static class ListingFieldLabels
{
    private static readonly Dictionary<string, (string En, string Es)> Names = new(StringComparer.Ordinal)
    {
        ["id"] = ("Id", "Id"), ["kind"] = ("Kind", "Tipo"), ["name"] = ("Name", "Nombre"), ["alternateName"] = ("Other name", "Otro nombre"),
        ["description"] = ("Description", "Descripción"), ["email"] = ("Email", "Correo electrónico"), ["website"] = ("Website", "Sitio web"),
        ["collaborationType"] = ("Collaboration type", "Tipo de colaboración"), ["services"] = ("Service", "Servicio"),
        ["taxonomyCodes"] = ("Service codes", "Códigos de servicio"), ["locations"] = ("Location", "Ubicación"), ["latitude"] = ("Latitude", "Latitud"),
        ["longitude"] = ("Longitude", "Longitud"), ["confidential"] = ("Confidential", "Confidencial"), ["address"] = ("Address", "Dirección"),
        ["street1"] = ("Street", "Calle"), ["street2"] = ("Street, line 2", "Calle, línea 2"), ["city"] = ("Town or city", "Pueblo o ciudad"),
        ["state"] = ("State", "Estado"), ["postalCode"] = ("ZIP code", "Código postal"), ["countyFips"] = ("County code (FIPS)", "Código del condado (FIPS)"),
        ["countyName"] = ("County", "Condado"), ["serviceAreas"] = ("Service area", "Área de servicio"), ["type"] = ("Type", "Tipo"),
        ["code"] = ("Code", "Código"), ["geometry"] = ("Drawn area (GeoJSON)", "Área dibujada (GeoJSON)"), ["phones"] = ("Phone", "Teléfono"),
        ["number"] = ("Number", "Número"), ["hours"] = ("Hours", "Horario"), ["languages"] = ("Languages", "Idiomas"),
        ["timeZone"] = ("Time zone", "Zona horaria"), ["always"] = ("Open 24 hours, 7 days", "Abierto 24 horas, 7 días"),
        ["periods"] = ("Period", "Periodo"), ["day"] = ("Day", "Día"), ["opens"] = ("Opens", "Abre"), ["closes"] = ("Closes", "Cierra"),
        ["notes"] = ("Notes", "Notas"), ["interpretationAvailable"] = ("Interpretation available", "Interpretación disponible"),
        ["populations"] = ("Populations served", "Poblaciones atendidas"), ["traffickingTypes"] = ("Trafficking types", "Tipos de trata"),
        ["eligibilityNotes"] = ("Eligibility notes", "Notas de elegibilidad"), ["freeOfCharge"] = ("Free of charge", "Gratuito"),
        ["acceptingReferrals"] = ("Accepting referrals", "Acepta referencias"), ["funding"] = ("Funding", "Financiamiento"),
        ["funder"] = ("Funder", "Financiador"), ["program"] = ("Program", "Programa"), ["eligibility"] = ("Eligibility", "Elegibilidad"),
        ["amountMin"] = ("Smallest award", "Monto mínimo"), ["amountMax"] = ("Largest award", "Monto máximo"), ["deadline"] = ("Deadline", "Fecha límite"),
        ["url"] = ("Link", "Enlace"), ["externalId"] = ("Id in another system", "Id en otro sistema"), ["isDemo"] = ("Demo listing", "Listado de demostración"),
        ["readiness"] = ("Referral readiness", "Preparación para referencias"), ["intakeProtocol"] = ("Intake", "Admisión"),
        ["warmTransfers"] = ("Takes warm transfers", "Acepta transferencias directas"), ["warmTransferPhone"] = ("Warm-transfer phone", "Teléfono de transferencia directa"),
        ["warmTransferHours"] = ("Warm-transfer hours", "Horario de transferencias directas"), ["capacityNote"] = ("Capacity now", "Capacidad actual"),
        ["capacityAsOf"] = ("Capacity as of", "Capacidad a la fecha"), ["staffOnly"] = ("Staff only", "Solo personal"), ["remove"] = ("Remove", "Quitar"),
    };

    public static string Label(string path, StaffText L)
    {
        var sb = new StringBuilder();
        foreach (var segment in path.Split('.'))
        {
            if (sb.Length > 0) sb.Append(" · ");
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            sb.Append(Names.TryGetValue(name, out var n) ? L.T(n.En, n.Es) : name);
            if (bracket > 0 && int.TryParse(segment[(bracket + 1)..^1], CultureInfo.InvariantCulture, out var i)) sb.Append(' ').Append(i + 1);
        }
        return sb.ToString();
    }

    /// <summary>The HTML id of a field's control (its form path with brackets and dots as dashes).</summary>
    public static string Id(string path) => "f-" + path.Replace("[", "-", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Replace('.', '-');
}
