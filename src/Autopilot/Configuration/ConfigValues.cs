using System.Globalization;
using System.Net;
using System.Text;

namespace Autopilot.Host.Configuration;

/// <summary>Reading and writing single values: numbers in invariant culture, durations (<c>10s</c>, <c>5m</c>, <c>1h30m</c>), byte sizes (<c>64MiB</c>), enum names.</summary>
internal static class ConfigValues
{
    private static readonly (string Unit, long Ticks)[] s_durationUnits =
    [
        ("d", TimeSpan.TicksPerDay), ("h", TimeSpan.TicksPerHour), ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond), ("ms", TimeSpan.TicksPerMillisecond),
    ];

    private static readonly (string Unit, long Bytes)[] s_byteUnits =
    [
        ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1),
    ];

    /// <summary>
    /// Converts <paramref name="text"/> to <paramref name="type"/>; on failure returns false and what was expected.
    /// With <paramref name="bytes"/> the value is a byte size and unit suffixes such as <c>MiB</c> are allowed.
    /// </summary>
    public static bool TryParse(string text, Type type, bool bytes, out object? value, out string expected)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        expected = Expected(target, bytes);
        value = null;
        var t = text.Trim();
        if (target == typeof(string))
        {
            value = text;
            return true;
        }

        if (target == typeof(bool))
        {
            if (bool.TryParse(t, out var b))
            {
                value = b;
                return true;
            }

            return false;
        }

        if (target == typeof(int) || target == typeof(long))
        {
            if (!TryParseInteger(t, bytes, out var l))
            {
                return false;
            }

            if (target == typeof(int))
            {
                if (l is < int.MinValue or > int.MaxValue)
                {
                    expected = $"an integer between {int.MinValue} and {int.MaxValue}";
                    return false;
                }

                value = (int)l;
                return true;
            }

            value = l;
            return true;
        }

        if (target == typeof(double))
        {
            if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                value = d;
                return true;
            }

            return false;
        }

        if (target == typeof(TimeSpan))
        {
            if (TryParseDuration(t, out var ts))
            {
                value = ts;
                return true;
            }

            return false;
        }

        if (target == typeof(IPAddress))
        {
            if (IPAddress.TryParse(t, out var ip))
            {
                value = ip;
                return true;
            }

            return false;
        }

        if (target == typeof(Uri))
        {
            if (Uri.TryCreate(t, UriKind.Absolute, out var uri))
            {
                value = uri;
                return true;
            }

            return false;
        }

        if (target.IsEnum)
        {
            var wanted = ConfigKeys.Normalize(t);
            foreach (var name in Enum.GetNames(target))
            {
                if (ConfigKeys.Normalize(name) == wanted)
                {
                    value = Enum.Parse(target, name);
                    return true;
                }
            }

            return false;
        }

        return false;
    }

    /// <summary>How a value of <paramref name="value"/>'s type is written in a file.</summary>
    public static string Format(object value, bool bytes) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        int i => bytes ? FormatBytes(i) : i.ToString(CultureInfo.InvariantCulture),
        long l => bytes ? FormatBytes(l) : l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        TimeSpan ts => FormatDuration(ts),
        Enum e => ConfigKeys.CamelCase(e.ToString()),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>What a value of <paramref name="type"/> looks like, for messages.</summary>
    public static string Expected(Type type, bool bytes)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return bytes ? "a size in bytes such as 1048576, 64MiB or 1GiB" : "an integer";
        }

        if (type == typeof(double))
        {
            return "a number";
        }

        if (type == typeof(TimeSpan))
        {
            return "a duration such as 250ms, 10s, 5m, 1h30m or 2d";
        }

        if (type == typeof(IPAddress))
        {
            return "an IP address such as 127.0.0.1 or 0.0.0.0";
        }

        if (type == typeof(Uri))
        {
            return "an absolute URL such as http://127.0.0.1:4317";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(ConfigKeys.CamelCase));
        }

        return "text";
    }

    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Length == 0)
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
        }

        var negative = text[0] == '-';
        var rest = negative ? text.AsSpan(1) : text.AsSpan();
        decimal ticks = 0;
        while (rest.Length > 0)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            var letters = digits;
            while (letters < rest.Length && char.IsAsciiLetter(rest[letters]))
            {
                letters++;
            }

            if (digits == 0 || letters == digits
                || !decimal.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unit = rest[digits..letters];
            var found = false;
            foreach (var (name, perUnit) in s_durationUnits)
            {
                if (unit.SequenceEqual(name))
                {
                    ticks += number * perUnit;
                    found = true;
                    break;
                }
            }

            if (!found || ticks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }

            rest = rest[letters..];
        }

        value = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }

    public static string FormatDuration(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value.Ticks % TimeSpan.TicksPerMillisecond != 0 || value < TimeSpan.Zero)
        {
            return value.ToString("c", CultureInfo.InvariantCulture);
        }

        var sb = new StringBuilder();
        var ticks = value.Ticks;
        foreach (var (unit, perUnit) in s_durationUnits)
        {
            if (ticks >= perUnit)
            {
                sb.Append((ticks / perUnit).ToString(CultureInfo.InvariantCulture)).Append(unit);
                ticks %= perUnit;
            }
        }

        return sb.ToString();
    }

    private static bool TryParseInteger(string text, bool bytes, out long value)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        if (!bytes)
        {
            return false;
        }

        foreach (var (unit, perUnit) in s_byteUnits)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && decimal.TryParse(text.AsSpan(0, text.Length - unit.Length).Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                && number * perUnit <= long.MaxValue && decimal.Truncate(number * perUnit) == number * perUnit)
            {
                value = (long)(number * perUnit);
                return true;
            }
        }

        return false;
    }

    private static string FormatBytes(long value)
    {
        foreach (var (unit, perUnit) in s_byteUnits.Take(3))
        {
            if (value != 0 && value % perUnit == 0)
            {
                return (value / perUnit).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }
}
