using System.Globalization;
using Autopilot.Agents.Gate.Compatibility;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Autopilot.Agents.Gate.Policy;

/// <summary>
/// Reads gates.yaml into a <see cref="GatePolicy"/>. Every problem is collected with its line and key path
/// (<c>gates.yaml:12: tiers[0].checks.runbok: unknown check; expected one of …</c>) and reported together as one
/// <see cref="GateUsageException"/>, one line per problem.
/// </summary>
internal sealed class PolicyLoader
{
    /// <summary>The policy used without --policy: schema and contract breaks block, missing instrumentation warns.</summary>
    public const string BuiltInYaml = """
        version: 1
        gate: ci
        default_tier: default
        tiers:
          - name: default
            checks:
              otel-sdk: warn
              telemetry-validation: warn
              lineage-spec: warn
              runbook: warn
              data-contract: warn
              schema-compat: hard-fail
              contract-breaking: hard-fail
        schemas:
          include: ["**/*.avsc", "**/*.proto", "**/*.schema.json"]
          exclude: ["**/node_modules/**", "**/vendor/**", "**/third_party/**", "**/bin/**", "**/obj/**", "**/testdata/**"]
          compatibility: BACKWARD
          transitive_history: 50
        contracts:
          include: ["**/contracts/**/*.yaml", "**/contracts/**/*.yml"]
        """;

    /// <summary>The built-in policy, parsed once, for the defaults a user policy leaves out (read only).</summary>
    private static readonly Lazy<GatePolicy> Defaults = new(BuiltIn);

    private static readonly HashSet<string> TopKeys = new(StringComparer.Ordinal) { "version", "gate", "block_soft_fail", "default_tier", "tiers", "schemas", "contracts", "services", "waivers" };

    private readonly string _source;
    private readonly List<string> _errors = [];

    private PolicyLoader(string source) => _source = source;

    public static GatePolicy BuiltIn() => Parse(BuiltInYaml, "built-in");

    /// <summary>Reads and validates a policy file; a usage error naming every problem when it is not valid.</summary>
    public static GatePolicy Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new GateUsageException($"--policy '{path}' does not exist");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static GatePolicy Parse(string text, string source)
    {
        var loader = new PolicyLoader(source);
        var policy = loader.Read(text);
        if (loader._errors.Count > 0 || policy is null)
        {
            throw new GateUsageException(string.Join('\n', loader._errors));
        }

        return policy;
    }

    private GatePolicy? Read(string text)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
            {
                Error(1, "(root)", "a policy must be a YAML mapping (version, gate, tiers, schemas, contracts, services, waivers)");
                return null;
            }

            root = map;
        }
        catch (YamlException e)
        {
            Error((int)e.Start.Line, "(yaml)", "not valid YAML: " + e.Message);
            return null;
        }

        UnknownKeys(root, string.Empty, TopKeys);
        if (Scalar(root, "version", "version") is { } version && version != "1")
        {
            Error(Line(root, "version"), "version", $"'{version}' is not supported; use 1");
        }

        var tiers = ReadTiers(root);
        var policy = new GatePolicy
        {
            Source = _source,
            Gate = Scalar(root, "gate", "gate") ?? "ci",
            BlockSoftFail = Bool(root, "block_soft_fail", "block_soft_fail") ?? false,
            DefaultTier = tiers.Count > 0 ? tiers[^1] : new TierPolicy("default"),
            DefaultCompatibility = CompatibilityLevel.Backward,
        };
        policy.Tiers.AddRange(tiers);
        if (tiers.Count == 0 && Child(root, "tiers") is null)
        {
            Error(1, "tiers", "is required: a list of tiers, each with a name and its checks");
        }

        if (Scalar(root, "default_tier", "default_tier") is { } defaultTier)
        {
            var tier = tiers.FirstOrDefault(t => t.Name == defaultTier);
            if (tier is null)
            {
                Error(Line(root, "default_tier"), "default_tier", $"'{defaultTier}' is not one of the tiers ({string.Join(", ", tiers.Select(t => t.Name))})");
            }
            else
            {
                policy.DefaultTier = tier;
            }
        }

        return ReadSchemas(root, policy) is { } withSchemas ? ReadRest(root, withSchemas) : null;
    }

    private GatePolicy? ReadSchemas(YamlMappingNode root, GatePolicy policy)
    {
        var builtIn = policy.Source == "built-in" ? null : Defaults.Value;
        if (Child(root, "schemas") is not { } node)
        {
            policy.SchemaInclude.AddRange(builtIn?.SchemaInclude ?? []);
            policy.SchemaExclude.AddRange(builtIn?.SchemaExclude ?? []);
            return policy;
        }

        if (node is not YamlMappingNode schemas)
        {
            Error(node, "schemas", "expected a mapping { include, exclude, compatibility, subjects, transitive_history }");
            return policy;
        }

        UnknownKeys(schemas, "schemas.", ["include", "exclude", "compatibility", "subjects", "transitive_history"]);
        var include = Globs(schemas, "include", "schemas.include");
        policy.SchemaInclude.AddRange(include ?? builtIn?.SchemaInclude ?? []);
        policy.SchemaExclude.AddRange(Globs(schemas, "exclude", "schemas.exclude") ?? builtIn?.SchemaExclude ?? []);
        var level = Level(schemas, "compatibility", "schemas.compatibility") ?? CompatibilityLevel.Backward;
        var history = 50;
        if (Scalar(schemas, "transitive_history", "schemas.transitive_history") is { } h &&
            (!int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out history) || history is < 1 or > 10_000))
        {
            Error(Line(schemas, "transitive_history"), "schemas.transitive_history", $"'{h}' must be a whole number from 1 to 10000");
            history = 50;
        }

        var result = new GatePolicy
        {
            Source = policy.Source,
            Gate = policy.Gate,
            BlockSoftFail = policy.BlockSoftFail,
            DefaultTier = policy.DefaultTier,
            DefaultCompatibility = level,
            TransitiveHistory = history,
        };
        result.Tiers.AddRange(policy.Tiers);
        result.SchemaInclude.AddRange(policy.SchemaInclude);
        result.SchemaExclude.AddRange(policy.SchemaExclude);
        if (Child(schemas, "subjects") is { } subjectsNode)
        {
            if (subjectsNode is not YamlSequenceNode subjects)
            {
                Error(subjectsNode, "schemas.subjects", "expected a list of { path, compatibility }");
            }
            else
            {
                for (var i = 0; i < subjects.Children.Count; i++)
                {
                    var key = $"schemas.subjects[{i}]";
                    if (subjects.Children[i] is not YamlMappingNode s)
                    {
                        Error(subjects.Children[i], key, "expected a mapping { path, compatibility }");
                        continue;
                    }

                    UnknownKeys(s, key + ".", ["path", "compatibility"]);
                    var path = Scalar(s, "path", key + ".path");
                    var subjectLevel = Level(s, "compatibility", key + ".compatibility");
                    if (path is null || subjectLevel is null)
                    {
                        Error(s, key, "needs both path and compatibility");
                        continue;
                    }

                    result.Subjects.Add(new SubjectRule(new Glob(path), subjectLevel.Value));
                }
            }
        }

        return result;
    }

    private GatePolicy ReadRest(YamlMappingNode root, GatePolicy policy)
    {
        if (Child(root, "contracts") is { } contractsNode)
        {
            if (contractsNode is YamlMappingNode contracts)
            {
                UnknownKeys(contracts, "contracts.", ["include"]);
                policy.ContractInclude.AddRange(Globs(contracts, "include", "contracts.include") ?? []);
            }
            else
            {
                Error(contractsNode, "contracts", "expected a mapping { include }");
            }
        }
        else if (policy.Source != "built-in")
        {
            policy.ContractInclude.AddRange(Defaults.Value.ContractInclude);
        }

        if (Child(root, "services") is { } servicesNode)
        {
            policy.Services = ReadServices(servicesNode);
        }

        if (Child(root, "waivers") is { } waiversNode)
        {
            ReadWaivers(waiversNode, policy.Waivers);
        }

        return policy;
    }

    private List<TierPolicy> ReadTiers(YamlMappingNode root)
    {
        var tiers = new List<TierPolicy>();
        if (Child(root, "tiers") is not { } node)
        {
            return tiers;
        }

        if (node is not YamlSequenceNode seq || seq.Children.Count == 0)
        {
            Error(node, "tiers", "expected a non-empty list of tiers: - name: tier-1, match: {…}, checks: {…}");
            return tiers;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var key = $"tiers[{i}]";
            if (seq.Children[i] is not YamlMappingNode t)
            {
                Error(seq.Children[i], key, "expected a mapping { name, match, checks }");
                continue;
            }

            UnknownKeys(t, key + ".", ["name", "match", "checks"]);
            var name = Scalar(t, "name", key + ".name");
            if (name is null)
            {
                Error(t, key + ".name", "is required");
                continue;
            }

            if (tiers.Any(x => x.Name == name))
            {
                Error(t, key + ".name", $"tier '{name}' is defined twice");
            }

            var tier = new TierPolicy(name);
            if (Child(t, "match") is { } matchNode)
            {
                if (matchNode is YamlMappingNode match)
                {
                    UnknownKeys(match, key + ".match.", ["services", "paths"]);
                    tier.Services.AddRange(Strings(match, "services", key + ".match.services") ?? []);
                    tier.Paths.AddRange(Globs(match, "paths", key + ".match.paths") ?? []);
                }
                else
                {
                    Error(matchNode, key + ".match", "expected a mapping { services: [...], paths: [...] }");
                }
            }

            if (Child(t, "checks") is YamlMappingNode checks)
            {
                foreach (var (k, v) in checks.Children)
                {
                    var check = (k as YamlScalarNode)?.Value ?? string.Empty;
                    var checkKey = $"{key}.checks.{check}";
                    if (!GateChecks.All.Contains(check))
                    {
                        Error(k, checkKey, $"unknown check; expected one of {string.Join(", ", GateChecks.All)}");
                        continue;
                    }

                    if (ReadCheck(check, v, checkKey) is { } policy)
                    {
                        tier.Checks[check] = policy;
                    }
                }
            }
            else
            {
                Error(t, key + ".checks", "is required: a mapping of check → mode (off, warn, soft-fail, hard-fail)");
            }

            tiers.Add(tier);
        }

        return tiers;
    }

    private CheckPolicy? ReadCheck(string check, YamlNode node, string key)
    {
        if (node is YamlScalarNode s)
        {
            return Mode(s, key) is { } m ? new CheckPolicy(check, m, null) : null;
        }

        if (node is not YamlMappingNode map)
        {
            Error(node, key, "expected a mode (warn, soft-fail, hard-fail, off) or a mapping { mode, rollout }");
            return null;
        }

        var allowed = check == GateChecks.TelemetryValidation ? new[] { "mode", "rollout", "require_report", "allow_stale_commit" } : ["mode", "rollout"];
        UnknownKeys(map, key + ".", allowed);
        if (Child(map, "mode") is not YamlScalarNode modeNode)
        {
            Error(map, key + ".mode", "is required (warn, soft-fail, hard-fail or off)");
            return null;
        }

        var mode = Mode(modeNode, key + ".mode");
        RolloutSchedule? rollout = null;
        if (Child(map, "rollout") is { } rolloutNode)
        {
            if (rolloutNode is not YamlMappingNode r)
            {
                Error(rolloutNode, key + ".rollout", "expected a mapping { warn_until: YYYY-MM-DD, soft_fail_until: YYYY-MM-DD }");
            }
            else
            {
                UnknownKeys(r, key + ".rollout.", ["warn_until", "soft_fail_until"]);
                var warn = Date(r, "warn_until", key + ".rollout.warn_until");
                var soft = Date(r, "soft_fail_until", key + ".rollout.soft_fail_until");
                if (warn is { } w && soft is { } sf && sf <= w)
                {
                    Error(r, key + ".rollout", $"soft_fail_until ({sf:yyyy-MM-dd}) must come after warn_until ({w:yyyy-MM-dd})");
                }

                if (warn is null && soft is null)
                {
                    Error(r, key + ".rollout", "needs warn_until and/or soft_fail_until");
                }

                rollout = new RolloutSchedule(warn, soft);
            }
        }

        return mode is null ? null : new CheckPolicy(check, mode.Value, rollout)
        {
            RequireReport = Bool(map, "require_report", key + ".require_report") ?? false,
            AllowStaleCommit = Bool(map, "allow_stale_commit", key + ".allow_stale_commit") ?? false,
        };
    }

    private List<ServiceDeclaration>? ReadServices(YamlNode node)
    {
        if (node is not YamlSequenceNode seq)
        {
            Error(node, "services", "expected a list of { name, path }");
            return null;
        }

        var services = new List<ServiceDeclaration>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var key = $"services[{i}]";
            if (seq.Children[i] is not YamlMappingNode s)
            {
                Error(seq.Children[i], key, "expected a mapping { name, path }");
                continue;
            }

            UnknownKeys(s, key + ".", ["name", "path"]);
            var name = Scalar(s, "name", key + ".name");
            var path = Scalar(s, "path", key + ".path");
            if (name is null || path is null)
            {
                Error(s, key, "needs both name and path");
                continue;
            }

            path = path.Trim().Trim('/');
            if (path.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(path))
            {
                Error(s, key + ".path", $"'{path}' must be a folder inside the repository");
                continue;
            }

            services.Add(new ServiceDeclaration(name, path.Length == 0 ? "." : path));
        }

        return services;
    }

    private void ReadWaivers(YamlNode node, List<Waiver> waivers)
    {
        if (node is not YamlSequenceNode seq)
        {
            Error(node, "waivers", "expected a list of { check, scope, owner, expires, reason }");
            return;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var key = $"waivers[{i}]";
            if (seq.Children[i] is not YamlMappingNode w)
            {
                Error(seq.Children[i], key, "expected a mapping { check, scope, owner, expires, reason }");
                continue;
            }

            UnknownKeys(w, key + ".", ["check", "scope", "owner", "expires", "reason"]);
            var check = Scalar(w, "check", key + ".check");
            var scope = Scalar(w, "scope", key + ".scope");
            var owner = Scalar(w, "owner", key + ".owner");
            var expires = Date(w, "expires", key + ".expires");
            var reason = Scalar(w, "reason", key + ".reason");
            var ok = true;
            foreach (var (value, name) in new[] { (check, "check"), (scope, "scope"), (owner, "owner") })
            {
                if (value is null)
                {
                    Error(w, $"{key}.{name}", "is required: a waiver needs a check, a scope, an owner and an expiry date");
                    ok = false;
                }
            }

            if (expires is null && Child(w, "expires") is null)
            {
                Error(w, key + ".expires", "is required: a waiver needs an expiry date (YYYY-MM-DD)");
                ok = false;
            }

            if (check is not null && check != "*" && !GateChecks.All.Contains(check))
            {
                Error(w, key + ".check", $"'{check}' is not a check; expected one of {string.Join(", ", GateChecks.All)} or *");
                ok = false;
            }

            if (ok && expires is not null)
            {
                waivers.Add(new Waiver(check!, scope!, owner!, expires.Value, reason));
            }
        }
    }

    private EnforcementMode? Mode(YamlScalarNode node, string key)
    {
        switch (node.Value?.Trim().ToLowerInvariant())
        {
            case "off":
                return EnforcementMode.Off;
            case "warn":
                return EnforcementMode.Warn;
            case "soft-fail" or "soft_fail":
                return EnforcementMode.SoftFail;
            case "hard-fail" or "hard_fail":
                return EnforcementMode.HardFail;
            default:
                Error(node, key, $"'{node.Value}' is not a mode; expected warn, soft-fail, hard-fail or off");
                return null;
        }
    }

    private CompatibilityLevel? Level(YamlMappingNode map, string name, string key)
    {
        if (Scalar(map, name, key) is not { } text)
        {
            return null;
        }

        if (CompatibilityLevels.TryParse(text, out var level))
        {
            return level;
        }

        Error(Line(map, name), key, $"'{text}' is not a compatibility level; expected BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE or NONE");
        return null;
    }

    private DateOnly? Date(YamlMappingNode map, string name, string key)
    {
        if (Scalar(map, name, key) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Error(Line(map, name), key, $"'{text}' is not a date; use YYYY-MM-DD");
        return null;
    }

    private bool? Bool(YamlMappingNode map, string name, string key)
    {
        if (Scalar(map, name, key) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(Line(map, name), key, $"'{text}' must be true or false");
        return null;
    }

    private List<Glob>? Globs(YamlMappingNode map, string name, string key) => Strings(map, name, key)?.Select(p => new Glob(p)).ToList();

    private List<string>? Strings(YamlMappingNode map, string name, string key)
    {
        if (Child(map, name) is not { } node)
        {
            return null;
        }

        if (node is YamlSequenceNode seq && seq.Children.All(c => c is YamlScalarNode { Value.Length: > 0 }))
        {
            return seq.Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
        }

        Error(node, key, "expected a list of strings");
        return null;
    }

    private string? Scalar(YamlMappingNode map, string name, string key)
    {
        if (Child(map, name) is not { } node)
        {
            return null;
        }

        if (node is YamlScalarNode s)
        {
            return string.IsNullOrWhiteSpace(s.Value) ? null : s.Value;
        }

        Error(node, key, "expected a single value");
        return null;
    }

    private void UnknownKeys(YamlMappingNode map, string prefix, IReadOnlyCollection<string> allowed)
    {
        foreach (var k in map.Children.Keys)
        {
            var name = (k as YamlScalarNode)?.Value ?? string.Empty;
            if (!allowed.Contains(name))
            {
                Error(k, prefix + name, $"unknown key; expected one of {string.Join(", ", allowed)}");
            }
        }
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static int Line(YamlMappingNode map, string key) => (int)(Child(map, key)?.Start.Line ?? map.Start.Line);

    private void Error(YamlNode node, string key, string problem) => Error((int)node.Start.Line, key, problem);

    private void Error(int line, string key, string problem) => _errors.Add($"{_source}:{line}: {key}: {problem}");
}
