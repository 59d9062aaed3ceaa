using System.Globalization;
using System.Text;

namespace Autopilot.Engines.Tests.TestSupport;

/// <summary>
/// Writes files in the layout of NAB's published results (<c>&lt;results&gt;/&lt;d&gt;/&lt;d&gt;_&lt;profile&gt;_scores.csv</c>), from scores the
/// tests compute or choose: NAB's own files are not copied into the repository.
/// </summary>
internal static class NabPublishedCsv
{
    public static void Write(string resultsDirectory, string detector, double threshold, IEnumerable<(string File, double Score)> rows, double? totals = null, string profile = "standard")
    {
        var folder = Path.Combine(resultsDirectory, detector);
        Directory.CreateDirectory(folder);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder("Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count\n");
        var sum = 0.0;
        foreach (var (file, score) in rows)
        {
            text.Append(c, $"{detector},{profile},{file},{threshold.ToString("R", c)},{score.ToString("R", c)},0,0,0,0,0\n");
            sum += score;
        }

        text.Append(c, $"Totals,,,,{(totals ?? sum).ToString("R", c)},0,0,0,0,0\n");
        File.WriteAllText(Path.Combine(folder, $"{detector}_{profile}_scores.csv"), text.ToString());
    }
}
