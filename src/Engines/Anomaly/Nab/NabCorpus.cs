using System.Globalization;
using System.Text.Json;

namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>Reads NAB's layout: <c>&lt;data&gt;/&lt;category&gt;/&lt;name&gt;.csv</c>, <c>windows.json</c> and <c>profiles.json</c>.</summary>
public static class NabCorpus
{
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss"];

    /// <summary>
    /// Loads every <c>*.csv</c> one level below <paramref name="dataDirectory"/>, sorted by name, with the
    /// windows <paramref name="windows"/> gives for it (none when the file is not listed).
    /// </summary>
    public static IReadOnlyList<NabSeries> LoadSeries(string dataDirectory, IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> windows)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(windows);
        var names = ListDataFiles(dataDirectory);
        var result = new List<NabSeries>(names.Count);
        foreach (var name in names)
        {
            result.Add(ReadSeries(Path.Combine(dataDirectory, name), name, windows.TryGetValue(name, out var w) ? w : []));
        }

        return result;
    }

    /// <summary><see cref="ListFiles"/> of a data folder that must exist and hold at least one file.</summary>
    /// <exception cref="NabFormatException">The folder does not exist or holds no <c>&lt;category&gt;/&lt;name&gt;.csv</c>.</exception>
    public static IReadOnlyList<string> ListDataFiles(string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        if (!Directory.Exists(dataDirectory))
        {
            throw new NabFormatException($"data folder '{dataDirectory}' does not exist; pass the NAB 'data' folder holding <category>/<name>.csv");
        }

        var names = ListFiles(dataDirectory);
        if (names.Count == 0)
        {
            throw new NabFormatException($"data folder '{dataDirectory}' holds no <category>/<name>.csv file");
        }

        return names;
    }

    /// <summary>Relative names (<c>category/name.csv</c>, forward slashes) of the data files, sorted ordinally.</summary>
    public static IReadOnlyList<string> ListFiles(string dataDirectory)
    {
        var names = new List<string>();
        foreach (var category in Directory.EnumerateDirectories(dataDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(category, "*.csv"))
            {
                names.Add(Path.GetFileName(category) + "/" + Path.GetFileName(file));
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Reads a <c>timestamp,value</c> file (further columns are ignored). Rows keep file order even when a
    /// timestamp steps back (NAB's machine_temperature file does): the file order is the stream order.
    /// </summary>
    public static NabSeries ReadSeries(string path, string name, IReadOnlyList<NabWindow> windows)
    {
        var timestamps = new List<DateTime>();
        var values = new List<double>();
        ReadCsv(path, "value", timestamps, values);
        return new NabSeries(name, timestamps, values, windows);
    }

    /// <summary>Reads the <paramref name="column"/> column of a CSV with a <c>timestamp</c> column (e.g. a detector's <c>anomaly_score</c>).</summary>
    public static (IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double> Values) ReadColumn(string path, string column)
    {
        var timestamps = new List<DateTime>();
        var values = new List<double>();
        ReadCsv(path, column, timestamps, values);
        return (timestamps, values);
    }

    /// <summary>Reads <c>windows.json</c>: <c>{ "category/name.csv": [[start, end], ...] }</c>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> LoadWindows(string path)
    {
        using var doc = ParseJson(path);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new NabFormatException($"{path}: expected an object mapping file names to window lists");
        }

        var result = new Dictionary<string, IReadOnlyList<NabWindow>>(StringComparer.Ordinal);
        foreach (var file in doc.RootElement.EnumerateObject())
        {
            if (file.Value.ValueKind != JsonValueKind.Array)
            {
                throw new NabFormatException($"{path}: '{file.Name}' must map to a list of [start, end] pairs");
            }

            var list = new List<NabWindow>();
            foreach (var pair in file.Value.EnumerateArray())
            {
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                    || pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String
                    || !TryParseTime(pair[0].GetString()!, out var start) || !TryParseTime(pair[1].GetString()!, out var end))
                {
                    throw new NabFormatException($"{path}: '{file.Name}' has a window that is not [\"yyyy-MM-dd HH:mm:ss\", \"yyyy-MM-dd HH:mm:ss\"]");
                }

                list.Add(new NabWindow(start, end));
            }

            result[file.Name] = list;
        }

        return result;
    }

    /// <summary>Reads <c>profiles.json</c>: <c>{ "standard": { "CostMatrix": { "tpWeight": 1, "fpWeight": 0.11, "fnWeight": 1 } }, ... }</c>.</summary>
    public static IReadOnlyList<NabProfile> LoadProfiles(string path)
    {
        using var doc = ParseJson(path);
        var result = new List<NabProfile>();
        try
        {
            foreach (var profile in doc.RootElement.EnumerateObject())
            {
                var costs = profile.Value.GetProperty("CostMatrix");
                result.Add(new NabProfile(
                    profile.Name,
                    costs.GetProperty("tpWeight").GetDouble(),
                    costs.GetProperty("fpWeight").GetDouble(),
                    costs.GetProperty("fnWeight").GetDouble()));
            }
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new NabFormatException($"{path}: each profile needs CostMatrix.tpWeight, fpWeight and fnWeight as numbers ({e.Message})", e);
        }

        return result;
    }

    internal static bool TryParseTime(string text, out DateTime time) =>
        DateTime.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time);

    /// <summary>Parses a JSON file; a missing file or invalid JSON is a <see cref="NabFormatException"/> naming it.</summary>
    internal static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NabFormatException($"{path} does not exist", e);
        }
        catch (JsonException e)
        {
            throw new NabFormatException($"{path}: not valid JSON ({e.Message})", e);
        }
    }

    private static void ReadCsv(string path, string column, List<DateTime> timestamps, List<double> values)
    {
        using var reader = OpenText(path);
        var header = reader.ReadLine() ?? throw new NabFormatException($"{path}: empty file, expected a header 'timestamp,{column}'");
        var names = header.Split(',');
        var timeColumn = Array.IndexOf(names, "timestamp");
        var valueColumn = Array.IndexOf(names, column);
        if (timeColumn < 0 || valueColumn < 0)
        {
            throw new NabFormatException($"{path}: header '{header}' lacks 'timestamp' or '{column}'");
        }

        var line = 1;
        for (var text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var fields = text.Split(',');
            if (fields.Length != names.Length
                || !TryParseTime(fields[timeColumn], out var time)
                || !double.TryParse(fields[valueColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !double.IsFinite(value))
            {
                throw new NabFormatException($"{path}:{line}: malformed row '{Truncate(text)}', expected '<yyyy-MM-dd HH:mm:ss>,<number>'");
            }

            timestamps.Add(time);
            values.Add(value);
        }
    }

    /// <summary>A reader of <paramref name="path"/>; a missing file or folder is a <see cref="NabFormatException"/> naming it.</summary>
    internal static StreamReader OpenText(string path)
    {
        try
        {
            return new StreamReader(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NabFormatException($"{path} does not exist", e);
        }
    }

    /// <summary>At most 60 characters of a malformed row, for an error message.</summary>
    internal static string Truncate(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 60), "...");
}
