using Autopilot.Engines.Quality;
using BenchmarkDotNet.Attributes;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// The data-quality engine's duplicate check per span (<see cref="DuplicateIds.SeenBefore"/>), as the engine stage's
/// stream drives it: 1,000 services, each span on a random one with a new random span id, windows of 180 spans a
/// service (the stream's 600 spans per second over 1,000 services in the default 5-minute window), so a check looks in
/// the previous window's set and adds to the current one. 2^20 checks per operation batch, ids and services drawn before
/// (the predictor cannot learn them). No peer in one build: the figure is compared across commits (the file copied into
/// the earlier tree), as in benchmarks/RESULTS.md. One operation is one check.
/// </summary>
[Config(typeof(ShortJobConfig))]
public class DuplicateIdsBenchmarks
{
    private const int Count = 1 << 20;
    private const int Services = 1_000;
    private const int PerWindow = 180;
    private const long Window = 300;

    private DuplicateIds[] _ids = [];
    private ulong[] _spanIds = [];
    private int[] _services = [];
    private long _windowStart;
    private int _checks;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261207);
        _ids = [.. Enumerable.Range(0, Services).Select(_ => new DuplicateIds(0))];
        _spanIds = [.. Enumerable.Range(0, Count).Select(_ => (ulong)random.NextInt64())];
        _services = [.. Enumerable.Range(0, Count).Select(_ => random.Next(Services))];

        // Two windows' worth first, so every set is as full as in steady state.
        for (var i = 0; i < 2 * PerWindow * Services; i++)
        {
            Check(i);
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "DuplicateIds.SeenBefore (previous window's set, then add to the current)")]
    public int SeenBefore()
    {
        var duplicates = 0;
        for (var i = 0; i < Count; i++)
        {
            duplicates += Check(i) ? 1 : 0;
        }

        return duplicates;
    }

    private bool Check(int i)
    {
        // The window moves on every PerWindow checks a service, on average: rotating sets as the engine's windows do.
        if (++_checks == PerWindow * Services)
        {
            _checks = 0;
            _windowStart += Window;
        }

        return _ids[_services[i]].SeenBefore(_spanIds[i] + (ulong)_windowStart, _windowStart, Window, 50_000);
    }
}
