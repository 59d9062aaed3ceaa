using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Author;

/// <summary>
/// The variables a template is rendered with: the change's own (Scout's, see <see cref="TemplateIds"/>), filled in
/// from the service's archetype where the change leaves one out, plus values derived from the repository
/// (Java package, Go package, .NET namespace, paths). Every name a template may use is always present, empty when
/// unknown, so a misspelt name in a template is an error rather than an empty string.
/// </summary>
internal static partial class TemplateVariables
{
    /// <summary>Variables Scout documents as extras for some templates; present (maybe empty) for every change.</summary>
    private static readonly string[] Documented =
    [
        "service_name", "service_path", "language", "build_system", "build_file", "framework", "entry_file", "otlp_endpoint",
        "clients", "call_sites", "resource_attributes", "job_namespace", "job_name", "inputs", "outputs", "dataset_kind",
        "dataset_system", "dataset_namespace", "dataset_name", "urn", "owner", "source_file", "source_line", "messaging", "data_access",
    ];

    /// <summary>List-valued variables (comma-separated); each also gets <c>&lt;name&gt;_items</c> with value/before/after parts.</summary>
    private static readonly string[] Lists = ["clients", "call_sites", "resource_attributes", "inputs", "outputs", "messaging", "data_access"];

    /// <summary>Flags templates test with <c>#if</c>: <c>has_&lt;client or messaging or data access&gt;</c> and <c>is_&lt;framework&gt;</c>.</summary>
    private static readonly string[] KnownTokens = ["http", "grpc", "kafka", "rabbitmq", "sqs", "nats", "pubsub", "jdbc", "jpa", "ef_core", "npgsql", "database_sql", "gorm", "pgx", "psycopg", "sqlalchemy", "pg", "mysql", "redis", "mongodb"];

    public static Dictionary<string, object> Build(DiffPlan plan, PlannedChange change, string repoRoot)
    {
        var v = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var name in Documented)
        {
            v[name] = string.Empty;
        }

        var gap = plan.Gaps.FirstOrDefault(g => g.Id == change.GapId);
        var archetype = plan.Archetypes.FirstOrDefault(a => a.Name == change.Service)
            ?? plan.Archetypes.FirstOrDefault(a => gap?.ServicePath is { } p && a.Path == p);
        if (archetype is not null)
        {
            v["service_name"] = archetype.Name;
            v["service_path"] = archetype.Path;
            v["language"] = archetype.Language.ToString().ToLowerInvariant();
            v["build_system"] = Snake(archetype.BuildSystem.ToString());
            v["build_file"] = archetype.BuildFile;
            v["framework"] = archetype.Framework is { } f ? Snake(f.ToString()) : string.Empty;
            v["entry_file"] = archetype.EntryFile ?? string.Empty;
            v["messaging"] = string.Join(',', archetype.Messaging);
            v["data_access"] = string.Join(',', archetype.DataAccess);
            v["inputs"] = string.Join(',', archetype.Inputs.Select(d => d.System + ":" + d.Name));
            v["outputs"] = string.Join(',', archetype.Outputs.Select(d => d.System + ":" + d.Name));
        }

        if (change.Service is { Length: > 0 } service)
        {
            v["service_name"] = service;
        }

        // The change's own variables win over what the archetype says.
        foreach (var (k, value) in change.Variables)
        {
            v[k] = value;
        }

        if (Text(v, "service_path").Length == 0 && gap?.ServicePath is { } gapPath)
        {
            v["service_path"] = gapPath;
        }

        if (Text(v, "otlp_endpoint").Length == 0)
        {
            v["otlp_endpoint"] = "http://localhost:4318";
        }

        v["gap_id"] = change.GapId;
        v["gap_type"] = gap is null ? string.Empty : Snake(gap.Type.ToString());
        v["gap_summary"] = gap?.Summary ?? string.Empty;
        v["plan_target_file"] = change.TargetFiles.Count > 0 ? change.TargetFiles[0] : string.Empty;

        var serviceName = Text(v, "service_name");
        v["service_ident"] = TemplateEngine.Snake(serviceName);
        v["service_pascal"] = TemplateEngine.Pascal(serviceName);
        v["service_prefix"] = Prefix(Text(v, "service_path"));
        var entry = Text(v, "entry_file");
        v["entry_prefix"] = entry.Length == 0 ? Text(v, "service_prefix") : Prefix(Parent(entry));
        v["entry_name"] = entry.Length == 0 ? string.Empty : Path.GetFileNameWithoutExtension(entry);

        foreach (var list in Lists)
        {
            v[list + "_items"] = Items(Text(v, list));
        }

        foreach (var token in KnownTokens)
        {
            v["has_" + token] = string.Empty;
        }

        foreach (var list in new[] { "clients", "messaging", "data_access" })
        {
            foreach (var item in Split(Text(v, list)))
            {
                v["has_" + TemplateEngine.Snake(item)] = "true";
            }
        }

        foreach (var framework in Enum.GetValues<Framework>())
        {
            v["is_" + Snake(framework.ToString())] = string.Empty;
        }

        if (Text(v, "framework").Length > 0)
        {
            v["is_" + Text(v, "framework")] = "true";
        }

        AddJava(v, repoRoot, entry);
        AddGo(v, repoRoot, entry);
        AddDotnet(v, repoRoot);
        v["dataset_file"] = TemplateEngine.Snake(Text(v, "dataset_name").Replace('.', '_')).Replace('_', '-');
        return v;
    }

    public static string Text(IReadOnlyDictionary<string, object> v, string name) =>
        v.TryGetValue(name, out var o) ? Convert.ToString(o, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;

    /// <summary>True when the variable is set and not <c>false</c> (for <c>when</c>/<c>unless</c>).</summary>
    public static bool IsSet(IReadOnlyDictionary<string, object> v, string name)
    {
        var t = Text(v, name);
        return t.Length > 0 && !string.Equals(t, "false", StringComparison.OrdinalIgnoreCase);
    }

    private static void AddJava(Dictionary<string, object> v, string repoRoot, string entry)
    {
        var prefix = Text(v, "service_prefix");
        var package = ReadFirst(repoRoot, entry, JavaPackage()) ?? "com.example." + Text(v, "service_ident");
        v["java_package"] = package;
        v["java_package_path"] = package.Replace('.', '/');
        var marker = entry.IndexOf("src/main/java/", StringComparison.Ordinal);
        var moduleRoot = marker >= 0 ? entry[..marker] : prefix;
        v["java_main_root"] = moduleRoot + "src/main/java";
        v["java_test_root"] = moduleRoot + "src/test/java";
        v["java_resources"] = moduleRoot + "src/main/resources";
    }

    private static void AddGo(Dictionary<string, object> v, string repoRoot, string entry) =>
        v["go_package"] = ReadFirst(repoRoot, entry, GoPackage()) ?? "main";

    private static void AddDotnet(Dictionary<string, object> v, string repoRoot)
    {
        var buildFile = Text(v, "build_file");
        var project = buildFile.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) ? Path.GetFileNameWithoutExtension(buildFile) : Text(v, "service_pascal");
        var ns = project.Replace('-', '_');
        var full = Path.Combine(repoRoot, buildFile);
        if (buildFile.Length > 0 && File.Exists(full))
        {
            try
            {
                var root = XDocument.Load(full).Root;
                if (root?.Descendants(root.Name.Namespace + "RootNamespace").FirstOrDefault()?.Value is { Length: > 0 } configured)
                {
                    ns = configured.Trim();
                }
            }
            catch (System.Xml.XmlException)
            {
                // A malformed project file is reported by the edit that touches it; the namespace falls back to the file name.
            }
        }

        v["dotnet_project"] = project;
        v["dotnet_namespace"] = ns;
        var testsDir = "tests/" + project + ".TelemetryTests";
        v["dotnet_tests_dir"] = testsDir;
        v["dotnet_project_ref"] = buildFile.Length == 0 ? string.Empty : Path.GetRelativePath("/r/" + testsDir, "/r/" + buildFile).Replace('\\', '/');
    }

    private static string? ReadFirst(string repoRoot, string relative, Regex pattern)
    {
        if (relative.Length == 0)
        {
            return null;
        }

        var path = Path.Combine(repoRoot, relative);
        if (!File.Exists(path))
        {
            return null;
        }

        var m = pattern.Match(File.ReadAllText(path));
        return m.Success ? m.Groups[1].Value : null;
    }

    private static List<Dictionary<string, object>> Items(string csv) =>
        Split(csv).Select(item =>
        {
            var cut = item.IndexOfAny([':', '=']);
            return new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["value"] = item,
                ["before"] = cut < 0 ? item : item[..cut],
                ["after"] = cut < 0 ? string.Empty : item[(cut + 1)..],
            };
        }).ToList();

    private static string[] Split(string csv) => csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Prefix(string path)
    {
        var p = path.Replace('\\', '/').Trim('/');
        return p is "" or "." ? string.Empty : p + "/";
    }

    private static string Parent(string path)
    {
        var i = path.LastIndexOf('/');
        return i < 0 ? string.Empty : path[..i];
    }

    /// <summary>PascalCase enum name → snake_case, as the plan's JSON writes it.</summary>
    private static string Snake(string pascal) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(pascal);

    [GeneratedRegex(@"^\s*package\s+([A-Za-z_][\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex JavaPackage();

    [GeneratedRegex(@"^\s*package\s+([A-Za-z_]\w*)\s*$", RegexOptions.Multiline)]
    private static partial Regex GoPackage();
}
