namespace Autopilot.Ingest.Tests.Otlp;

/// <summary>
/// The shared OTLP samples (../shared/data/otlp, never copied into the repository) and their INDEX.tsv.
/// Found by walking up from the test binaries to the folder that holds Autopilot.sln.
/// </summary>
internal static class OtlpTestData
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<IReadOnlyList<IndexEntry>> LazyIndex = new(ReadIndex);

    public static string Root => LazyRoot.Value;

    public static IReadOnlyList<IndexEntry> Index => LazyIndex.Value;

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(Root, relativePath));

    public static IndexEntry Entry(string relativePath) =>
        Index.Single(e => e.File == relativePath);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Autopilot.sln")))
            {
                var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "otlp"));
                if (!Directory.Exists(data))
                {
                    throw new DirectoryNotFoundException($"OTLP test data not found at {data} (expected ../shared/data/otlp next to the repository).");
                }

                return data;
            }
        }

        throw new DirectoryNotFoundException($"no folder containing Autopilot.sln above {AppContext.BaseDirectory}.");
    }

    private static List<IndexEntry> ReadIndex()
    {
        var entries = new List<IndexEntry>();
        foreach (var line in File.ReadAllLines(Path.Combine(Root, "INDEX.tsv")).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = line.Split('\t');
            entries.Add(new IndexEntry(cells[0].Trim(), cells[1].Trim(), cells[2].Trim(), cells[3].Trim(), cells.Length > 4 ? cells[4].Trim() : ""));
        }

        return entries;
    }
}

/// <summary>One INDEX.tsv row: file, format (json, jsonl(N lines), protobuf, invalid-json), signal, containers, notes.</summary>
internal sealed record IndexEntry(string File, string Format, string Signal, string Containers, string Notes)
{
    public bool IsOtlp => Signal is "traces" or "metrics" or "logs" && Format != "invalid-json";

    public bool IsInvalidCase => File.Contains("/invalid/", StringComparison.Ordinal);

    /// <summary>Resource containers: a plain number, or "top-level field1 xN" for protobuf files.</summary>
    public int ContainerCount
    {
        get
        {
            var text = Containers.Contains('x') ? Containers[(Containers.LastIndexOf('x') + 1)..] : Containers;
            return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
