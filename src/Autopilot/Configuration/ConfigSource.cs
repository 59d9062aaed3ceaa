using System.Collections;
using System.Text.Json;
using Autopilot.Engines.Api;
using Autopilot.Host.Hosting;

namespace Autopilot.Host.Configuration;

/// <summary>
/// Where a server's configuration came from (the file, the environment and the flags it was started with), so a reload
/// can read it again: it puts changed threshold rules in force (as Prometheus reloads its rules) and names every other key
/// that now differs from the one in force, which takes effect at a restart, rather than ignoring it silently.
/// </summary>
internal sealed class ConfigSource
{
    private const string RulesKey = "engines.anomaly.rules";

    private readonly string? _file;
    private readonly IDictionary _environment;
    private readonly ConfigOverlay? _flags;
    private readonly Dictionary<string, string> _inForce;
    private readonly ServerOptions _running;
    private readonly bool _rulesRunning;
    private readonly Lock _gate = new();

    /// <summary>Sources as <c>serve</c> loaded them; <paramref name="loaded"/> is what they gave, before anything else changed it.</summary>
    public ConfigSource(string? file, IDictionary environment, ConfigOverlay? flags, ServerOptions loaded)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(loaded);
        _file = file;
        _environment = environment;
        _flags = flags;
        _inForce = Flatten(loaded);
        _running = loaded;

        // The threshold engine runs only when rules were configured at start: a reload can change them, not start it.
        _rulesRunning = loaded.Engines.Anomaly.Enabled && loaded.Engines.Anomaly.Rules.Count > 0;
    }

    /// <summary>
    /// Reads the sources again and puts changed threshold rules in force: the keys applied, those whose value differs from
    /// the one in force otherwise, or why the sources no longer load (then nothing is applied).
    /// </summary>
    public ConfigChange Check()
    {
        lock (_gate)
        {
            return CheckLocked();
        }
    }

    // SIGHUP and POST /-/reload may come at once: one reads and applies at a time.
    private ConfigChange CheckLocked()
    {
        var (options, problems) = ConfigLoader.Load(_file, _environment, _flags);
        if (problems.Count > 0)
        {
            return new ConfigChange([], [], [.. problems.Select(p => p.ToString())]);
        }

        var now = Flatten(options);
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in now)
        {
            if (!_inForce.TryGetValue(key, out var before) || !string.Equals(before, value, StringComparison.Ordinal))
            {
                changed.Add(key);
            }
        }

        foreach (var key in _inForce.Keys)
        {
            if (!now.ContainsKey(key))
            {
                changed.Add(key);
            }
        }

        var applied = new List<string>();
        if (_rulesRunning && changed.Contains(RulesKey))
        {
            var rules = options.Engines.Anomaly.Rules;
            try
            {
                _running.Engines.Anomaly.RuleSet.Replace(rules);
            }
            catch (ArgumentException e)
            {
                return new ConfigChange([], [], [e.Message]);
            }

            _inForce[RulesKey] = now[RulesKey];
            changed.Remove(RulesKey);
            applied.Add(RulesKey);
        }

        return new ConfigChange(applied, [.. changed], []);
    }

    /// <summary>Every key of the options (as <c>config print</c> names them) with its value as JSON; a list is one value.</summary>
    private static Dictionary<string, string> Flatten(ServerOptions options)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(keys, string.Empty, ConfigPrinter.ToTree(options));
        return keys;

        static void Add(Dictionary<string, string> keys, string prefix, Dictionary<string, object?> tree)
        {
            foreach (var (name, value) in tree)
            {
                var key = prefix.Length == 0 ? name : prefix + "." + name;
                if (value is Dictionary<string, object?> section)
                {
                    Add(keys, key, section);
                }
                else
                {
                    keys[key] = JsonSerializer.Serialize(value);
                }
            }
        }
    }
}
