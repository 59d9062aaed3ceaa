using System.Collections;

namespace Autopilot.Host.Configuration;

/// <summary>
/// Environment variables as configuration. <c>AUTOPILOT_&lt;SECTION&gt;__&lt;KEY&gt;</c> sets any key, the .NET way
/// (<c>__</c> separates sections, list items are numbered: <c>AUTOPILOT_AUTH__TOKENS__0__ROLE</c>; case, '_' and '-'
/// inside a key do not matter: <c>AUTOPILOT_INGEST__MAX_REQUEST_BYTES</c>). A few flat names are kept and
/// documented: <c>AUTOPILOT_POSTGRES</c>, <c>AUTOPILOT_AUTH_TOKENS</c>, <c>AUTOPILOT_READ_TOKENS</c>,
/// <c>AUTOPILOT_INGEST_TOKENS</c> (comma-separated). <c>AUTOPILOT_CONFIG</c> names the file. Other single-part
/// names set a top-level key when they name one (<c>AUTOPILOT_GRPC_PORT</c>) and are otherwise left to the
/// commands that read them (<c>AUTOPILOT_SERVER</c>, <c>AUTOPILOT_TOKEN</c>).
/// </summary>
internal static class EnvironmentConfig
{
    public const string Prefix = "AUTOPILOT_";

    /// <summary>Names of the flat variables that are not key paths.</summary>
    public static readonly IReadOnlyDictionary<string, string> TokenVariables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AUTOPILOT_AUTH_TOKENS"] = "admin",
        ["AUTOPILOT_READ_TOKENS"] = "read",
        ["AUTOPILOT_INGEST_TOKENS"] = "ingest",
    };

    public const string ConfigFileVariable = "AUTOPILOT_CONFIG";

    /// <summary>Lays the AUTOPILOT_ variables of <paramref name="environment"/> over the configuration.</summary>
    public static void AddTo(ConfigOverlay overlay, IDictionary environment, IReadOnlyCollection<string> topLevelScalarKeys)
    {
        // Key paths first, then the flat token lists, so AUTOPILOT_AUTH__TOKENS__0__… addresses the file's list
        // and the flat tokens are added after it.
        var names = environment.Keys.OfType<string>()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .OrderBy(n => TokenVariables.ContainsKey(n))
            .ThenBy(n => n, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var value = environment[name] as string;
            if (name == ConfigFileVariable)
            {
                continue;
            }

            if (name == "AUTOPILOT_POSTGRES")
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    overlay.Set("postgres", value, name);
                }

                continue;
            }

            if (TokenVariables.TryGetValue(name, out var role))
            {
                foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    overlay.Append("auth.tokens", Token(token, role, name));
                }

                continue;
            }

            var rest = name[Prefix.Length..];
            if (rest.Contains("__", StringComparison.Ordinal))
            {
                overlay.Set(string.Join('.', rest.Split("__")), value, name);
            }
            else if (topLevelScalarKeys.FirstOrDefault(k => ConfigKeys.Normalize(k) == ConfigKeys.Normalize(rest)) is { } key)
            {
                overlay.Set(key, value, name);
            }
        }
    }

    /// <summary>An <c>auth.tokens</c> item: <c>{ token, role }</c>.</summary>
    public static ConfigMap Token(string token, string role, string source)
    {
        var map = new ConfigMap(source);
        map.Entries.Add(new("token", new ConfigScalar(token, source)));
        map.Entries.Add(new("role", new ConfigScalar(role, source)));
        return map;
    }
}
