using System.Globalization;

namespace Autopilot.Agents.Validate;

/// <summary>Durations as people write them in YAML and on the command line: <c>500ms</c>, <c>30s</c>, <c>2m</c>, or plain seconds.</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var (number, scale) = s.EndsWith("ms", StringComparison.Ordinal) ? (s[..^2], 0.001)
            : s.EndsWith('s') ? (s[..^1], 1.0)
            : s.EndsWith('m') ? (s[..^1], 60.0)
            : s.EndsWith('h') ? (s[..^1], 3600.0)
            : (s, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n) || n < 0 || n * scale > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(n * scale);
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalSeconds >= 1 && value.Milliseconds == 0
            ? value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
            : value.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";
}
