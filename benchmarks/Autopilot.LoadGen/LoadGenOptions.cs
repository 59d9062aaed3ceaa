using System.Globalization;

namespace Autopilot.LoadGen;

/// <summary>Command-line options of the load generator. Every default lives here.</summary>
internal sealed class LoadGenOptions
{
    public string ServerDll { get; set; } = "src/Autopilot/bin/Release/net10.0/autopilot.dll";

    public string PrometheusPath { get; set; } = "/usr/bin/prometheus";

    public string? OutFile { get; set; }

    /// <summary>Length of each measured phase.</summary>
    public TimeSpan PhaseDuration { get; set; } = TimeSpan.FromSeconds(12);

    public TimeSpan WarmupDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Offered rates of the open-loop phases, in spans per second.</summary>
    public IList<int> Rates { get; } = [50_000, 100_000, 200_000];

    /// <summary>Concurrent gRPC streams of the closed-loop (saturation) phase.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>Open-loop requests in flight at most; a request due past it is counted as skipped.</summary>
    public int MaxInFlight { get; set; } = 256;

    public int SpansPerRequest { get; set; } = 1000;

    public int DistinctTracePayloads { get; set; } = 16;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra arguments for <c>autopilot serve</c>, e.g. <c>--no-engines</c> to measure ingest alone.</summary>
    public IList<string> ServerArgs { get; } = [];

    public bool SkipOtlp { get; set; }

    public bool SkipRemoteWrite { get; set; }

    public int RemoteWriteWorkers { get; set; } = 4;

    /// <summary>Requests prepared per remote-write worker: the request-count bound of those phases.</summary>
    public int RemoteWriteRequestsPerWorker { get; set; } = 1000;

    public int RemoteWriteSeries { get; set; } = 500;

    public int RemoteWriteSamplesPerSeries { get; set; } = 4;

    /// <summary>How long to wait for other benchmarks to finish before measuring anyway is refused.</summary>
    public TimeSpan QuietWait { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Cores busy with other work (over 5 s) under which the machine counts as quiet.</summary>
    public double MaxBusyCores { get; set; } = 0.2;

    public static LoadGenOptions Parse(string[] args)
    {
        var o = new LoadGenOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--server-dll": o.ServerDll = Next(); break;
                case "--prometheus": o.PrometheusPath = Next(); break;
                case "--out": o.OutFile = Next(); break;
                case "--duration": o.PhaseDuration = TimeSpan.FromSeconds(NextInt()); break;
                case "--warmup": o.WarmupDuration = TimeSpan.FromSeconds(NextInt()); break;
                case "--rates":
                    o.Rates.Clear();
                    foreach (var r in Next().Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        o.Rates.Add(int.Parse(r, CultureInfo.InvariantCulture));
                    }

                    break;
                case "--concurrency": o.Concurrency = NextInt(); break;
                case "--max-in-flight": o.MaxInFlight = NextInt(); break;
                case "--spans-per-request": o.SpansPerRequest = NextInt(); break;
                case "--server-arg": o.ServerArgs.Add(Next()); break;
                case "--skip-otlp": o.SkipOtlp = true; break;
                case "--skip-remote-write": o.SkipRemoteWrite = true; break;
                case "--rw-workers": o.RemoteWriteWorkers = NextInt(); break;
                case "--rw-requests-per-worker": o.RemoteWriteRequestsPerWorker = NextInt(); break;
                case "--quiet-wait-minutes": o.QuietWait = TimeSpan.FromMinutes(NextInt()); break;
                case "--max-busy-cores": o.MaxBusyCores = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'; see benchmarks/Autopilot.LoadGen/README.md");
            }
        }

        o.Validate();
        return o;
    }

    public void Validate()
    {
        if (!File.Exists(ServerDll))
        {
            throw new ArgumentException($"server not found at '{ServerDll}'; build it first: dotnet build src/Autopilot -c Release");
        }

        if (Concurrency < 1 || MaxInFlight < 1 || SpansPerRequest < 1 || RemoteWriteWorkers < 1 || RemoteWriteRequestsPerWorker < 60)
        {
            throw new ArgumentException("--concurrency, --max-in-flight, --spans-per-request and --rw-workers must be at least 1, --rw-requests-per-worker at least 60.");
        }

        if (PhaseDuration <= TimeSpan.Zero || PhaseDuration > TimeSpan.FromMinutes(2))
        {
            throw new ArgumentException("--duration must be between 1 and 120 seconds.");
        }
    }
}
