using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;
using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Tests.TestSupport;

/// <summary>A graph builder on a real SQLite graph store in a temporary directory; batches get increasing log positions.</summary>
internal sealed class GraphHarness : IDisposable
{
    private readonly Action<GraphBuilderOptions>? _configure;
    private SqliteGraphStore _store;

    public GraphHarness(Action<GraphBuilderOptions>? configure = null)
    {
        _configure = configure;
        Directory = Path.Combine(Path.GetTempPath(), "autopilot-graph-" + Guid.NewGuid().ToString("N"));
        _store = new SqliteGraphStore(Path.Combine(Directory, "graph.db"));
        Builder = GraphBuilder.Open(Options(), _store);
    }

    public string Directory { get; }

    public GraphBuilder Builder { get; private set; }

    public AssetGraph Graph => Builder.Graph;

    public long Lsn { get; private set; }

    public GraphBuilderOptions Options()
    {
        // Every batch visible at once; a long flush interval: tests flush when they mean to.
        var options = new GraphBuilderOptions { FlushInterval = TimeSpan.FromHours(1), PublishInterval = TimeSpan.Zero };
        _configure?.Invoke(options);
        return options;
    }

    /// <summary>Applies one request's signals at the next log position; returns that position.</summary>
    public long Apply(List<Signal> signals, IngestSignal type = IngestSignal.Traces)
    {
        Lsn++;
        Builder.Apply(new IngestBatch(Lsn, type, signals));
        return Lsn;
    }

    public long Apply(Traces traces) => Apply(traces.Decode());

    /// <summary>Re-applies a batch at a position already used (as a replay after a restart does).</summary>
    public void Replay(long lsn, List<Signal> signals, IngestSignal type = IngestSignal.Traces) => Builder.Apply(new IngestBatch(lsn, type, signals));

    /// <summary>Closes the store and opens a new builder on it, as a restarted process does.</summary>
    public void Restart()
    {
        _store.Dispose();
        _store = new SqliteGraphStore(Path.Combine(Directory, "graph.db"));
        Builder = GraphBuilder.Open(Options(), _store);
        Lsn = Math.Max(Lsn, Builder.DurableLsn);
    }

    public GraphEdge Edge(string from, string to, EdgeKind kind, long? at = null) =>
        Graph.EdgesOf(from, at).SingleOrDefault(e => e.From == from && e.To == to && e.Kind == kind)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} edge {from} → {to}{(at is null ? string.Empty : " at " + at)}; edges of {from}: {string.Join(", ", Graph.EdgesOf(from, at).Select(e => $"{e.Kind} {e.From} → {e.To}"))}");

    public void Dispose()
    {
        _store.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
