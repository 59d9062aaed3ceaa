using System.Globalization;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// The query parameters the HTTP API and the CLI share (times, windows, counts), each parsed into its value or an error
/// that names the parameter and the text it was given; a caller answers 400 (or exit 2) with that message. Parameters
/// arrive as text rather than as bound integers: a value that does not bind would otherwise get an empty 400.
/// </summary>
public static class QueryParameters
{
    /// <summary>What is wrong with a value that is no time at all (it reads after the value).</summary>
    public const string NotATime = "is neither an RFC 3339 time (2026-11-22T10:00:00Z) nor Unix milliseconds";

    /// <summary>The latest Unix milliseconds whose nanoseconds fit a long (2262-04-11).</summary>
    public const long MaxUnixMilliseconds = long.MaxValue / 1_000_000;

    /// <summary>
    /// RFC 3339 (<c>2026-11-22T10:00:00Z</c>) or Unix milliseconds into Unix nanoseconds; null when absent. Times before
    /// 1970 or past what nanoseconds since then can hold (2262) are an error, never a wrapped-around value.
    /// </summary>
    public static bool TryTime(string? text, string name, out long? unixNano, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            unixNano = null;
            return true;
        }

        if (TryTime(text, out var value, out var problem))
        {
            unixNano = value;
            return true;
        }

        unixNano = null;
        error = $"{name} '{text}' {problem}";
        return false;
    }

    /// <summary>
    /// <paramref name="text"/> (not empty) as RFC 3339 or Unix milliseconds into Unix nanoseconds, or what is wrong with it
    /// (<paramref name="problem"/> reads after the value: "is neither …", "is out of range …").
    /// </summary>
    public static bool TryTime(string text, out long unixNano, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        unixNano = 0;
        problem = null;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
        {
            return TryMilliseconds(ms, out unixNano, out problem);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            if (time < DateTimeOffset.UnixEpoch || (time - DateTimeOffset.UnixEpoch).Ticks > long.MaxValue / 100)
            {
                problem = "is outside 1970-01-01 to 2262-04-11 (nanoseconds since 1970)";
                return false;
            }

            unixNano = (time - DateTimeOffset.UnixEpoch).Ticks * 100;
            return true;
        }

        problem = NotATime;
        return false;
    }

    /// <summary>Unix milliseconds into Unix nanoseconds when they fit (0 to <see cref="MaxUnixMilliseconds"/>).</summary>
    public static bool TryMilliseconds(long ms, out long unixNano, out string? problem)
    {
        if (ms is < 0 or > MaxUnixMilliseconds)
        {
            unixNano = 0;
            problem = string.Create(CultureInfo.InvariantCulture, $"is out of range for Unix milliseconds (0 to {MaxUnixMilliseconds})");
            return false;
        }

        unixNano = ms * 1_000_000;
        problem = null;
        return true;
    }

    /// <summary><c>from</c> and <c>to</c> as <see cref="TryTime(string?, string, out long?, out string?)"/> reads them, and <c>to</c> not before <c>from</c> when both are given.</summary>
    public static bool TryWindow(string? from, string? to, out long? fromUnixNano, out long? toUnixNano, out string? error)
    {
        toUnixNano = null;
        if (!TryTime(from, "from", out fromUnixNano, out error) || !TryTime(to, "to", out toUnixNano, out error))
        {
            return false;
        }

        if (fromUnixNano is { } f && toUnixNano is { } t && t < f)
        {
            error = $"to '{to}' is before from '{from}'";
            return false;
        }

        return true;
    }

    /// <summary>A list's <c>limit</c> when none is given (findings, incidents, assets, graph nodes).</summary>
    public const int DefaultLimit = 1000;

    /// <summary>The largest <c>limit</c> a list takes (a larger one is a 400, not silently cut).</summary>
    public const int MaxLimit = 10_000;

    /// <summary>A list's <c>limit</c>: 1 to <see cref="MaxLimit"/>, <see cref="DefaultLimit"/> when absent.</summary>
    public static bool TryLimit(string? text, out int limit, out string? error) =>
        TryInt(text, "limit", DefaultLimit, 1, MaxLimit, out limit, out error);

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="fallback"/> when absent.</summary>
    public static bool TryInt(string? text, string name, int fallback, int min, int max, out int value, out string? error)
    {
        error = null;
        value = fallback;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            value = fallback;
            error = string.Create(CultureInfo.InvariantCulture, $"{name} '{text}' must be an integer from {min} to {max}");
            return false;
        }

        return true;
    }
}
