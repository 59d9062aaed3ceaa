namespace Autopilot.Engines.Logs;

/// <summary>
/// Runs the miner over the LogHub-2k ground truth (<c>&lt;Sys&gt;/&lt;Sys&gt;_2k.log_structured_corrected.csv</c>):
/// the <c>Content</c> column is the input, <c>EventId</c> the true group.
/// </summary>
public static class LogHubAccuracy
{
    /// <summary>The eight systems of the LogHub-2k subset.</summary>
    public static IReadOnlyList<string> Systems { get; } = ["HDFS", "Spark", "BGL", "HPC", "Linux", "OpenSSH", "Apache", "Mac"];

    /// <summary>Grouping Accuracy of Drain as published for these files (loghub-2.0, per-system tuning).</summary>
    public static IReadOnlyDictionary<string, double> PublishedDrain { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["HDFS"] = 0.998,
        ["Spark"] = 0.922,
        ["BGL"] = 0.963,
        ["HPC"] = 0.887,
        ["Linux"] = 0.690,
        ["OpenSSH"] = 0.789,
        ["Apache"] = 1.000,
        ["Mac"] = 0.786,
    };

    /// <summary>Runs one fresh miner per system found under <paramref name="loghubDirectory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">A system's folder is missing.</exception>
    public static IReadOnlyList<LogHubSystemResult> Run(string loghubDirectory, LogTemplateMinerOptions? options = null)
    {
        var results = new List<LogHubSystemResult>(Systems.Count);
        foreach (var system in Systems)
        {
            results.Add(RunSystem(loghubDirectory, system, options));
        }

        return results;
    }

    /// <summary>Runs one fresh miner over one system.</summary>
    public static LogHubSystemResult RunSystem(string loghubDirectory, string system, LogTemplateMinerOptions? options = null)
    {
        var (contents, eventIds) = ReadStructured(StructuredPath(loghubDirectory, system));
        var miner = new LogTemplateMiner(options);
        var predicted = new int[contents.Count];
        for (var i = 0; i < contents.Count; i++)
        {
            predicted[i] = miner.Process(contents[i]).TemplateId;
        }

        var atArrival = GroupingAccuracy.Compute(predicted, eventIds);
        for (var i = 0; i < predicted.Length; i++)
        {
            predicted[i] = miner.ResolveId(predicted[i]);
        }

        var trueTemplates = new HashSet<string>(eventIds, StringComparer.Ordinal).Count;
        var minedTemplates = new HashSet<int>(predicted).Count;
        return new LogHubSystemResult(system, contents.Count, trueTemplates, minedTemplates, GroupingAccuracy.Compute(predicted, eventIds), atArrival);
    }

    /// <summary>Path of a system's structured ground-truth file.</summary>
    public static string StructuredPath(string loghubDirectory, string system) =>
        Path.Combine(loghubDirectory, system, $"{system}_2k.log_structured_corrected.csv");

    /// <summary>Reads the <c>Content</c> and <c>EventId</c> columns of a structured ground-truth file.</summary>
    /// <exception cref="InvalidDataException">The header lacks either column or a row is short.</exception>
    public static (IReadOnlyList<string> Contents, IReadOnlyList<string> EventIds) ReadStructured(string path)
    {
        using var reader = new StreamReader(path);
        var contents = new List<string>();
        var eventIds = new List<string>();
        int contentColumn = -1, eventColumn = -1;
        foreach (var record in CsvRecordReader.Read(reader))
        {
            if (contentColumn < 0)
            {
                contentColumn = record.IndexOf("Content");
                eventColumn = record.IndexOf("EventId");
                if (contentColumn < 0 || eventColumn < 0)
                {
                    throw new InvalidDataException($"{path}: the header needs Content and EventId columns.");
                }

                continue;
            }

            if (record.Count <= Math.Max(contentColumn, eventColumn))
            {
                throw new InvalidDataException($"{path}: row {contents.Count + 1} has {record.Count} fields.");
            }

            contents.Add(record[contentColumn]);
            eventIds.Add(record[eventColumn]);
        }

        return (contents, eventIds);
    }
}
