using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Autopilot.Agents.Author;

/// <summary>
/// The templates under one folder (<c>templates/&lt;stack&gt;/&lt;name&gt;/template.yaml</c> plus the files it names),
/// loaded on first use and kept compiled.
/// </summary>
internal sealed partial class TemplateCatalog
{
    private readonly Dictionary<string, AuthorTemplate> _loaded = new(StringComparer.Ordinal);
    private readonly TemplateEngine _engine = new();
    private readonly IDeserializer _yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

    public TemplateCatalog(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>The template with this id; a <see cref="TemplateException"/> says why it cannot be used.</summary>
    public AuthorTemplate Get(string id)
    {
        if (_loaded.TryGetValue(id, out var cached))
        {
            return cached;
        }

        if (!IdPattern().IsMatch(id))
        {
            throw new TemplateException($"template id '{id}' is not of the form <java|go|python|node|dotnet|common>/<name>.");
        }

        var dir = Path.Combine(Directory, id.Replace('/', Path.DirectorySeparatorChar));
        var manifestPath = Path.Combine(dir, "template.yaml");
        if (!File.Exists(manifestPath))
        {
            throw new TemplateException($"no template {id}: {manifestPath} does not exist.");
        }

        TemplateManifest manifest;
        try
        {
            manifest = _yaml.Deserialize<TemplateManifest>(File.ReadAllText(manifestPath)) ?? throw new TemplateException($"{manifestPath} is empty.");
        }
        catch (YamlException e)
        {
            throw new TemplateException($"{manifestPath}: line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }

        if (manifest.Files.Count == 0 || string.IsNullOrWhiteSpace(manifest.Title))
        {
            throw new TemplateException($"{manifestPath}: a template needs a title and at least one file.");
        }

        var files = new List<CompiledTemplateFile>(manifest.Files.Count);
        for (var i = 0; i < manifest.Files.Count; i++)
        {
            var spec = manifest.Files[i];
            var where = $"{id} files[{i}]";
            if (!EditKinds.All.Contains(spec.Edit))
            {
                throw new TemplateException($"{where}: edit '{spec.Edit}' is not one of {string.Join(", ", EditKinds.All)}.");
            }

            if (string.IsNullOrWhiteSpace(spec.Path) || spec.Source is null)
            {
                throw new TemplateException($"{where}: path and source are required.");
            }

            var sourcePath = Path.Combine(dir, spec.Source);
            if (!File.Exists(sourcePath))
            {
                throw new TemplateException($"{where}: source {sourcePath} does not exist.");
            }

            files.Add(new CompiledTemplateFile(
                spec,
                _engine.Compile(spec.Path, where + " path"),
                _engine.Compile(File.ReadAllText(sourcePath), $"{id}/{spec.Source}"),
                spec.Anchor is null ? null : _engine.Compile(spec.Anchor, where + " anchor"),
                spec.Marker is null ? null : _engine.Compile(spec.Marker, where + " marker"),
                spec.Note is null ? null : _engine.Compile(spec.Note, where + " note")));
        }

        var template = new AuthorTemplate(
            id,
            dir,
            manifest,
            _engine.Compile(manifest.Title, id + " title"),
            files,
            manifest.Guidance is null ? null : _engine.Compile(manifest.Guidance, id + " guidance"),
            manifest.Verify is null ? null : _engine.Compile(manifest.Verify, id + " verify"));
        _loaded[id] = template;
        return template;
    }

    /// <summary>Every template id present under the folder (for tests and for listing).</summary>
    public IReadOnlyList<string> Ids()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(Directory, "template.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Directory, Path.GetDirectoryName(f)!).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [GeneratedRegex("^(java|go|python|node|dotnet|common)/[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();
}
