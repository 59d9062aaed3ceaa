using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Manifests;

/// <summary>Which project a source file belongs to: the nearest folder upwards holding a build file of the same ecosystem.</summary>
internal sealed class ProjectIndex
{
    private readonly Dictionary<string, List<BuildManifest>> _byDir = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Dir, Ecosystem Ecosystem), BuildManifest?> _cache = [];

    public ProjectIndex(IEnumerable<BuildManifest> manifests)
    {
        foreach (var m in manifests)
        {
            if (!_byDir.TryGetValue(m.Dir, out var list))
            {
                _byDir[m.Dir] = list = [];
            }

            list.Add(m);
        }
    }

    public static Ecosystem? EcosystemOf(FileKind kind) => kind switch
    {
        FileKind.Java or FileKind.Kotlin => Ecosystem.Jvm,
        FileKind.Go => Ecosystem.Go,
        FileKind.Python => Ecosystem.Python,
        FileKind.JavaScript or FileKind.TypeScript => Ecosystem.Node,
        FileKind.CSharp => Ecosystem.Dotnet,
        _ => null,
    };

    /// <summary>The nearest project of <paramref name="ecosystem"/> at or above <paramref name="dir"/>. Not thread-safe (it caches).</summary>
    public BuildManifest? Owner(string dir, Ecosystem ecosystem)
    {
        if (_cache.TryGetValue((dir, ecosystem), out var cached))
        {
            return cached;
        }

        BuildManifest? owner = null;
        if (_byDir.TryGetValue(dir, out var here))
        {
            owner = here.Find(m => m.Ecosystem == ecosystem && !m.IsTestProject) ?? here.Find(m => m.Ecosystem == ecosystem);
        }

        if (owner is null && dir != RepoPaths.Root)
        {
            owner = Owner(RepoPaths.Parent(dir), ecosystem);
        }

        _cache[(dir, ecosystem)] = owner;
        return owner;
    }
}
