using System.Collections;
using System.Text.RegularExpressions;
using Autopilot.Host.Hosting;

namespace Autopilot.Host.Configuration;

/// <summary>
/// Builds the effective <see cref="ServerOptions"/>: built-in defaults, then the configuration file, then
/// <c>AUTOPILOT_…</c> environment variables, then command-line flags (each later one wins), bound and validated,
/// with every problem collected and named by key path and source.
/// </summary>
internal static partial class ConfigLoader
{
    /// <summary>File names looked for in the working directory when no file is named.</summary>
    public static readonly string[] DefaultFiles = ["autopilot.yaml", "autopilot.yml", "autopilot.json"];

    /// <summary>
    /// The configuration file to read: <paramref name="explicitPath"/> (<c>--config</c>), else
    /// <c>AUTOPILOT_CONFIG</c>, else the first of <see cref="DefaultFiles"/> in <paramref name="directory"/>;
    /// null when there is none. A file that was named but does not exist is a problem.
    /// </summary>
    public static string? FindFile(string? explicitPath, IDictionary environment, string directory, List<ConfigProblem> problems)
    {
        var named = explicitPath ?? environment[EnvironmentConfig.ConfigFileVariable] as string;
        if (!string.IsNullOrWhiteSpace(named))
        {
            if (!File.Exists(named))
            {
                var how = explicitPath is not null ? "--config" : EnvironmentConfig.ConfigFileVariable;
                problems.Add(new ConfigProblem(string.Empty, $"the configuration file '{named}' does not exist (named by {how})", null));
                return null;
            }

            return named;
        }

        return DefaultFiles.Select(f => Path.Combine(directory, f)).FirstOrDefault(File.Exists);
    }

    /// <summary>Loads, binds and validates. The options are usable only when no problem was found.</summary>
    public static (ServerOptions Options, List<ConfigProblem> Problems) Load(string? file, IDictionary environment, ConfigOverlay? flags, List<ConfigProblem>? problems = null)
    {
        problems ??= [];
        var root = (file is null ? null : ConfigFileReader.Read(file, problems)) ?? new ConfigMap("defaults");
        var options = new ServerOptions();
        if (problems.Count > 0)
        {
            return (options, problems);
        }

        var overlay = new ConfigOverlay();
        var topLevel = OptionsModel.PropertiesOf(typeof(ServerOptions)).Where(p => p.Kind == ConfigValueKind.Scalar).Select(p => p.Key).ToList();
        EnvironmentConfig.AddTo(overlay, environment, topLevel);
        overlay.ApplyTo(root, problems);
        flags?.ApplyTo(root, problems);

        new ConfigBinder(problems).BindSection(options, root, string.Empty);
        var bound = problems.Select(p => p.Path).Where(p => p.Length > 0).ToList();
        foreach (var message in options.ValidationProblems())
        {
            var problem = FromMessage(message, root);

            // A value that did not bind is reported once, as the binding problem.
            if (problem.Path.Length == 0 || !bound.Any(b => problem.Path.StartsWith(b, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add(problem);
            }
        }

        return (options, problems);
    }

    /// <summary>
    /// Turns a <c>Validate()</c> message (<c>ingest.maxRequestBytes must be at least 1024, got -1.</c>) into a
    /// problem with its key path, and adds where the value was set when the tree has it.
    /// </summary>
    internal static ConfigProblem FromMessage(string message, ConfigMap root)
    {
        var m = LeadingPath().Match(message);
        if (!m.Success)
        {
            return new ConfigProblem(string.Empty, message.TrimEnd('.'), null);
        }

        var path = m.Groups["path"].Value;
        var rest = m.Groups["rest"].Value;
        var known = OptionsModel.PropertiesOf(typeof(ServerOptions)).Any(p => ConfigKeys.Normalize(p.Key) == ConfigKeys.Normalize(path.Split('.', '[')[0]));
        var splits = m.Groups["sep"].Value.Contains(':', StringComparison.Ordinal)
            || rest.StartsWith("must", StringComparison.Ordinal) || rest.StartsWith("is ", StringComparison.Ordinal)
            || rest.StartsWith("has ", StringComparison.Ordinal) || rest.StartsWith("needs", StringComparison.Ordinal);
        if (!known || !splits)
        {
            return new ConfigProblem(string.Empty, message.TrimEnd('.'), Find(root, path)?.Source);
        }

        return new ConfigProblem(path, rest.TrimEnd('.'), Find(root, path)?.Source);
    }

    /// <summary>The node at <paramref name="path"/> (<c>a.b[2].c</c>, <c>a.map['key']</c>), or null when the tree does not set it.</summary>
    internal static ConfigNode? Find(ConfigMap root, string path)
    {
        ConfigNode? node = root;
        foreach (Match part in PathPart().Matches(path))
        {
            node = node switch
            {
                ConfigMap map when part.Groups["key"].Success => map.Find(part.Groups["key"].Value),
                ConfigMap map when part.Groups["quoted"].Success => map.Entries.FirstOrDefault(e => e.Key == part.Groups["quoted"].Value).Value,
                ConfigMap map when part.Groups["index"].Success => map.Find(part.Groups["index"].Value),
                ConfigList list when part.Groups["index"].Success && int.Parse(part.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < list.Items.Count => list.Items[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    [GeneratedRegex(@"^(?<path>[A-Za-z][A-Za-z0-9]*(?:\[[^\]]*\])*(?:\.[A-Za-z][A-Za-z0-9]*(?:\[[^\]]*\])*)*)(?<sep>:\s*|\s+)(?<rest>.+)$", RegexOptions.Singleline)]
    private static partial Regex LeadingPath();

    [GeneratedRegex(@"(?<key>[A-Za-z][A-Za-z0-9]*)|\[(?<index>\d+)\]|\['(?<quoted>[^']*)'\]")]
    private static partial Regex PathPart();
}
