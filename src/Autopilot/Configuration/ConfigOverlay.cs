namespace Autopilot.Host.Configuration;

/// <summary>
/// Settings laid over the file: environment variables, then command-line flags (the later wins). Each is a
/// key path and a node; <see cref="Append"/> adds to a list instead of replacing it (tokens are collected from
/// every source).
/// </summary>
internal sealed class ConfigOverlay
{
    private readonly List<(string[] Path, ConfigNode Node, bool Append)> _settings = [];

    public IReadOnlyList<(string[] Path, ConfigNode Node, bool Append)> Settings => _settings;

    /// <summary>Sets the value at <paramref name="path"/> (dot-separated keys, list indexes as numbers).</summary>
    public void Set(string path, ConfigNode node) => _settings.Add((path.Split('.'), node, false));

    public void Set(string path, string? value, string source) => Set(path, new ConfigScalar(value, source));

    /// <summary>Adds <paramref name="node"/> to the list at <paramref name="path"/>.</summary>
    public void Append(string path, ConfigNode node) => _settings.Add((path.Split('.'), node, true));

    /// <summary>Applies the settings to <paramref name="root"/> in order; a problem for a path that runs into a value.</summary>
    public void ApplyTo(ConfigMap root, List<ConfigProblem> problems)
    {
        foreach (var (path, node, append) in _settings)
        {
            ConfigNode current = root;
            var ok = true;
            for (var i = 0; i < path.Length - 1 && ok; i++)
            {
                current = Child(current, path[i], node.Source, create: true, out ok, listNext: int.TryParse(path[i + 1], out _))!;
            }

            if (!ok)
            {
                problems.Add(new ConfigProblem(string.Join('.', path), "cannot be set: a part of this path is a value in the file, not a section", node.Source));
                continue;
            }

            var last = path[^1];
            if (append)
            {
                var list = Child(current, last, node.Source, create: false, out _, listNext: false) as ConfigList;
                if (list is null)
                {
                    list = new ConfigList(node.Source);
                    ok = Put(current, last, list);
                }

                list.Items.Add(node);
            }
            else
            {
                ok = Put(current, last, node);
            }

            if (!ok)
            {
                problems.Add(new ConfigProblem(string.Join('.', path), "cannot be set: a part of this path is a value in the file, not a section", node.Source));
            }
        }
    }

    /// <summary>The child at <paramref name="key"/>; a missing one is created as a list when the next key is an index.</summary>
    private static ConfigNode? Child(ConfigNode parent, string key, string source, bool create, out bool ok, bool listNext)
    {
        ok = true;
        switch (parent)
        {
            case ConfigMap map:
                var child = map.Find(key);
                if (child is null && create)
                {
                    child = listNext ? new ConfigList(source) : new ConfigMap(source);
                    map.Entries.Add(new(key, child));
                }

                return child;
            case ConfigList list when int.TryParse(key, out var index) && index >= 0 && index <= list.Items.Count:
                if (index == list.Items.Count)
                {
                    if (!create)
                    {
                        return null;
                    }

                    list.Items.Add(listNext ? new ConfigList(source) : new ConfigMap(source));
                }

                return list.Items[index];
            default:
                ok = false;
                return null;
        }
    }

    private static bool Put(ConfigNode parent, string key, ConfigNode node)
    {
        switch (parent)
        {
            case ConfigMap map:
                map.Set(key, node);
                return true;
            case ConfigList list when int.TryParse(key, out var index) && index >= 0 && index <= list.Items.Count:
                if (index == list.Items.Count)
                {
                    list.Items.Add(node);
                }
                else
                {
                    list.Items[index] = node;
                }

                return true;
            default:
                return false;
        }
    }
}
