using System.Collections;

namespace Autopilot.Host.Configuration;

/// <summary>
/// Binds a configuration tree onto options objects, collecting every problem instead of stopping at the
/// first: unknown keys (with the nearest valid key as a suggestion), values of the wrong type (naming the
/// value and the type expected) and sections where values belong. Lists and maps replace what the options
/// held; sections are bound into the existing object, so defaults set by its constructor stay.
/// </summary>
internal sealed class ConfigBinder
{
    private readonly List<ConfigProblem> _problems;

    public ConfigBinder(List<ConfigProblem> problems) => _problems = problems;

    public void BindSection(object target, ConfigMap map, string path)
    {
        var properties = OptionsModel.PropertiesOf(target.GetType());
        foreach (var (key, node) in map.Entries)
        {
            var wanted = ConfigKeys.Normalize(key);
            var property = properties.FirstOrDefault(p => ConfigKeys.Normalize(p.Key) == wanted);
            if (property is null)
            {
                var suggestion = ConfigKeys.Suggest(key, properties.Select(p => p.Key));
                var hint = suggestion is not null
                    ? $"did you mean '{ConfigKeys.Join(path, suggestion)}'?"
                    : $"valid keys{(path.Length == 0 ? string.Empty : " in " + path)}: {string.Join(", ", properties.Select(p => p.Key))}";
                _problems.Add(new ConfigProblem(ConfigKeys.Join(path, key), $"unknown key; {hint}", node.Source));
                continue;
            }

            BindProperty(target, property, node, ConfigKeys.Join(path, property.Key));
        }
    }

    private void BindProperty(object target, ConfigProperty property, ConfigNode node, string path)
    {
        switch (property.Kind)
        {
            case ConfigValueKind.Scalar:
                if (TryScalar(node, property.Info.PropertyType, property.Nullable, IsBytes(property), path, out var value))
                {
                    property.Info.SetValue(target, value);
                }

                break;
            case ConfigValueKind.Section:
                var existing = property.Info.GetValue(target);
                if (node is ConfigScalar { Value: null } && property.Settable && property.Nullable)
                {
                    property.Info.SetValue(target, null);
                    break;
                }

                if (node is not ConfigMap section)
                {
                    Mismatch(path, node, "a section (key: value lines)");
                    break;
                }

                if (existing is null)
                {
                    if (!property.Settable)
                    {
                        break;
                    }

                    existing = Activator.CreateInstance(property.ElementType)!;
                    property.Info.SetValue(target, existing);
                }

                BindSection(existing, section, path);
                break;
            case ConfigValueKind.List:
                if (ReadList(node, path) is { } items)
                {
                    var values = new List<object?>(items.Count);
                    for (var i = 0; i < items.Count; i++)
                    {
                        if (TryElement(items[i], property.ElementType, $"{path}[{i}]", out var item))
                        {
                            values.Add(item);
                        }
                    }

                    StoreList(target, property, values);
                }

                break;
            case ConfigValueKind.Map:
                if (node is ConfigScalar { Value: null })
                {
                    StoreMap(target, property, []);
                }
                else if (node is ConfigMap map)
                {
                    var values = new List<KeyValuePair<string, object?>>();
                    foreach (var (key, child) in map.Entries)
                    {
                        if (TryElement(child, property.ElementType, $"{path}['{key}']", out var item))
                        {
                            values.Add(new(key, item));
                        }
                    }

                    StoreMap(target, property, values);
                }
                else
                {
                    Mismatch(path, node, "a map (key: value lines)");
                }

                break;
        }
    }

    private bool TryElement(ConfigNode node, Type type, string path, out object? value)
    {
        value = null;
        if (OptionsModel.IsScalar(type))
        {
            return TryScalar(node, type, Nullable.GetUnderlyingType(type) is not null, bytes: false, path, out value);
        }

        if (OptionsModel.ListElement(type) is { } inner)
        {
            if (ReadList(node, path) is not { } items)
            {
                return false;
            }

            var array = Array.CreateInstance(inner, items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                if (!TryScalar(items[i], inner, false, bytes: false, $"{path}[{i}]", out var item))
                {
                    return false;
                }

                array.SetValue(item, i);
            }

            value = array;
            return true;
        }

        if (node is not ConfigMap section)
        {
            Mismatch(path, node, "a section (key: value lines)");
            return false;
        }

        value = Activator.CreateInstance(type)!;
        var before = _problems.Count;
        BindSection(value, section, path);
        return _problems.Count == before;
    }

    private bool TryScalar(ConfigNode node, Type type, bool nullable, bool bytes, string path, out object? value)
    {
        value = null;
        if (node is not ConfigScalar scalar)
        {
            Mismatch(path, node, ConfigValues.Expected(type, bytes));
            return false;
        }

        if (scalar.Value is null)
        {
            if (nullable)
            {
                return true;
            }

            _problems.Add(new ConfigProblem(path, $"must not be null; expected {ConfigValues.Expected(type, bytes)}", node.Source));
            return false;
        }

        if (ConfigValues.TryParse(scalar.Value, type, bytes, out value, out var expected))
        {
            return true;
        }

        _problems.Add(new ConfigProblem(path, $"'{scalar.Value}' is not {expected}", node.Source));
        return false;
    }

    /// <summary>The items of a list; also accepts a section keyed 0, 1, … (lists set from environment variables) and null (empty).</summary>
    private List<ConfigNode>? ReadList(ConfigNode node, string path)
    {
        switch (node)
        {
            case ConfigList list:
                return list.Items;
            case ConfigScalar { Value: null }:
                return [];
            case ConfigMap map when map.Entries.All(e => int.TryParse(e.Key, out var i) && i >= 0):
                var ordered = map.Entries.OrderBy(e => int.Parse(e.Key, System.Globalization.CultureInfo.InvariantCulture)).ToList();
                for (var i = 0; i < ordered.Count; i++)
                {
                    if (int.Parse(ordered[i].Key, System.Globalization.CultureInfo.InvariantCulture) != i)
                    {
                        _problems.Add(new ConfigProblem(path, $"list indexes must run 0, 1, 2, … without gaps; index {i} is missing", map.Source));
                        return null;
                    }
                }

                return ordered.Select(e => e.Value).ToList();
            default:
                Mismatch(path, node, "a list");
                return null;
        }
    }

    private void Mismatch(string path, ConfigNode node, string expected) =>
        _problems.Add(new ConfigProblem(path, $"expected {expected}, got {node.Describe()}{(node is ConfigScalar { Value: { } v } ? $" '{v}'" : string.Empty)}", node.Source));

    private static bool IsBytes(ConfigProperty property) => property.Info.Name.EndsWith("Bytes", StringComparison.Ordinal);

    private static void StoreList(object target, ConfigProperty property, List<object?> values)
    {
        var type = property.Info.PropertyType;
        if (type.IsArray)
        {
            var array = Array.CreateInstance(property.ElementType, values.Count);
            for (var i = 0; i < values.Count; i++)
            {
                array.SetValue(values[i], i);
            }

            property.Info.SetValue(target, array);
            return;
        }

        var list = property.Settable ? null : property.Info.GetValue(target) as IList;
        if (list is null)
        {
            list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(property.ElementType))!;
            property.Info.SetValue(target, list);
        }

        list.Clear();
        foreach (var value in values)
        {
            list.Add(value);
        }
    }

    private static void StoreMap(object target, ConfigProperty property, List<KeyValuePair<string, object?>> values)
    {
        var map = property.Settable ? null : property.Info.GetValue(target) as IDictionary;
        if (map is null)
        {
            map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), property.ElementType), StringComparer.Ordinal)!;
            property.Info.SetValue(target, map);
        }

        map.Clear();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }
    }
}
