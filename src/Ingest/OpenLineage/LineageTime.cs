namespace Autopilot.Ingest.OpenLineage;

/// <summary>
/// Reads RFC 3339 / ISO 8601 date-times as producers send them: <c>2020-12-28T19:51:01.641Z</c>,
/// <c>+10:00</c> offsets, up to nine fraction digits (Java sends nanoseconds), and, because the Python
/// client sends them, times without an offset, which are read as UTC.
/// </summary>
internal static class LineageTime
{
    private const long NanosPerTick = 100;

    public static bool TryParse(string s, out DateTimeOffset time, out long unixNano)
    {
        time = default;
        unixNano = 0;
        var span = s.AsSpan();
        if (span.Length < 19 || span[4] != '-' || span[7] != '-' || (span[10] != 'T' && span[10] != 't' && span[10] != ' ')
            || span[13] != ':' || span[16] != ':')
        {
            return false;
        }

        if (!TryDigits(span[..4], out var year) || !TryDigits(span.Slice(5, 2), out var month) || !TryDigits(span.Slice(8, 2), out var day)
            || !TryDigits(span.Slice(11, 2), out var hour) || !TryDigits(span.Slice(14, 2), out var minute)
            || !TryDigits(span.Slice(17, 2), out var second))
        {
            return false;
        }

        var pos = 19;
        long fractionNanos = 0;
        if (pos < span.Length && span[pos] == '.')
        {
            pos++;
            var start = pos;
            long scale = 100_000_000;
            while (pos < span.Length && char.IsAsciiDigit(span[pos]))
            {
                if (pos - start < 9)
                {
                    fractionNanos += (span[pos] - '0') * scale;
                    scale /= 10;
                }

                pos++;
            }

            if (pos == start)
            {
                return false;
            }
        }

        var offset = TimeSpan.Zero;
        if (pos < span.Length)
        {
            var c = span[pos];
            if ((c == 'Z' || c == 'z') && pos + 1 == span.Length)
            {
                pos++;
            }
            else if ((c == '+' || c == '-') && span.Length - pos == 6 && span[pos + 3] == ':'
                && TryDigits(span.Slice(pos + 1, 2), out var oh) && TryDigits(span.Slice(pos + 4, 2), out var om)
                && om < 60 && (oh < 14 || (oh == 14 && om == 0)))
            {
                offset = new TimeSpan(oh, om, 0);
                if (c == '-')
                {
                    offset = -offset;
                }

                pos += 6;
            }
            else
            {
                return false;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        // Nanoseconds since the epoch fit a long only between 1677 and 2262.
        var epochTicks = utcTicks - DateTime.UnixEpoch.Ticks;
        if (epochTicks is > long.MaxValue / NanosPerTick - 1 or < long.MinValue / NanosPerTick + 1)
        {
            return false;
        }

        unixNano = (epochTicks * NanosPerTick) + fractionNanos;
        time = new DateTimeOffset(local.AddTicks(fractionNanos / NanosPerTick), offset);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
