using Autopilot.Agents.Scout.Facts;
using Autopilot.Agents.Scout.Manifests;
using Autopilot.Agents.Scout.Rules;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Planning;

/// <summary>
/// Turns projects and facts into services: decides which projects are services, attributes configuration and
/// deployment files to them, and works out archetype, observability state and datasets.
/// </summary>
internal sealed class ServiceAssembler
{
    private static readonly HashSet<string> SqlAccess = new(StringComparer.Ordinal)
    {
        "jdbc", "jpa", "ef_core", "ado_net", "npgsql", "dapper", "database_sql", "gorm", "pgx", "psycopg", "asyncpg", "sqlalchemy", "django_orm",
        "pg", "mysql", "prisma", "typeorm", "sequelize", "knex",
    };

    private static readonly Framework[] FrameworkPreference =
    [
        Framework.SpringBoot, Framework.AspnetCore, Framework.Nestjs, Framework.Fastify, Framework.Express,
        Framework.Fastapi, Framework.Django, Framework.Flask, Framework.Gin, Framework.Echo, Framework.NetHttp,
    ];

    private readonly string _repoName;
    private readonly List<ServiceModel> _services = [];

    private ServiceAssembler(string repoName) => _repoName = repoName;

    /// <summary>Projects found that are not services (libraries, aggregators, test projects, front ends).</summary>
    public int LibrariesSkipped { get; private set; }

    /// <summary>The OTLP endpoint of a Collector (or Autopilot) in docker-compose, if any.</summary>
    public string? CollectorEndpoint { get; private set; }

    public IReadOnlyList<ServiceModel> Services => _services;

    public static ServiceAssembler Build(string repoName, IReadOnlyList<BuildManifest> manifests, IReadOnlyDictionary<string, BuildManifest> owners,
        IReadOnlyList<FileFacts> facts, IReadOnlyList<RepoFile> files, ContractIndex contracts)
    {
        var assembler = new ServiceAssembler(repoName);
        assembler.Run(manifests, owners, facts, files, contracts);
        return assembler;
    }

    private void Run(IReadOnlyList<BuildManifest> manifests, IReadOnlyDictionary<string, BuildManifest> owners, IReadOnlyList<FileFacts> facts, IReadOnlyList<RepoFile> files, ContractIndex contracts)
    {
        var candidates = new Dictionary<BuildManifest, ServiceModel>();
        foreach (var m in manifests)
        {
            candidates[m] = new ServiceModel(m, m.Dir == RepoPaths.Root ? _repoName : RepoPaths.FileName(m.Dir));
        }

        foreach (var f in facts)
        {
            if (owners.TryGetValue(f.File.RelPath, out var owner) && candidates.TryGetValue(owner, out var model) && !f.Generated)
            {
                model.Sources.Add(f);
                foreach (var hit in f.Hits)
                {
                    model.CodeHits.Add(new Located(f.File.RelPath, hit));
                }
            }
        }

        var tsconfigDirs = files.Where(f => f.Kind == FileKind.TsConfig).Select(f => f.RelDir).ToHashSet(StringComparer.Ordinal);
        var kept = new List<ServiceModel>();
        foreach (var m in manifests)
        {
            var s = candidates[m];
            ApplyDependencies(s);
            Archetype(s, tsconfigDirs);
            if (IsService(s))
            {
                kept.Add(s);
            }
            else
            {
                LibrariesSkipped++;
            }
        }

        // One service per folder: a Python service with a package.json for its tooling is the Python service.
        foreach (var group in kept.GroupBy(s => s.Path, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(s => s.Framework is null ? 1 : 0).ThenBy(s => (int)s.Ecosystem).ThenBy(s => s.Manifest.File, StringComparer.Ordinal).ToList();
            _services.Add(ordered[0]);
            if (ordered.Count > 1)
            {
                ordered[0].DetectionConfidence -= 0.1;
                LibrariesSkipped += ordered.Count - 1;
            }
        }

        _services.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        AttributeConfiguration(facts);
        foreach (var s in _services)
        {
            Observability(s);
            Datasets(s, contracts);
            Confidence(s);
        }

        Names();
    }

    private static void ApplyDependencies(ServiceModel s)
    {
        var rules = DependencyRules.For(s.Ecosystem);
        foreach (var d in s.Manifest.Dependencies)
        {
            if (d.Scope != DependencyScope.Runtime)
            {
                continue;
            }

            foreach (var rule in rules)
            {
                if (rule.Matches(d.Id))
                {
                    s.DependencyFacets.TryAdd((rule.Facet, rule.Value), d);
                    if (rule is { Facet: Facet.Propagation, SelfActivating: true, Value: { } scope })
                    {
                        s.SelfPropagating.Add(scope);
                    }
                }
            }
        }

        foreach (var ((facet, value), dep) in s.DependencyFacets.OrderBy(kv => kv.Value.Line))
        {
            switch (facet)
            {
                case Facet.Messaging:
                    s.Messaging.Add(value!);
                    s.Evidence.Add(new Evidence(dep.File, dep.Line, $"{value} client dependency", dep.Found));
                    break;
                case Facet.DataAccess:
                    if (s.DataAccess.Add(value!))
                    {
                        s.Evidence.Add(new Evidence(dep.File, dep.Line, $"{value} data access dependency", dep.Found));
                    }

                    break;
                case Facet.DbSystem when !s.DbSystems.Contains(value!):
                    s.DbSystems.Add(value!);
                    break;
            }
        }
    }

    private static void Archetype(ServiceModel s, HashSet<string> tsconfigDirs)
    {
        var m = s.Manifest;
        s.Evidence.Insert(0, new Evidence(m.File, null, "build file (pom.xml, build.gradle, go.mod, pyproject.toml, requirements.txt, package.json, *.csproj)", RepoPaths.FileName(m.File)));
        if (m.ParseError is not null)
        {
            s.DetectionConfidence -= 0.2;
            s.Evidence.Add(new Evidence(m.File, null, "a readable build file", "could not be parsed: " + TextFile.Trim(m.ParseError)));
        }

        // Framework: from dependencies and code markers, the most specific one wins (NestJS over the Express it runs on).
        var found = new Dictionary<Framework, Evidence>();
        foreach (var ((facet, value), dep) in s.DependencyFacets)
        {
            if (facet == Facet.Framework && Enum.TryParse<Framework>(value, out var fw))
            {
                found.TryAdd(fw, new Evidence(dep.File, dep.Line, $"{Snake(fw)} dependency", dep.Found));
            }
        }

        foreach (var h in s.CodeHits)
        {
            if (h.Hit.Kind == PatternKind.Framework && Enum.TryParse<Framework>(h.Hit.Value, out var fw))
            {
                found.TryAdd(fw, h.ToEvidence($"{Snake(fw)} marker in code"));
            }
            else if (h.Hit.Kind == PatternKind.DataAccess && h.Hit.Value is { } access && s.DataAccess.Add(access))
            {
                s.Evidence.Add(h.ToEvidence($"{access} data access in code"));
            }
        }

        foreach (var fw in FrameworkPreference)
        {
            if (found.TryGetValue(fw, out var evidence))
            {
                s.Framework = fw;
                s.FrameworkEvidence = evidence;
                s.Evidence.Add(evidence);
                break;
            }
        }

        // A Spring Boot application without a web starter (a Kafka consumer, a batch job) serves no HTTP.
        s.IsWeb = s.Framework is { } web && (web != Framework.SpringBoot || IsSpringWeb(s));

        s.Language = s.Ecosystem switch
        {
            Ecosystem.Jvm => Language.Java,
            Ecosystem.Go => Language.Go,
            Ecosystem.Python => Language.Python,
            Ecosystem.Dotnet => Language.Csharp,
            _ => IsTypeScript(s, tsconfigDirs) ? Language.Typescript : Language.Javascript,
        };

        s.EntryFile = EntryFile(s);
        if (s.EntryFile is not null)
        {
            var entryHit = s.CodeHits.Find(h => h.File == s.EntryFile && h.Hit.Kind == PatternKind.Entry);
            s.Evidence.Add(entryHit is not null ? entryHit.ToEvidence() : new Evidence(s.EntryFile, null, "entry point", RepoPaths.FileName(s.EntryFile)));
        }

        // Messaging seen in code without a dependency line (a vendored client, a parent POM): still the service's.
        foreach (var h in s.CodeHits)
        {
            if (h.Hit.Kind is PatternKind.Produce or PatternKind.Consume && h.Hit.Value is { } system && s.Messaging.Count == 0 && system != "rabbitmq")
            {
                s.Messaging.Add(system);
                s.Evidence.Add(h.ToEvidence());
            }
        }
    }

    private static bool IsTypeScript(ServiceModel s, HashSet<string> tsconfigDirs)
    {
        int ts = 0, js = 0;
        foreach (var f in s.Sources)
        {
            if (f.File.Kind == FileKind.TypeScript)
            {
                ts++;
            }
            else
            {
                js++;
            }
        }

        return ts > 0 ? ts >= js : tsconfigDirs.Contains(s.Path) || s.Manifest.Dependencies.Exists(d => d.Id == "typescript");
    }

    private static string? EntryFile(ServiceModel s)
    {
        if (s.Ecosystem == Ecosystem.Node && s.Manifest.MainFile is { } main)
        {
            var path = RepoPaths.Normalize(s.Path, main);
            if (path is not null && s.Sources.Exists(f => f.File.RelPath == path))
            {
                return path;
            }
        }

        if (s.Ecosystem == Ecosystem.Dotnet && s.Sources.Find(f => f.File.RelPath == RepoPaths.Join(s.Path, "Program.cs")) is { } program)
        {
            return program.File.RelPath;
        }

        if (s.Ecosystem == Ecosystem.Python && s.Sources.Find(f => f.File.RelPath == RepoPaths.Join(s.Path, "manage.py")) is { } manage)
        {
            return manage.File.RelPath;
        }

        // Prefer the framework's application object, then a main function; nearer the project root, then by path.
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var h in s.CodeHits)
        {
            if (h.Hit.Kind != PatternKind.Entry)
            {
                continue;
            }

            var depth = RepoPaths.Below(h.File, s.Path).Count(c => c == '/');
            var name = RepoPaths.FileName(h.File);
            var conventional = name is "main.go" or "main.py" or "app.py" or "server.js" or "server.ts" or "index.js" or "index.ts" or "main.ts" or "app.js" or "app.ts" ? 0 : 1;
            var score = ((h.Hit.Value == "app" ? 0 : 1) * 1000) + (conventional * 100) + depth;
            if (score < bestScore || (score == bestScore && string.CompareOrdinal(h.File, best) < 0))
            {
                best = h.File;
                bestScore = score;
            }
        }

        return best;
    }

    private static bool IsService(ServiceModel s)
    {
        var m = s.Manifest;
        if (m.IsTestProject || m.IsFrontend)
        {
            return false;
        }

        var hasEntry = s.EntryFile is not null;
        return s.Ecosystem switch
        {
            Ecosystem.Jvm => !m.IsAggregator && (s.Framework is not null || m.IsExecutable || hasEntry),
            Ecosystem.Go => hasEntry,
            Ecosystem.Python => s.Framework is not null || hasEntry,
            Ecosystem.Node => (!m.IsAggregator || s.Framework is not null) && (s.Framework is not null || m.IsExecutable || hasEntry || s.Messaging.Count > 0),
            _ => m.IsExecutable,
        };
    }

    /// <summary>Gives each configuration and deployment file (and each compose service's block) to the service it describes.</summary>
    private void AttributeConfiguration(IReadOnlyList<FileFacts> facts)
    {
        if (_services.Count == 0)
        {
            return;
        }

        var byManifest = _services.ToDictionary(s => s.Manifest.File, StringComparer.Ordinal);
        foreach (var f in facts)
        {
            var file = f.File;
            switch (file.Kind)
            {
                case FileKind.PackageJson:
                    if (byManifest.TryGetValue(file.RelPath, out var own))
                    {
                        AddConfigHits(own, f, null);
                    }

                    break;
                case FileKind.Compose when f.Text is { } text:
                    Compose(f, text);
                    break;
                case FileKind.SpringConfig or FileKind.Dockerfile or FileKind.DeploymentYaml or FileKind.AppSettings or FileKind.EnvFile or FileKind.Procfile or FileKind.Script:
                    if (ByPath(file.RelPath) is { } s)
                    {
                        AddConfigHits(s, f, null);
                        if (file.Kind == FileKind.SpringConfig && f.Properties is { } props)
                        {
                            s.PropertiesFile ??= file.RelPath;
                            foreach (var (k, v) in props)
                            {
                                s.Properties.TryAdd(k, v);
                            }
                        }

                        if (file.Kind is FileKind.Dockerfile or FileKind.DeploymentYaml)
                        {
                            s.DeploymentFiles.Add(file.RelPath);
                        }

                        if (file.Kind == FileKind.Dockerfile && RepoPaths.IsUnder(s.Path, file.RelDir) && DockerfileRank(file, s) < DockerfileRank(s.Dockerfile, s))
                        {
                            s.Dockerfile = file.RelPath;
                        }
                    }

                    break;
                case FileKind.OpenLineageSpec:
                    ByPath(file.RelPath)?.LineageSpecs.Add(file.RelPath);
                    break;
                case FileKind.Runbook:
                    Runbook(f);
                    break;
            }
        }
    }

    /// <summary>Which Dockerfile builds the service: <c>Dockerfile</c> in its folder, then another there, then one in a folder above (a root Dockerfile for src/Api).</summary>
    private static int DockerfileRank(RepoFile file, ServiceModel s) => (file.RelDir == s.Path ? 0 : 2) + (file.Name == "Dockerfile" ? 0 : 1);

    private static int DockerfileRank(string? relPath, ServiceModel s) => relPath is null
        ? int.MaxValue
        : (RepoPaths.Parent(relPath) == s.Path ? 0 : 2) + (RepoPaths.FileName(relPath) == "Dockerfile" ? 0 : 1);

    private void Compose(FileFacts f, string text)
    {
        var services = ComposeParser.Parse(f.File.RelPath, text);
        foreach (var cs in services)
        {
            if (cs.IsCollector && CollectorEndpoint is null)
            {
                CollectorEndpoint = $"http://{cs.Name}:4318";
            }

            var target = cs.BuildContext is { } context ? ByPath(context, exact: true) : null;
            target ??= ByName(cs.Name);
            if (target is null)
            {
                continue;
            }

            target.DeploymentFiles.Add(f.File.RelPath);
            AddConfigHits(target, f, (cs.FirstLine, cs.LastLine));
        }
    }

    private void Runbook(FileFacts f)
    {
        var owners = new HashSet<ServiceModel>();
        var inService = ByPath(f.File.RelPath);
        if (inService is not null && (RepoPaths.IsUnder(f.File.RelPath, inService.Path) && inService.Path != RepoPaths.Root || _services.Count == 1 || NameMatches(f.File.RelPath, inService)))
        {
            owners.Add(inService);
        }

        if (f.FrontMatter is { } front)
        {
            foreach (var s in _services)
            {
                if (s.Keys().Any(k => ContainsToken(front, k)))
                {
                    owners.Add(s);
                }
            }
        }

        foreach (var s in owners)
        {
            s.Runbooks.Add(f.File.RelPath);
        }
    }

    private static bool ContainsToken(string text, string token)
    {
        for (var at = text.IndexOf(token, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(token, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var before = at == 0 ? ' ' : text[at - 1];
            var after = at + token.Length >= text.Length ? ' ' : text[at + token.Length];
            if (!(char.IsLetterOrDigit(before) || before is '-' or '_') && !(char.IsLetterOrDigit(after) || after is '-' or '_'))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddConfigHits(ServiceModel s, FileFacts f, (int First, int Last)? lines)
    {
        foreach (var hit in f.Hits)
        {
            if (lines is not { } range || (hit.Line >= range.First && hit.Line <= range.Last))
            {
                s.ConfigHits.Add(new Located(f.File.RelPath, hit));
            }
        }
    }

    /// <summary>The service a path belongs to: the nearest service folder above it, unless a folder or file name names another service.</summary>
    private ServiceModel? ByPath(string relPath, bool exact = false)
    {
        ServiceModel? nearest = null;
        foreach (var s in _services)
        {
            if (RepoPaths.IsUnder(relPath, s.Path) && (nearest is null || s.Path.Length > nearest.Path.Length))
            {
                nearest = s;
            }
        }

        if (nearest is not null && (nearest.Path != RepoPaths.Root || _services.Count == 1))
        {
            return nearest;
        }

        if (exact && nearest is null)
        {
            return null;
        }

        // In a repository with one service, its Dockerfile or Helm chart may sit anywhere (a root Dockerfile for src/Api).
        return ByNameInPath(relPath) ?? nearest ?? (_services.Count == 1 && !exact ? _services[0] : null);
    }

    private bool NameMatches(string relPath, ServiceModel s) => ByNameInPath(relPath) == s;

    /// <summary>A folder or file name of the path that is a service's name, or starts with it (<c>orders-deployment.yaml</c>).</summary>
    private ServiceModel? ByNameInPath(string relPath)
    {
        ServiceModel? best = null;
        var bestLength = 0;
        foreach (var segment in relPath.Split('/'))
        {
            var dot = segment.LastIndexOf('.');
            var stem = dot > 0 ? segment[..dot] : segment;
            foreach (var s in _services)
            {
                foreach (var key in s.Keys())
                {
                    if (key.Length > bestLength && key.Length >= 2 && (stem.Equals(key, StringComparison.OrdinalIgnoreCase)
                        || (stem.StartsWith(key, StringComparison.OrdinalIgnoreCase) && stem.Length > key.Length && stem[key.Length] is '-' or '_' or '.')))
                    {
                        best = s;
                        bestLength = key.Length;
                    }
                }
            }
        }

        return best;
    }

    private ServiceModel? ByName(string name)
    {
        foreach (var s in _services)
        {
            if (s.Keys().Any(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                return s;
            }
        }

        return null;
    }

    private static void Observability(ServiceModel s)
    {
        var all = s.ConfigHits.Concat(s.CodeHits).ToList();
        Dependency? Dep(Facet facet, string? value = null) => s.DependencyFacets.TryGetValue((facet, value), out var d) ? d : null;
        Evidence FromDep(Dependency d, string lookedFor) => new(d.File, d.Line, lookedFor, d.Found);

        var agent = all.Find(h => h.Hit.Kind == PatternKind.Agent);
        var launcher = all.Find(h => h.Hit.Kind == PatternKind.Launcher);
        var bootstrap = all.Find(h => h.Hit.Kind == PatternKind.Bootstrap);
        var codeInit = s.CodeHits.Find(h => h.Hit.Kind == PatternKind.OtelInit);

        s.SdkEvidence = Dep(Facet.OtelSdk) is { } sdk ? FromDep(sdk, DependencyRules.OtelLookedFor(s.Ecosystem))
            : agent?.ToEvidence() ?? launcher?.ToEvidence() ?? codeInit?.ToEvidence();
        s.InitEvidence = agent?.ToEvidence() ?? codeInit?.ToEvidence() ?? launcher?.ToEvidence()
            ?? (Dep(Facet.OtelInit) is { } init ? FromDep(init, "dependency that sets the OpenTelemetry SDK up by itself") : null);
        if (s.SdkEvidence is not null)
        {
            s.Evidence.Add(s.SdkEvidence);
        }

        // Spring Boot (and the OTel Java agent's resource detector) name the service after spring.application.name.
        var nameHit = all.Find(h => h.Hit.Kind == PatternKind.ServiceName);
        if (s.Ecosystem == Ecosystem.Jvm && s.Properties.TryGetValue("spring.application.name", out var appName) && s.PropertiesFile is { } propsFile)
        {
            s.ServiceNameEvidence = new Evidence(propsFile, appName.Line, "spring.application.name", "spring.application.name: " + appName.Value);
        }
        else if (nameHit is not null)
        {
            s.ServiceNameEvidence = nameHit.ToEvidence("service.name configured");
        }

        var health = all.Find(h => h.Hit.Kind == PatternKind.Health);
        s.HealthEvidence = health?.ToEvidence() ?? (Dep(Facet.Health) is { } hd ? FromDep(hd, "health endpoint dependency (Spring Boot Actuator, NestJS Terminus, AspNetCore.HealthChecks)") : null);

        var lineageHit = s.CodeHits.Find(h => h.Hit.Kind == PatternKind.OpenLineage);
        s.LineageEvidence = s.LineageSpecs.Count > 0 ? new Evidence(s.LineageSpecs[0], null, "OpenLineage spec", RepoPaths.FileName(s.LineageSpecs[0]))
            : Dep(Facet.OpenLineage) is { } ol ? FromDep(ol, "OpenLineage client dependency")
            : lineageHit?.ToEvidence();

        Propagation(s, all, agent, launcher, bootstrap);

        foreach (var h in all)
        {
            if (h.Hit.Kind == PatternKind.DbUrl && h.Hit.Topics.Count > 0)
            {
                s.Database ??= h.Hit.Topics[0].Text;
                if (h.Hit.Value is { } system && !s.DbSystems.Contains(system))
                {
                    s.DbSystems.Add(system);
                }
            }
            else if (h.Hit.Kind == PatternKind.DbDriver && h.Hit.Value is { } driver && !s.DbSystems.Contains(driver))
            {
                s.DbSystems.Add(driver);
            }
        }
    }

    private static void Propagation(ServiceModel s, List<Located> all, Located? agent, Located? launcher, Located? bootstrap)
    {
        // Which clients need their trace context carried across: HTTP in (a web framework), HTTP out (call sites), each messaging system.
        if (s.IsWeb)
        {
            s.Clients[Clients.HttpServer] = [];
        }

        foreach (var h in s.CodeHits)
        {
            switch (h.Hit.Kind)
            {
                case PatternKind.HttpClient:
                    Site(s, Clients.HttpClient, h);
                    break;
                case PatternKind.Produce or PatternKind.Consume when h.Hit.Value is { } system:
                    var actual = s.Messaging.Contains(system) ? system : s.Messaging.Count == 1 ? s.Messaging.Min! : null;
                    if (actual is not null)
                    {
                        Site(s, actual, h);
                    }

                    break;
            }
        }

        foreach (var system in s.Messaging)
        {
            s.Clients.TryAdd(system, []);
        }

        var covers = new List<string>();
        if (agent is not null || (launcher is not null && bootstrap is not null))
        {
            covers.Add(Clients.All);
        }

        foreach (var h in all)
        {
            if (h.Hit.Kind == PatternKind.Propagation && h.Hit.Value is { } value)
            {
                covers.Add(value);
            }
        }

        // An instrumentation library propagates only when something switches it on: its own auto-configuration
        // (with the SDK set up), Python's launcher (which loads every installed instrumentation), or code (seen above).
        if (s.OtelInitialised)
        {
            covers.AddRange(s.SelfPropagating);
        }

        if (launcher is not null)
        {
            foreach (var ((facet, value), _) in s.DependencyFacets)
            {
                if (facet == Facet.Propagation && value is not null)
                {
                    covers.Add(value);
                }
            }
        }

        foreach (var client in s.Clients.Keys)
        {
            if (!covers.Exists(c => Rules.Clients.Covers(c, client)))
            {
                s.Uncovered.Add(client);
            }
        }
    }

    private static bool IsSpringWeb(ServiceModel s) => s.Manifest.Dependencies.Exists(d => d.Scope == DependencyScope.Runtime
        && (d.Id.EndsWith(":spring-boot-starter-web", StringComparison.Ordinal) || d.Id.EndsWith(":spring-boot-starter-webflux", StringComparison.Ordinal) || d.Id.EndsWith(":spring-webmvc", StringComparison.Ordinal)));

    private static void Site(ServiceModel s, string client, Located h)
    {
        if (!s.Clients.TryGetValue(client, out var list))
        {
            s.Clients[client] = list = [];
        }

        list.Add(h);
    }

    private static void Datasets(ServiceModel s, ContractIndex contracts)
    {
        var constants = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var f in s.Sources)
        {
            if (f.TopicConstants is null)
            {
                continue;
            }

            foreach (var (name, value) in f.TopicConstants)
            {
                // A name bound to two different values in two files is ambiguous: resolve it in neither.
                constants[name] = constants.TryGetValue(name, out var existing) && existing != value ? null : value;
            }
        }

        var sql = s.DataAccess.Overlaps(SqlAccess);
        var dbSystem = s.DbSystems.Count > 0 ? s.DbSystems[0] : "sql";
        var seenIn = new HashSet<(DatasetKind, string, string)>();
        var seenOut = new HashSet<(DatasetKind, string, string)>();
        foreach (var source in s.Sources)
        {
            foreach (var hit in source.Hits)
            {
                var file = source.File.RelPath;
                switch (hit.Kind)
                {
                    case PatternKind.Produce or PatternKind.Consume when hit.Value is { } system:
                        var actual = s.Messaging.Contains(system) ? system : s.Messaging.Count == 1 ? s.Messaging.Min! : null;
                        if (actual is null)
                        {
                            break;
                        }

                        foreach (var t in hit.Topics)
                        {
                            if (Resolve(t, source, constants, s.Properties) is { } resolved)
                            {
                                Add(s, contracts, hit.Kind == PatternKind.Produce, DatasetKind.Topic, actual, resolved.Name, file, hit, resolved.Confidence, hit.Kind == PatternKind.Produce ? seenOut : seenIn);
                            }
                        }

                        break;
                    case PatternKind.SqlStatement when sql && hit.Topics.Count > 0:
                        Add(s, contracts, hit.Value == "write", DatasetKind.Table, dbSystem, hit.Topics[0].Text, file, hit, 0.8, hit.Value == "write" ? seenOut : seenIn);
                        break;
                    case PatternKind.TableEntity when sql && hit.Topics.Count > 0:
                        Add(s, contracts, true, DatasetKind.Table, dbSystem, hit.Topics[0].Text, file, hit, 0.6, seenOut);
                        break;
                }
            }
        }

        // Topics before tables, then by system and name: the order of the plan's lists and of every variable built from them.
        Comparison<DatasetSite> order = (a, b) => a.Ref.Kind != b.Ref.Kind ? a.Ref.Kind.CompareTo(b.Ref.Kind)
            : string.CompareOrdinal(a.Ref.System, b.Ref.System) is var bySystem and not 0 ? bySystem
            : string.CompareOrdinal(a.Ref.Name, b.Ref.Name);
        s.Inputs.Sort(order);
        s.Outputs.Sort(order);
    }

    private static (string Name, double Confidence)? Resolve(TopicExpr t, FileFacts source, Dictionary<string, string?> constants, Dictionary<string, (string Value, int Line)> properties)
    {
        switch (t.Kind)
        {
            case TopicExprKind.Literal:
                return (t.Text, 0.85);
            case TopicExprKind.Placeholder:
                return SpringProperties.Resolve(t.Text, properties) is { Length: > 0 } p ? (p, 0.75) : null;
            case TopicExprKind.Identifier:
                if (source.TopicConstants is { } local && local.TryGetValue(t.Text, out var here))
                {
                    return (here, 0.8);
                }

                return constants.TryGetValue(t.Text, out var anywhere) && anywhere is not null ? (anywhere, 0.75) : null;
            default:
                return null;
        }
    }

    private static void Add(ServiceModel s, ContractIndex contracts, bool output, DatasetKind kind, string system, string name, string file, Hit hit, double confidence, HashSet<(DatasetKind, string, string)> seen)
    {
        if (name.Length == 0 || !seen.Add((kind, system, name)))
        {
            return;
        }

        var reference = new DatasetRef(kind, system, name, file, hit.Line, contracts.Covers(kind, system, name));
        var site = new DatasetSite(reference, confidence, hit.LookedFor, hit.Text);
        (output ? s.Outputs : s.Inputs).Add(site);
    }

    private static void Confidence(ServiceModel s)
    {
        if (s.EntryFile is null)
        {
            s.DetectionConfidence -= 0.1;
        }

        if (s.Sources.Exists(f => f.Truncated))
        {
            s.DetectionConfidence -= 0.05;
        }

        s.DetectionConfidence = Math.Clamp(Math.Round(s.DetectionConfidence, 2), 0.3, 1.0);
    }

    /// <summary>Configured name, else build-file name, else folder; made unique across the repository.</summary>
    private void Names()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in _services)
        {
            var configured = s.ServiceNameConfigured ? ConfiguredName(s) : null;
            var name = Clean(configured) ?? Clean(s.Manifest.Name) ?? s.FolderName;
            if (!used.Add(name))
            {
                var alternative = $"{name}-{s.FolderName}";
                for (var n = 2; !used.Add(alternative); n++)
                {
                    alternative = $"{name}-{n}";
                }

                name = alternative;
                s.DetectionConfidence = Math.Max(0.3, s.DetectionConfidence - 0.1);
            }

            s.Name = name;
        }
    }

    private static string? ConfiguredName(ServiceModel s)
    {
        if (s.Ecosystem == Ecosystem.Jvm && s.Properties.TryGetValue("spring.application.name", out var app) && !app.Value.Contains("${", StringComparison.Ordinal))
        {
            return app.Value;
        }

        foreach (var h in s.ConfigHits.Concat(s.CodeHits))
        {
            if (h.Hit.Kind == PatternKind.ServiceName && h.Hit.Value is { } v)
            {
                return v;
            }
        }

        return null;
    }

    private static string? Clean(string? name)
    {
        var n = name?.Trim().Trim('"', '\'');
        return string.IsNullOrEmpty(n) ? null : n;
    }

    public static string Snake(Enum value) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
