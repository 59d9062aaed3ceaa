using System.Diagnostics;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Rca.Answers;
using Autopilot.Rca.Context;
using Autopilot.Rca.Explain;
using Autopilot.Rca.Graph;
using Autopilot.Rca.Ranking;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Autopilot.Rca;

/// <summary>
/// "Why did this happen and what should we do?" for an incident or a time window: builds the context (findings,
/// graph around them as of the onset, changes, timeline), ranks root causes, works out the blast radius and has
/// an explainer write the answer. The HTTP API and the CLI use it; a gRPC service can sit on the same methods.
/// Safe for concurrent callers.
/// </summary>
public sealed class RcaAnalyzer : IDisposable
{
    private static readonly FaultPlane[] BlastPlanes = [FaultPlane.Request, FaultPlane.Data];
    private readonly IEngineStore _store;
    private readonly IAssetGraph _graph;
    private readonly RcaContextBuilder _contexts;
    private readonly RootCauseRanker _ranker;
    private readonly AnalysisCache _cache;
    private readonly LlmExplainer? _llm;
    private readonly IChatClient? _chat;
    private readonly bool _ownsChat;

    /// <param name="store">Findings and incidents.</param>
    /// <param name="graph">The asset graph with history.</param>
    /// <param name="options">Bounds, windows and the LLM; validated here.</param>
    /// <param name="chat">The model to ask; null makes one from <see cref="RcaOptions.Llm"/> when a provider is configured.</param>
    /// <param name="time">Clock of the cache's TTL.</param>
    /// <param name="loggers">Where fallbacks are logged.</param>
    public RcaAnalyzer(IEngineStore store, IAssetGraph graph, RcaOptions options, IChatClient? chat = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _graph = graph;
        Options = options;
        _contexts = new RcaContextBuilder(store, graph, options);
        _ranker = new RootCauseRanker(options);
        _cache = new AnalysisCache(options.CacheCapacity, options.CacheTtl, time ?? TimeProvider.System);
        SuspectRanker = new GraphSuspectRanker(_contexts, _ranker, options);
        _ownsChat = chat is null;
        _chat = chat ?? ChatClients.Create(options.Llm);
        if (_chat is not null)
        {
            _llm = new LlmExplainer(_chat, options.Llm, (loggers ?? NullLoggerFactory.Instance).CreateLogger("Autopilot.Rca"));
        }
    }

    public RcaOptions Options { get; }

    /// <summary>The ranker for the incident correlator's suspected roots (<see cref="EngineHost"/>'s <c>ranker</c>).</summary>
    public ISuspectRanker SuspectRanker { get; }

    /// <summary>True when an LLM explainer is configured.</summary>
    public bool LlmConfigured => _llm is not null;

    /// <summary>What answers by default: <c>rules</c> or <c>llm:&lt;provider&gt;/&lt;model&gt;</c>.</summary>
    public string DefaultExplainer => _llm?.Name ?? RulesExplainer.Name;

    internal int CachedAnalyses => _cache.Count;

    internal long CacheHits => _cache.Hits;

    /// <summary>The answer for an incident, or null when there is no such incident.</summary>
    public async Task<RcaAnswer?> ExplainIncidentAsync(string incidentId, RcaExplainerChoice explainer = RcaExplainerChoice.Auto, CancellationToken cancellationToken = default)
    {
        var analysis = AnalyzeIncident(incidentId);
        return analysis is null ? null : await ExplainAsync(analysis, explainer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The answer for a time window (Unix ns, inclusive), optionally around one symptom URN.</summary>
    public Task<RcaAnswer> AnalyzeWindowAsync(long fromUnixNano, long toUnixNano, string? symptomUrn = null, RcaExplainerChoice explainer = RcaExplainerChoice.Auto, CancellationToken cancellationToken = default) =>
        ExplainAsync(AnalyzeWindow(fromUnixNano, toUnixNano, symptomUrn), explainer, cancellationToken);

    /// <summary>Exactly what the LLM explainer would send for an incident (nothing is sent), or null when there is no such incident.</summary>
    public RcaPrompt? IncidentPrompt(string incidentId) => AnalyzeIncident(incidentId) is { } analysis ? PromptBuilder.Build(analysis, Options.Llm) : null;

    /// <summary>Exactly what the LLM explainer would send for a window (nothing is sent).</summary>
    public RcaPrompt WindowPrompt(long fromUnixNano, long toUnixNano, string? symptomUrn = null) =>
        PromptBuilder.Build(AnalyzeWindow(fromUnixNano, toUnixNano, symptomUrn), Options.Llm);

    internal Analysis? AnalyzeIncident(string incidentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(incidentId);
        var incident = _store.GetIncident(incidentId);
        if (incident is null)
        {
            return null;
        }

        if (_cache.TryGet(incident.Id, incident.UpdatedUnixNano, out var cached))
        {
            return cached;
        }

        var started = Stopwatch.GetTimestamp();
        var analysis = Analyze(_contexts.ForIncident(incident));
        RcaMetrics.AnalysisMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _cache.Put(incident.Id, incident.UpdatedUnixNano, analysis);
        return analysis;
    }

    internal Analysis AnalyzeWindow(long fromUnixNano, long toUnixNano, string? symptomUrn)
    {
        if (toUnixNano < fromUnixNano)
        {
            throw new ArgumentException("to is before from.");
        }

        var started = Stopwatch.GetTimestamp();
        var analysis = Analyze(_contexts.ForWindow(fromUnixNano, toUnixNano, symptomUrn));
        RcaMetrics.AnalysisMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return analysis;
    }

    private Analysis Analyze(RcaContext context)
    {
        var ranking = _ranker.Rank(context);
        return new Analysis(context, ranking, BlastRadius(context, ranking));
    }

    private async Task<RcaAnswer> ExplainAsync(Analysis analysis, RcaExplainerChoice explainer, CancellationToken cancellationToken)
    {
        if (explainer == RcaExplainerChoice.Llm && _llm is null)
        {
            throw new InvalidOperationException("no LLM is configured (serve --llm-provider anthropic|openai, or ANTHROPIC_API_KEY / AUTOPILOT_LLM_BASE_URL)");
        }

        if (_llm is null || explainer == RcaExplainerChoice.Rules)
        {
            RcaMetrics.Explanations.Add(1, new KeyValuePair<string, object?>("explainer", "rules"), new KeyValuePair<string, object?>("outcome", "ok"));
            return RulesExplainer.Explain(analysis);
        }

        return await _llm.ExplainAsync(analysis, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Assets downstream (in the fault direction of the planes of the roots' findings; requests and data for a root
    /// without findings) of the top root cause, and of a runner-up close to it, nearest first, as of the onset. Without a graph: the other assets with findings.
    /// </summary>
    private List<string> BlastRadius(RcaContext context, RankingResult ranking)
    {
        var suspects = ranking.Suspects;
        if (suspects.Count == 0)
        {
            return [];
        }

        var roots = new List<string> { suspects[0].Urn };
        if (suspects.Count > 1 && suspects[1].Confidence >= 0.6 * suspects[0].Confidence)
        {
            roots.Add(suspects[1].Urn);
        }

        // A root hurts others in the planes of its own symptoms (a stale table its readers, not its writer); a root
        // without findings (inferred, or only changed) in the request and data planes.
        var planes = new List<FaultPlane>(GraphEdges.Planes.Count);
        foreach (var root in suspects.Take(roots.Count))
        {
            foreach (var finding in root.Findings)
            {
                var plane = SymptomPlanes.Of(finding.Kind);
                if (!planes.Contains(plane))
                {
                    planes.Add(plane);
                }
            }
        }

        if (planes.Count == 0)
        {
            planes.AddRange(BlastPlanes);
        }

        var result = new List<string>();
        var seen = new HashSet<string>(roots, StringComparer.Ordinal);
        if (context.GraphAvailable)
        {
            var frontier = new List<string>(roots);
            for (var depth = 0; depth < Options.DownstreamDepth && frontier.Count > 0 && result.Count < Options.MaxBlastRadius; depth++)
            {
                var next = new List<string>();
                foreach (var urn in frontier)
                {
                    foreach (var edge in _graph.EdgesOf(urn, context.AsOfUnixNano))
                    {
                        // What a fault here can hurt: its clients (requests), what its data reaches (data), what it feeds (traffic).
                        foreach (var plane in planes)
                        {
                            if (string.Equals(edge.Upstream(plane), urn, StringComparison.Ordinal) && seen.Add(edge.Downstream(plane)))
                            {
                                next.Add(edge.Downstream(plane));
                            }
                        }
                    }
                }

                next.Sort(StringComparer.Ordinal);
                foreach (var urn in next)
                {
                    if (result.Count >= Options.MaxBlastRadius)
                    {
                        break;
                    }

                    result.Add(urn);
                }

                frontier = next;
            }
        }

        else
        {
            foreach (var f in context.Findings)
            {
                if (result.Count < Options.MaxBlastRadius && seen.Add(f.Urn))
                {
                    result.Add(f.Urn);
                }
            }
        }

        return result;
    }

    public void Dispose()
    {
        if (_ownsChat)
        {
            _chat?.Dispose();
        }
    }
}
