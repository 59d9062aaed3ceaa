using System.Diagnostics;
using Autopilot.Agents.Scout.Facts;
using Autopilot.Agents.Scout.Manifests;
using Autopilot.Agents.Scout.Planning;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout;

/// <summary>
/// Scout: finds every service in a repository, its archetype and its observability gaps, and writes the Diff
/// Plan PR Author applies. One walk lists the files; only build files, configuration and the services' own
/// non-test source are read (each up to <see cref="ScoutOptions.MaxFileBytes"/>), in parallel; the plan is
/// sorted so the same tree always gives the same plan.
/// </summary>
public static class RepoScout
{
    private static readonly string[] CodeOwnersPaths = ["CODEOWNERS", "docs/CODEOWNERS", ".github/CODEOWNERS", ".gitlab/CODEOWNERS"];

    /// <summary>Scans the repository. Throws <see cref="ArgumentException"/> for bad options (see <see cref="ScoutOptions.Validate"/>).</summary>
    public static ScoutResult Scan(ScoutOptions options, ScoutProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var started = Stopwatch.GetTimestamp();
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.RepoPath));
        var realRoot = PathResolver.RealPath(root) ?? root;
        var repoName = options.RepoName ?? (Path.GetFileName(root) is { Length: > 0 } n ? n : "repo");

        progress?.SetPhase(ScoutPhase.Walking);
        var walk = RepoWalker.Walk(root, realRoot, progress, cancellationToken);
        var files = walk.Files;
        files.Sort((a, b) => string.CompareOrdinal(a.RelPath, b.RelPath));

        progress?.SetPhase(ScoutPhase.Reading);
        var (manifests, packageFacts, unreadableManifests, manifestBytes) = ManifestReader.Read(files, options.MaxFileBytes, progress);
        var index = new ProjectIndex(manifests);
        var owners = new Dictionary<string, BuildManifest>(StringComparer.Ordinal);
        var toRead = new List<RepoFile>();
        foreach (var f in files)
        {
            if (ProjectIndex.EcosystemOf(f.Kind) is { } ecosystem)
            {
                if (!f.IsTest && index.Owner(f.RelDir, ecosystem) is { IsTestProject: false } owner)
                {
                    owners[f.RelPath] = owner;
                    toRead.Add(f);
                }
            }
            else if (f.Kind is FileKind.SpringConfig or FileKind.Dockerfile or FileKind.Compose or FileKind.DeploymentYaml or FileKind.AppSettings
                or FileKind.EnvFile or FileKind.Procfile or FileKind.Script or FileKind.Contract or FileKind.Runbook or FileKind.OpenLineageSpec)
            {
                toRead.Add(f);
            }
        }

        progress?.SetFilesToRead(toRead.Count + packageFacts.Count);
        var (facts, totals) = FactsReader.Read(toRead, options.MaxFileBytes, options.MaxDegreeOfParallelism, progress, cancellationToken);

        progress?.SetPhase(ScoutPhase.Planning);
        var contracts = new ContractIndex();
        foreach (var f in facts)
        {
            if (f.File.Kind == FileKind.Contract && f.Text is { } text)
            {
                contracts.Add(f.File.RelPath, text);
            }
        }

        var allFacts = new List<FileFacts>(facts.Length + packageFacts.Count);
        allFacts.AddRange(packageFacts);
        allFacts.AddRange(facts);
        allFacts.Sort((a, b) => string.CompareOrdinal(a.File.RelPath, b.File.RelPath));
        var assembler = ServiceAssembler.Build(repoName, manifests, owners, allFacts, files, contracts);
        var finder = new GapFinder(repoName, assembler.CollectorEndpoint ?? options.OtlpEndpoint, contracts, ReadCodeOwners(root, realRoot));
        foreach (var s in assembler.Services)
        {
            finder.Find(s);
        }

        var plan = Plan(options, root, repoName, files.Count, assembler.Services, finder);
        progress?.SetPhase(ScoutPhase.Done);
        var stats = new ScanStats(
            files.Count,
            toRead.Count + manifests.Count,
            totals.Bytes + manifestBytes,
            totals.Truncated,
            totals.Generated,
            walk.SkippedDirectories,
            walk.EscapingLinks.Order(StringComparer.Ordinal).ToList(),
            assembler.LibrariesSkipped,
            walk.UnreadableDirectories + totals.Unreadable + unreadableManifests,
            Stopwatch.GetElapsedTime(started));
        return new ScoutResult(plan, stats);
    }

    private static DiffPlan Plan(ScoutOptions options, string root, string repoName, int filesScanned, IReadOnlyList<ServiceModel> services, GapFinder finder)
    {
        var archetypes = services
            .OrderBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(Archetype)
            .ToList();
        var gaps = finder.Gaps
            .OrderBy(g => g.ServicePath ?? string.Empty, StringComparer.Ordinal).ThenBy(g => (int)g.Type).ThenBy(g => g.Id, StringComparer.Ordinal)
            .ToList();
        var order = gaps.Select((g, i) => (g.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var changes = finder.Changes.OrderBy(c => order[c.GapId]).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();

        // Mean gap confidence, scaled by how sure the archetypes are; with no gap, the archetypes alone.
        var detection = services.Count == 0 ? 0 : services.Average(s => s.DetectionConfidence);
        var overall = gaps.Count == 0 ? detection : gaps.Average(g => g.Confidence) * detection;
        var head = options.ReadGitHead ? GitHead.Read(root) : null;
        var repo = new RepoInfo(root, repoName, head, options.TimeProvider.GetUtcNow(), filesScanned);
        return new DiffPlan(DiffPlan.CurrentSchemaVersion, repo, archetypes, gaps, changes, Math.Round(overall, 2));
    }

    private static ServiceArchetype Archetype(ServiceModel s)
    {
        static List<DatasetRef> Sorted(IEnumerable<DatasetSite> sites) => sites.Select(d => d.Ref)
            .OrderBy(d => d.Kind).ThenBy(d => d.System, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();

        var observability = new ObservabilityState(s.OtelSdk, s.OtelInitialised, s.Propagation, s.ServiceNameConfigured, s.HasHealth, s.HasLineage, s.HasRunbook);
        return new ServiceArchetype(
            s.Name, s.Path, s.Language, s.Manifest.BuildSystem, s.Manifest.File, s.Framework, s.EntryFile,
            s.Messaging.ToList(), s.DataAccess.ToList(), observability, Sorted(s.Inputs), Sorted(s.Outputs),
            s.Evidence.Distinct().OrderBy(e => e.Line is null && e.File == s.Manifest.File ? 0 : 1).ThenBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line ?? 0).ToList());
    }

    private static CodeOwners? ReadCodeOwners(string root, string realRoot)
    {
        foreach (var relative in CodeOwnersPaths)
        {
            var path = Path.Join(root, relative);
            if (!File.Exists(path) || PathResolver.RealPath(path) is not { } real || !PathResolver.IsInside(real, realRoot))
            {
                continue;
            }

            var (text, _) = TextFile.Read(path, 64 * 1024);
            if (text is not null)
            {
                return CodeOwners.Parse(text);
            }
        }

        return null;
    }
}
