using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ReferralDirectory.Api.Infrastructure;

/// <summary>
/// Whether a JSON error's path ends at a member the body's type does not have ("Unknown field.") rather than at a value
/// of the wrong type. Decided from the serializer's own contract for the type (the same names and casing it reads),
/// walking the path member by member, never from the exception's English message.
/// </summary>
public static class UnknownJsonField
{
    public static bool IsUnknown(JsonSerializerOptions options, Type? root, string? path)
    {
        if (root is null || string.IsNullOrEmpty(path) || path == "$") return false;
        var segments = Segments(path);
        if (segments.Count == 0) return false;
        options.MakeReadOnly(populateMissingResolver: true);
        var type = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var info = options.GetTypeInfo(Element(type));
            if (info.Kind != JsonTypeInfoKind.Object) return false;
            var property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, segments[i],
                options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
            if (property is null) return info.UnmappedMemberHandling == System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow
                || options.UnmappedMemberHandling == System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            type = property.PropertyType;
        }
        return false;
    }

    /// <summary>The element type of arrays and lists (a path's [n] steps into them); the type itself otherwise.</summary>
    private static Type Element(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return type;
        if (type.IsArray) return Element(type.GetElementType()!);
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? type
            : type.GetInterfaces().FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable is null || typeof(System.Collections.IDictionary).IsAssignableFrom(type) ? type : Element(enumerable.GetGenericArguments()[0]);
    }

    /// <summary>Member names along a path such as <c>$.phones[0].number</c> or <c>$['odd name']</c> (indexes dropped).</summary>
    private static List<string> Segments(string path)
    {
        var names = new List<string>();
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                names.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (i + 1 < path.Length && path[i] == '[' && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) return [];
                names.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0) return [];
                i = end + 1;
            }
            else return [];
        }
        return names;
    }
}
