using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Autopilot.Benchmarks.Pipeline.PipelineBenchmarks).Assembly).Run(args);
