using System.Collections;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace Autopilot.Host.Configuration;

/// <summary>
/// The effective configuration as a file would say it (every key, defaults included), with secrets masked:
/// tokens, passwords and header values become <c>********</c>; a connection string keeps everything but its password.
/// </summary>
internal static partial class ConfigPrinter
{
    public const string Mask = "********";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>The options as nested dictionaries, lists and values, in declaration order.</summary>
    public static Dictionary<string, object?> ToTree(object options)
    {
        var tree = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in OptionsModel.PropertiesOf(options.GetType()))
        {
            tree[property.Key] = Value(property.Info.GetValue(options), property.Secret, IsBytes(property));
        }

        return tree;
    }

    public static string ToYaml(object options) =>
        new SerializerBuilder().DisableAliases().Build().Serialize(ToTree(options));

    public static string ToJson(object options) => JsonSerializer.Serialize(ToTree(options), s_json);

    /// <summary><paramref name="value"/> with its secret parts masked.</summary>
    public static string MaskSecret(string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        if (ConnectionStringShape().IsMatch(value))
        {
            return ConnectionStringPassword().Replace(value, m => m.Groups["key"].Value + "=" + Mask);
        }

        return Mask;
    }

    private static object? Value(object? value, bool secret, bool bytes)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return secret ? MaskSecret(s) : s;
            case bool or int or long or double:
                return bytes ? ConfigValues.Format(value, bytes) : value;
            case IDictionary map:
                var tree = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in map)
                {
                    tree[(string)entry.Key] = Value(entry.Value, secret, bytes: false);
                }

                return tree;
            case IEnumerable list:
                var items = new List<object?>();
                foreach (var item in list)
                {
                    items.Add(Value(item, secret, bytes: false));
                }

                return items;
            default:
                return OptionsModel.IsSection(value.GetType()) ? ToTree(value) : ConfigValues.Format(value, bytes);
        }
    }

    private static bool IsBytes(ConfigProperty property) => property.Info.Name.EndsWith("Bytes", StringComparison.Ordinal);

    [GeneratedRegex(@"(?i)(^|;)\s*(host|server|data source)\s*=")]
    private static partial Regex ConnectionStringShape();

    [GeneratedRegex(@"(?i)(?<key>password|pwd)\s*=\s*[^;]*")]
    private static partial Regex ConnectionStringPassword();
}
