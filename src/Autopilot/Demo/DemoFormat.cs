using System.Globalization;
using System.Text.RegularExpressions;
using Autopilot.Simulator.Faults;

namespace Autopilot.Host.Demo;

/// <summary>How the demo writes and reads times, counts and faults.</summary>
internal static partial class DemoFormat
{
    /// <summary>Reads <c>90s</c>, <c>2m</c>, <c>1m30s</c>, <c>1h</c>, <c>500ms</c> or <c>hh:mm:ss</c>.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        }

        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        value = TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s")) + TimeSpan.FromMilliseconds(Part("ms"));
        return true;
    }

    /// <summary>A duration for people: <c>2m</c>, <c>1m30s</c>, <c>45s</c>, <c>1h50m</c>.</summary>
    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0}ms");
        }

        var parts = new List<string>(3);
        if (value.Hours + (value.Days * 24) > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Hours + (value.Days * 24)}h"));
        }

        if (value.Minutes > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Minutes}m"));
        }

        if (value.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Seconds}s"));
        }

        return string.Concat(parts);
    }

    /// <summary>Elapsed time as <c>m:ss</c> (or <c>h:mm:ss</c>).</summary>
    public static string Clock(TimeSpan value) => value.TotalHours >= 1
        ? value.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : value.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>A share in [0, 1] as a whole percentage: <c>0.713</c> → <c>71%</c>.</summary>
    public static string Percent(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{ratio * 100:0}%");

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Fault(DemoFaultRequest fault) =>
        FaultKinds.Name(fault.Kind) + (fault.Target is null ? string.Empty : ":" + fault.Target);

    /// <summary>The short name of an asset: the last part of its URN (<c>urn:autopilot:service:demo:payment</c> → <c>payment</c>).</summary>
    public static string Short(string urn)
    {
        var colon = urn.LastIndexOf(':');
        return colon < 0 || colon == urn.Length - 1 ? urn : Uri.UnescapeDataString(urn[(colon + 1)..]);
    }

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m(?!s))?(?:(?<s>\d+(?:\.\d+)?)s)?(?:(?<ms>\d+)ms)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
