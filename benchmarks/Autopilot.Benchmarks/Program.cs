using BenchmarkDotNet.Running;

// "ingest-cpu" is a CPU-time harness (see Ingest/IngestPathCpu.cs); everything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "ingest-cpu")
{
    return await Autopilot.Benchmarks.Ingest.IngestPathCpu.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Autopilot.Benchmarks.Pipeline.PipelineBenchmarks).Assembly).Run(args);
return 0;
