using BenchmarkDotNet.Running;

// "scout-repo <dir> [files]" only writes the synthetic repository (for timing the CLI with hyperfine).
if (args is ["scout-repo", var dir, ..] && (args.Length == 2 || int.TryParse(args[2], out _)))
{
    var files = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
    Autopilot.Benchmarks.Scout.SyntheticRepo.Generate(dir, files);
    Console.WriteLine($"wrote {files} files (+{Autopilot.Benchmarks.Scout.SyntheticRepo.VendoredFiles} in node_modules) under {dir}");
    return;
}

// "engine-cpu [engines] [warm-up passes] [passes]": CPU time per signal of the engine benchmark, in-process.
if (args is ["engine-cpu", ..])
{
    Autopilot.Benchmarks.Engines.EngineCpuHarness.Run(args[1..]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Autopilot.Benchmarks.Pipeline.PipelineBenchmarks).Assembly).Run(args);
