using Autopilot.Agents.Scout.Facts;
using Autopilot.Agents.Scout.Manifests;
using Autopilot.Agents.Scout.Rules;

namespace Autopilot.Agents.Scout.Planning;

/// <summary>Everything Scout gathers about one service before it becomes a <see cref="ServiceArchetype"/> and gaps.</summary>
internal sealed class ServiceModel(BuildManifest manifest, string folderName)
{
    public BuildManifest Manifest { get; } = manifest;

    public Ecosystem Ecosystem => Manifest.Ecosystem;

    public string Path => Manifest.Dir;

    public string FolderName { get; } = folderName;

    public string Name { get; set; } = folderName;

    public Language Language { get; set; }

    public Framework? Framework { get; set; }

    public Evidence? FrameworkEvidence { get; set; }

    /// <summary>Serves HTTP: a web framework (Spring Boot only with a web starter).</summary>
    public bool IsWeb { get; set; }

    public string? EntryFile { get; set; }

    public SortedSet<string> Messaging { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> DataAccess { get; } = new(StringComparer.Ordinal);

    /// <summary>Databases named by drivers, URLs and dependencies, first found first.</summary>
    public List<string> DbSystems { get; } = [];

    /// <summary>The database name from a connection URL or string, for table URNs.</summary>
    public string? Database { get; set; }

    /// <summary>The first dependency per facet and value.</summary>
    public Dictionary<(Facet Facet, string? Value), Dependency> DependencyFacets { get; } = [];

    /// <summary>Propagation scopes of dependencies that switch themselves on (see <see cref="Rules.DependencyRule.SelfActivating"/>).</summary>
    public List<string> SelfPropagating { get; } = [];

    /// <summary>Non-test source files of the project, in path order.</summary>
    public List<FileFacts> Sources { get; } = [];

    /// <summary>Hits in the source files.</summary>
    public List<Located> CodeHits { get; } = [];

    /// <summary>Hits in configuration and deployment files attributed to the service.</summary>
    public List<Located> ConfigHits { get; } = [];

    /// <summary>Spring properties of the service, default profile first.</summary>
    public Dictionary<string, (string Value, int Line)> Properties { get; } = new(StringComparer.Ordinal);

    public string? PropertiesFile { get; set; }

    /// <summary>Dockerfiles, compose files, Helm values and manifests looked at for this service.</summary>
    public SortedSet<string> DeploymentFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>The service's own Dockerfile, if any.</summary>
    public string? Dockerfile { get; set; }

    public List<string> LineageSpecs { get; } = [];

    public List<string> Runbooks { get; } = [];

    /// <summary>Archetype evidence: build file, framework, clients, entry.</summary>
    public List<Evidence> Evidence { get; } = [];

    public Evidence? SdkEvidence { get; set; }

    public Evidence? InitEvidence { get; set; }

    public Evidence? ServiceNameEvidence { get; set; }

    public Evidence? HealthEvidence { get; set; }

    public Evidence? LineageEvidence { get; set; }

    /// <summary>Call sites per client needing propagation (http_client, http_server, kafka, …); empty when only a dependency or the framework shows it.</summary>
    public SortedDictionary<string, List<Located>> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>Clients whose context is not propagated.</summary>
    public SortedSet<string> Uncovered { get; } = new(StringComparer.Ordinal);

    public List<DatasetSite> Inputs { get; } = [];

    public List<DatasetSite> Outputs { get; } = [];

    /// <summary>0..1: how sure Scout is of the archetype (lowered by parse errors, truncated files, a missing entry point, ambiguity).</summary>
    public double DetectionConfidence { get; set; } = 1.0;

    public bool OtelSdk => SdkEvidence is not null;

    public bool OtelInitialised => InitEvidence is not null;

    public bool ServiceNameConfigured => ServiceNameEvidence is not null;

    public bool HasHealth => HealthEvidence is not null;

    public bool HasLineage => LineageEvidence is not null;

    public bool HasRunbook => Runbooks.Count > 0;

    public bool Propagation => OtelInitialised && Uncovered.Count == 0;

    /// <summary>Names this service answers to when a file or compose service names it: folder, manifest name, service name.</summary>
    public IEnumerable<string> Keys()
    {
        yield return FolderName;
        if (Manifest.Name is { Length: > 0 } m)
        {
            yield return m;
        }

        yield return Name;
    }
}
