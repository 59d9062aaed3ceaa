using System.Collections.Concurrent;
using System.ComponentModel;
using System.Net;
using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;

namespace Autopilot.Host.Configuration;

/// <summary>
/// The configurable shape of the options classes, found by reflection so every option a team adds is in the
/// file format at once: public properties with a public getter, keyed by their camelCase name (or
/// <see cref="ConfigurationKeyNameAttribute"/>), except those marked <see cref="JsonIgnoreAttribute"/> and
/// those whose type is not configurable (delegates, interfaces other than lists and maps, framework types).
/// </summary>
internal static class OptionsModel
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ConfigProperty>> s_properties = new();
    private static readonly NullabilityInfoContext s_nullability = new();

    public static IReadOnlyList<ConfigProperty> PropertiesOf(Type type) => s_properties.GetOrAdd(type, Discover);

    public static bool IsScalar(Type type)
    {
        type = System.Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type == typeof(bool) || type == typeof(int) || type == typeof(long)
            || type == typeof(double) || type == typeof(TimeSpan) || type == typeof(IPAddress) || type == typeof(Uri) || type.IsEnum;
    }

    /// <summary>An options class the binder can descend into (ours, not the framework's).</summary>
    public static bool IsSection(Type type) =>
        type.IsClass && !type.IsAbstract && type != typeof(string) && type.Namespace?.StartsWith("Autopilot", StringComparison.Ordinal) == true;

    /// <summary>The element type when <paramref name="type"/> is a list or an array.</summary>
    public static Type? ListElement(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(List<>) || d == typeof(IList<>)))
        {
            return type.GetGenericArguments()[0];
        }

        return null;
    }

    /// <summary>The value type when <paramref name="type"/> is a map with string keys.</summary>
    public static Type? MapValue(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(Dictionary<,>) || d == typeof(IDictionary<,>))
            && type.GetGenericArguments()[0] == typeof(string))
        {
            return type.GetGenericArguments()[1];
        }

        return null;
    }

    /// <summary>Whether lists and maps may hold <paramref name="type"/>: a scalar, a section, or a list of scalars.</summary>
    public static bool IsElement(Type type) =>
        IsScalar(type) || IsSection(type) || (ListElement(type) is { } inner && IsScalar(inner));

    private static List<ConfigProperty> Discover(Type type)
    {
        var result = new List<ConfigProperty>();
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetMethod is not { IsPublic: true } || p.GetIndexParameters().Length > 0 || p.IsDefined(typeof(JsonIgnoreAttribute)))
            {
                continue;
            }

            var settable = p.SetMethod is { IsPublic: true };
            ConfigValueKind kind;
            Type element;
            if (IsScalar(p.PropertyType))
            {
                if (!settable)
                {
                    continue;
                }

                (kind, element) = (ConfigValueKind.Scalar, p.PropertyType);
            }
            else if (ListElement(p.PropertyType) is { } item && IsElement(item))
            {
                (kind, element) = (ConfigValueKind.List, item);
            }
            else if (MapValue(p.PropertyType) is { } value && IsElement(value))
            {
                (kind, element) = (ConfigValueKind.Map, value);
            }
            else if (IsSection(p.PropertyType))
            {
                (kind, element) = (ConfigValueKind.Section, p.PropertyType);
            }
            else
            {
                continue;
            }

            var nullable = System.Nullable.GetUnderlyingType(p.PropertyType) is not null
                || (!p.PropertyType.IsValueType && s_nullability.Create(p).WriteState == NullabilityState.Nullable);
            result.Add(new ConfigProperty
            {
                Key = p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? ConfigKeys.CamelCase(p.Name),
                Info = p,
                Kind = kind,
                ElementType = element,
                Nullable = nullable,
                Secret = p.GetCustomAttribute<PasswordPropertyTextAttribute>()?.Password == true,
            });
        }

        return result;
    }
}
