using Autopilot.LoadGen;

namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>The load generator's seeded trace requests (benchmarks/Autopilot.LoadGen/TracePayloads.cs), without their gRPC frames.</summary>
internal static class LoadGeneratorPayloads
{
    public static byte[][] Messages(int count) =>
        TracePayloads.Build(count, 1000, seed: 42).Select(p => p.GrpcFrame[5..]).ToArray();
}
