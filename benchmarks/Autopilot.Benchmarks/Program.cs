using BenchmarkDotNet.Running;

// "ingest-cpu" is a CPU-time harness (see Ingest/IngestPathCpu.cs); everything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "ingest-cpu")
{
    return await Autopilot.Benchmarks.Ingest.IngestPathCpu.RunAsync(args);
}

// "scout-repo <dir> [files]" only writes the synthetic repository (for timing the CLI with hyperfine).
if (args is ["scout-repo", var dir, ..] && (args.Length == 2 || int.TryParse(args[2], out _)))
{
    var files = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
    Autopilot.Benchmarks.Scout.SyntheticRepo.Generate(dir, files);
    Console.WriteLine($"wrote {files} files (+{Autopilot.Benchmarks.Scout.SyntheticRepo.VendoredFiles} in node_modules) under {dir}");
    return 0;
}

// "engine-cpu [engines] [warm-up passes] [passes]": CPU time per signal of the engine benchmark, in-process.
if (args is ["engine-cpu", ..])
{
    Autopilot.Benchmarks.Engines.EngineCpuHarness.Run(args[1..]);
    return 0;
}

// "engine-stage-cpu [batch size] [warm-up passes] [passes]": process CPU per signal of the engine stage as serve runs it.
if (args is ["engine-stage-cpu", ..])
{
    await Autopilot.Benchmarks.Engines.EngineStageCpu.RunAsync(args[1..]);
    return 0;
}

// "incident-events [findings] [items,…]": the events file a long incident writes, with each cap on its items.
if (args is ["incident-events", ..])
{
    await Autopilot.Benchmarks.Engines.IncidentEventVolume.RunAsync(args[1..]);
    return 0;
}

// "incident-memory [findings] [checkpoints]": the correlator's heap as one incident gains a finding a minute.
if (args is ["incident-memory", ..])
{
    await Autopilot.Benchmarks.Engines.IncidentMemory.RunAsync(args[1..]);
    return 0;
}

// "store-retention [incidents] [findings each] [rounds]": writing incidents to SQLite, and deleting them as retention does.
if (args is ["store-retention", ..])
{
    Autopilot.Benchmarks.Engines.StoreRetention.Run(args[1..]);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Autopilot.Benchmarks.Pipeline.PipelineBenchmarks).Assembly).Run(args);
return 0;
