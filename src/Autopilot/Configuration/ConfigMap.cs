namespace Autopilot.Host.Configuration;

/// <summary>
/// A section: keys in the order written, each with its node. Keys are matched to options the way
/// <see cref="ConfigKeys.Normalize"/> says (case, '_' and '-' ignored), so <c>maxRequestBytes</c>,
/// <c>MaxRequestBytes</c> and <c>MAX_REQUEST_BYTES</c> are one key.
/// </summary>
internal sealed class ConfigMap(string source) : ConfigNode(source)
{
    public List<KeyValuePair<string, ConfigNode>> Entries { get; } = [];

    public override string Describe() => "a section";

    /// <summary>The entry whose key normalizes like <paramref name="key"/>, or null.</summary>
    public ConfigNode? Find(string key)
    {
        var wanted = ConfigKeys.Normalize(key);
        foreach (var (k, node) in Entries)
        {
            if (ConfigKeys.Normalize(k) == wanted)
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>Sets (replacing) the entry for <paramref name="key"/>.</summary>
    public void Set(string key, ConfigNode node)
    {
        var wanted = ConfigKeys.Normalize(key);
        for (var i = 0; i < Entries.Count; i++)
        {
            if (ConfigKeys.Normalize(Entries[i].Key) == wanted)
            {
                Entries[i] = new(Entries[i].Key, node);
                return;
            }
        }

        Entries.Add(new(key, node));
    }
}
