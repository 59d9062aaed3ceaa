using System.Globalization;
using Autopilot.Agents.Scout.Facts;
using Autopilot.Agents.Scout.Manifests;
using Autopilot.Agents.Scout.Rules;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Planning;

/// <summary>Gaps per service, each with evidence and a confidence, and the template application that closes it.</summary>
internal sealed class GapFinder(string repoName, string otlpEndpoint, ContractIndex contracts, CodeOwners? owners)
{
    /// <summary>Call sites quoted as evidence per client (the <c>call_sites</c> variable lists up to <see cref="MaxCallSites"/>).</summary>
    private const int MaxEvidenceSites = 10;

    private const int MaxCallSites = 50;

    public List<Gap> Gaps { get; } = [];

    public List<PlannedChange> Changes { get; } = [];

    public void Find(ServiceModel s)
    {
        if (!s.OtelSdk)
        {
            MissingOtel(s);
        }
        else if (!s.OtelInitialised)
        {
            MissingOtelInit(s);
        }

        if (s.Uncovered.Count > 0)
        {
            MissingCorrelation(s);
        }

        if ((s.Inputs.Count > 0 || s.Outputs.Count > 0) && !s.HasLineage)
        {
            MissingLineage(s);
        }

        foreach (var output in s.Outputs)
        {
            if (!output.Ref.HasContract)
            {
                MissingContract(s, output);
            }
        }

        if (!s.HasRunbook)
        {
            MissingRunbook(s);
        }

        if (s.IsWeb && !s.HasHealth)
        {
            MissingHealth(s);
        }

        if (s.OtelSdk && !s.ServiceNameConfigured)
        {
            MissingResourceAttributes(s);
        }
    }

    private void MissingOtel(ServiceModel s)
    {
        var evidence = new List<Evidence> { new(s.Manifest.File, null, DependencyRules.OtelLookedFor(s.Ecosystem), null) };
        foreach (var file in s.DeploymentFiles)
        {
            evidence.Add(new Evidence(file, null, DependencyRules.AgentLookedFor(s.Ecosystem), null));
        }

        if (s.DeploymentFiles.Count == 0)
        {
            evidence.Add(new Evidence(s.Path, null, DependencyRules.AgentLookedFor(s.Ecosystem) + "; no Dockerfile, compose service or Helm values found for the service", null));
        }

        var confidence = s.DeploymentFiles.Count > 0 ? GapConfidence.MissingOtel : GapConfidence.MissingOtelNoDeployment;
        var gap = AddGap(s, GapType.MissingOtel, null, $"{s.Name} has no OpenTelemetry SDK or agent: it sends no traces, metrics or logs.", evidence, confidence);
        Plan(gap, s, TemplateIds.For(s.Language, TemplateIds.OtelInit), Targets(s.Manifest.File, s.EntryFile), ("otlp_endpoint", otlpEndpoint));
    }

    private void MissingOtelInit(ServiceModel s)
    {
        var evidence = new List<Evidence> { s.SdkEvidence! };
        evidence.Add(new Evidence(s.EntryFile ?? s.Path, null, InitLookedFor(s.Ecosystem), null));
        var gap = AddGap(s, GapType.MissingOtelInit, null, $"{s.Name} depends on the OpenTelemetry SDK but never sets it up, so nothing is exported.", evidence, GapConfidence.MissingOtelInit);
        Plan(gap, s, TemplateIds.For(s.Language, TemplateIds.OtelInit), Targets(s.Manifest.File, s.EntryFile), ("otlp_endpoint", otlpEndpoint));
    }

    private void MissingCorrelation(ServiceModel s)
    {
        var evidence = new List<Evidence>();
        var sites = new List<string>();
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var anySite = false;
        foreach (var client in s.Uncovered)
        {
            var list = s.Clients[client];
            var lookedFor = PropagationLookedFor(s.Ecosystem, client);
            foreach (var site in list.Take(MaxEvidenceSites))
            {
                evidence.Add(site.ToEvidence($"{site.Hit.LookedFor}, with {lookedFor}"));
            }

            foreach (var site in list)
            {
                anySite = true;
                files.Add(site.File);
                if (sites.Count < MaxCallSites)
                {
                    sites.Add(site.File + ":" + site.Hit.Line.ToString(CultureInfo.InvariantCulture));
                }
            }

            if (list.Count == 0)
            {
                evidence.Add(client == Rules.Clients.HttpServer && (WebDependency(s) ?? s.FrameworkEvidence) is { } fw
                    ? fw with { LookedFor = $"incoming HTTP requests, with {lookedFor}" }
                    : Dependency(s, client) is { } dep ? dep with { LookedFor = $"{client} client, with {lookedFor}" } : new Evidence(s.Manifest.File, null, lookedFor, null));
            }
        }

        evidence.Add(new Evidence(s.Manifest.File, null, "context propagation: " + string.Join("; ", s.Uncovered.Select(c => PropagationLookedFor(s.Ecosystem, c)).Distinct()), null));
        var confidence = (anySite ? GapConfidence.MissingCorrelationCallSites : GapConfidence.MissingCorrelationDependencyOnly) + (s.OtelSdk ? 0 : GapConfidence.NoOtelBonus);
        var clients = string.Join(",", s.Uncovered.Select(Rules.Clients.TemplateName).Distinct().Order(StringComparer.Ordinal));
        var gap = AddGap(s, GapType.MissingCorrelation, null,
            $"{s.Name} does not propagate trace context for {clients.Replace(",", ", ", StringComparison.Ordinal)}: traces break at these calls.", evidence, confidence);
        var targets = new List<string> { s.Manifest.File };
        if (s.Uncovered.Contains(Rules.Clients.HttpServer) && s.EntryFile is not null)
        {
            targets.Add(s.EntryFile);
        }

        targets.AddRange(files);
        Plan(gap, s, TemplateIds.For(s.Language, TemplateIds.OtelPropagation), Targets([.. targets]), ("clients", clients), ("call_sites", string.Join(",", sites)));
    }

    private void MissingLineage(ServiceModel s)
    {
        var evidence = s.Inputs.Concat(s.Outputs).OrderBy(d => d.Ref.File, StringComparer.Ordinal).ThenBy(d => d.Ref.Line).Take(MaxEvidenceSites).Select(d => d.ToEvidence()).ToList();
        var spec = RepoPaths.Join(s.Path, "openlineage.yaml");
        evidence.Add(new Evidence(spec, null, "OpenLineage spec (openlineage.yaml in the service, lineage/<service>.yaml) or an OpenLineage client dependency", null));
        var gap = AddGap(s, GapType.MissingLineageSpec, null,
            $"{s.Name} reads {s.Inputs.Count} and writes {s.Outputs.Count} datasets but no OpenLineage spec describes them.", evidence, GapConfidence.MissingLineageSpec);
        Plan(gap, s, TemplateIds.LineageSpec, [spec],
            ("job_namespace", repoName), ("job_name", s.Name),
            ("inputs", string.Join(",", s.Inputs.Select(d => $"{d.Ref.System}:{d.Ref.Name}"))),
            ("outputs", string.Join(",", s.Outputs.Select(d => $"{d.Ref.System}:{d.Ref.Name}"))));
    }

    private void MissingContract(ServiceModel s, DatasetSite output)
    {
        var d = output.Ref;
        var kind = d.Kind == DatasetKind.Topic ? "topic" : "table";
        var dir = ContractsDir(s);
        var evidence = new List<Evidence>
        {
            output.ToEvidence(),
            new(dir, null, $"a data contract covering {d.System} {kind} {d.Name} (dataset name or urn, servers.*.topic, models)", null),
        };
        var gap = AddGap(s, GapType.MissingContract, $"{d.System}:{d.Name}", $"{s.Name} writes {d.System} {kind} {d.Name} and no data contract covers it.", evidence, output.Confidence);
        var database = d.Kind == DatasetKind.Table ? s.Database : null;
        var ns = d.Kind == DatasetKind.Topic ? d.System : database is null ? d.System : $"{d.System}/{database}";
        Plan(gap, s, TemplateIds.DataContract, [RepoPaths.Join(dir, FileSafe($"{d.System}.{d.Name}") + ".yaml")],
            ("dataset_kind", kind), ("dataset_system", d.System), ("dataset_namespace", ns), ("dataset_name", d.Name),
            ("urn", ContractIndex.Urn(d.Kind, d.System, database, d.Name)), ("owner", owners?.OwnerOf(s.Manifest.File) ?? string.Empty),
            ("source_file", d.File), ("source_line", d.Line.ToString(CultureInfo.InvariantCulture)));
    }

    private void MissingRunbook(ServiceModel s)
    {
        var runbook = RepoPaths.Join(s.Path, "RUNBOOK.md");
        var evidence = new List<Evidence>
        {
            new(runbook, null, $"runbook: RUNBOOK.md or docs/runbook*.md in the service, runbooks/{s.Name}.md or docs/runbooks/{s.Name}.md, or a runbook whose front matter names {s.Name}", null),
        };
        var gap = AddGap(s, GapType.MissingRunbook, null, $"{s.Name} has no runbook for whoever is on call.", evidence, GapConfidence.MissingRunbook);
        Plan(gap, s, TemplateIds.Runbook, [runbook],
            ("messaging", string.Join(",", s.Messaging)), ("data_access", string.Join(",", s.DataAccess)),
            ("outputs", string.Join(",", s.Outputs.Select(o => $"{o.Ref.System}:{o.Ref.Name}"))));
    }

    private void MissingHealth(ServiceModel s)
    {
        var evidence = new List<Evidence>();
        if ((WebDependency(s) ?? s.FrameworkEvidence) is { } fw)
        {
            evidence.Add(fw);
        }

        evidence.Add(new Evidence(s.EntryFile ?? s.Path, null, "health or readiness route (/health, /healthz, /ready, /readyz, /livez), MapHealthChecks, Spring Boot Actuator or NestJS Terminus", null));
        var gap = AddGap(s, GapType.MissingHealthEndpoint, null, $"{s.Name} serves HTTP but declares no health or readiness endpoint.", evidence, GapConfidence.MissingHealthEndpoint);
        Plan(gap, s, TemplateIds.For(s.Language, TemplateIds.HealthEndpoint), Targets(s.EntryFile ?? s.Manifest.File));
    }

    private void MissingResourceAttributes(ServiceModel s)
    {
        var target = s.Dockerfile ?? RepoPaths.Join(s.Path, "otel.env");
        var evidence = new List<Evidence>
        {
            s.SdkEvidence!,
            new(target, null, "OTEL_SERVICE_NAME or service.name in OTEL_RESOURCE_ATTRIBUTES (Dockerfile, compose, Helm values, .env), spring.application.name, or service.name set in code", null),
        };
        var gap = AddGap(s, GapType.MissingResourceAttributes, null, $"{s.Name} never sets service.name: its telemetry would arrive as unknown_service.", evidence, GapConfidence.MissingResourceAttributes);
        Plan(gap, s, TemplateIds.ResourceAttributes, [target], ("resource_attributes", $"service.name={s.Name},service.namespace={repoName}"));
    }

    private Gap AddGap(ServiceModel s, GapType type, string? subject, string summary, List<Evidence> evidence, double confidence)
    {
        var id = ServiceAssembler.Snake(type) + ":" + s.Name + (subject is null ? string.Empty : ":" + subject);
        var sorted = evidence.Distinct().OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line ?? 0).ThenBy(e => e.LookedFor, StringComparer.Ordinal).ToList();
        var gap = new Gap(id, type, s.Name, s.Path, summary, sorted, Math.Round(Math.Clamp(confidence, 0, 1), 2));
        Gaps.Add(gap);
        return gap;
    }

    private void Plan(Gap gap, ServiceModel s, string templateId, IReadOnlyList<string> targets, params (string Key, string Value)[] extra)
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["service_name"] = s.Name,
            ["service_path"] = s.Path,
            ["language"] = ServiceAssembler.Snake(s.Language),
            ["build_system"] = ServiceAssembler.Snake(s.Manifest.BuildSystem),
            ["build_file"] = s.Manifest.File,
            ["framework"] = s.Framework is { } fw ? ServiceAssembler.Snake(fw) : string.Empty,
            ["entry_file"] = s.EntryFile ?? string.Empty,
        };
        foreach (var (key, value) in extra)
        {
            variables[key] = value;
        }

        Changes.Add(new PlannedChange(gap.Id + "/" + templateId, gap.Id, templateId, s.Name, targets, variables));
    }

    private static List<string> Targets(params string?[] files) => files.Where(f => f is not null).Select(f => f!).Distinct(StringComparer.Ordinal).ToList();

    private string ContractsDir(ServiceModel s)
    {
        string? best = null;
        foreach (var dir in contracts.Directories)
        {
            if (RepoPaths.IsUnder(dir, s.Path) && (best is null || dir.Length < best.Length))
            {
                best = dir;
            }
        }

        return best ?? (contracts.Directories.Contains("contracts") ? "contracts" : contracts.Directories.Count > 0 ? contracts.Directories.Min! : "contracts");
    }

    /// <summary>Spring Boot's web starter: a better witness of "serves HTTP" than the parent POM.</summary>
    private static Evidence? WebDependency(ServiceModel s) => s.Manifest.Dependencies
        .Find(d => d.Scope == DependencyScope.Runtime && (d.Id.EndsWith(":spring-boot-starter-web", StringComparison.Ordinal) || d.Id.EndsWith(":spring-boot-starter-webflux", StringComparison.Ordinal))) is { } web
        ? new Evidence(web.File, web.Line, "web server dependency", web.Found)
        : null;

    private static Evidence? Dependency(ServiceModel s, string system) =>
        s.DependencyFacets.TryGetValue((Facet.Messaging, system), out var d) ? new Evidence(d.File, d.Line, system, d.Found) : null;

    private static string FileSafe(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-').ToArray();
        return new string(chars).Trim('-', '.');
    }

    private static string InitLookedFor(Ecosystem ecosystem) => ecosystem switch
    {
        Ecosystem.Jvm => "SDK set-up: OpenTelemetrySdk.builder() / AutoConfiguredOpenTelemetrySdk, or -javaagent",
        Ecosystem.Go => "SDK set-up: sdktrace.NewTracerProvider and otel.SetTracerProvider",
        Ecosystem.Python => "SDK set-up: TracerProvider + trace.set_tracer_provider, or the opentelemetry-instrument launcher",
        Ecosystem.Node => "SDK set-up: new NodeSDK(…).start(), or --require @opentelemetry/auto-instrumentations-node/register",
        _ => "SDK set-up: builder.Services.AddOpenTelemetry() or Sdk.CreateTracerProviderBuilder()",
    };

    private static string PropagationLookedFor(Ecosystem ecosystem, string client) => (ecosystem, client) switch
    {
        (_, Rules.Clients.HttpServer) when ecosystem == Ecosystem.Jvm => "server instrumentation (OTel Java agent or Spring Boot starter, Micrometer tracing)",
        (Ecosystem.Jvm, Rules.Clients.HttpClient) => "client instrumentation (OTel Java agent or Spring Boot starter, Micrometer tracing)",
        (Ecosystem.Jvm, _) => "Kafka instrumentation (OTel Java agent, opentelemetry-kafka-clients, or Spring Kafka observation-enabled)",
        (Ecosystem.Go, Rules.Clients.HttpServer) => "server middleware (otelhttp.NewHandler, otelgin, otelecho)",
        (Ecosystem.Go, Rules.Clients.HttpClient) => "otelhttp.NewTransport on the client",
        (Ecosystem.Go, _) => "otel.GetTextMapPropagator().Inject into message headers (or otelsarama / kotel)",
        (Ecosystem.Python, Rules.Clients.HttpServer) => "server instrumentation (opentelemetry-instrumentation-fastapi/flask/django)",
        (Ecosystem.Python, Rules.Clients.HttpClient) => "client instrumentation (opentelemetry-instrumentation-requests/httpx/aiohttp-client)",
        (Ecosystem.Python, _) => "messaging instrumentation (opentelemetry-instrumentation-kafka-python/confluent-kafka/aiokafka) or propagate.inject",
        (Ecosystem.Node, Rules.Clients.HttpServer or Rules.Clients.HttpClient) => "@opentelemetry/instrumentation-http / -undici or getNodeAutoInstrumentations()",
        (Ecosystem.Node, _) => "@opentelemetry/instrumentation-kafkajs, getNodeAutoInstrumentations() or propagation.inject",
        (_, Rules.Clients.HttpServer) => "AddAspNetCoreInstrumentation()",
        (_, Rules.Clients.HttpClient) => "AddHttpClientInstrumentation() or AddSource(\"System.Net.Http\")",
        _ => "OpenTelemetry.Instrumentation.ConfluentKafka or Propagators.DefaultTextMapPropagator.Inject into message headers",
    };
}
