using Autopilot.Ingest.Receivers;

namespace Autopilot.Ingest.Tests.Receivers;

public sealed class QueryParametersTests
{
    [Theory]
    [InlineData("1700000000000", 1_700_000_000_000_000_000L)]
    [InlineData("0", 0L)]
    [InlineData("2026-11-22T10:00:00Z", 1_795_341_600_000_000_000L)]
    [InlineData("2026-11-22T11:00:00+01:00", 1_795_341_600_000_000_000L)]
    [InlineData("2262-04-11T23:47:16Z", 9_223_372_036_000_000_000L)]
    public void TryTime_ReadsMillisecondsAndRfc3339(string text, long expected)
    {
        Assert.True(QueryParameters.TryTime(text, "from", out var unixNano, out var error), error);
        Assert.Equal(expected, unixNano);
    }

    [Fact]
    public void TryTime_TheLargestMillisecondsFit_OneMoreIsRefused()
    {
        var max = QueryParameters.MaxUnixMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(QueryParameters.TryTime(max, "to", out var last, out _));
        Assert.True(last > 0); // not wrapped around
        var over = (QueryParameters.MaxUnixMilliseconds + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(QueryParameters.TryTime(over, "to", out var none, out var error));
        Assert.Null(none);
        Assert.Equal($"to '{over}' is out of range for Unix milliseconds (0 to {QueryParameters.MaxUnixMilliseconds})", error);
    }

    [Theory]
    [InlineData("yesterday", "from 'yesterday' is neither an RFC 3339 time (2026-11-22T10:00:00Z) nor Unix milliseconds")]
    [InlineData("-1", "from '-1' is out of range for Unix milliseconds")]
    [InlineData("99999999999999999", "from '99999999999999999' is out of range for Unix milliseconds")]
    [InlineData("1969-12-31T23:59:59Z", "from '1969-12-31T23:59:59Z' is outside 1970-01-01 to 2262-04-11")]
    [InlineData("9999-01-01T00:00:00Z", "from '9999-01-01T00:00:00Z' is outside 1970-01-01 to 2262-04-11")]
    [InlineData("99999999999999999999999", "from '99999999999999999999999' is neither an RFC 3339 time")]
    public void TryTime_RefusesWhatIsNotATimeOrDoesNotFit_NamingIt(string text, string message)
    {
        Assert.False(QueryParameters.TryTime(text, "from", out var unixNano, out var error));
        Assert.Null(unixNano);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryTime_Absent_IsNull(string? text)
    {
        Assert.True(QueryParameters.TryTime(text, "from", out var unixNano, out var error));
        Assert.Null(unixNano);
        Assert.Null(error);
    }

    [Fact]
    public void TryWindow_ToBeforeFrom_IsRefused_EqualOrOneSided_Is_Fine()
    {
        Assert.False(QueryParameters.TryWindow("1700000600000", "1700000000000", out _, out _, out var error));
        Assert.Equal("to '1700000000000' is before from '1700000600000'", error);
        Assert.True(QueryParameters.TryWindow("1700000000000", "1700000000000", out var f, out var t, out error), error);
        Assert.Equal((1_700_000_000_000_000_000L, 1_700_000_000_000_000_000L), (f!.Value, t!.Value));
        Assert.True(QueryParameters.TryWindow(null, "1700000000000", out f, out t, out _));
        Assert.Null(f);
        Assert.False(QueryParameters.TryWindow("1700000000000", "soon", out _, out _, out error));
        Assert.StartsWith("to 'soon' is neither", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 1000)]
    [InlineData("", 1000)]
    [InlineData("1", 1)]
    [InlineData("10000", 10_000)]
    public void TryInt_InRangeOrAbsent(string? text, int expected)
    {
        Assert.True(QueryParameters.TryInt(text, "limit", 1000, 1, 10_000, out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("10001")]
    [InlineData("99999999999")]
    [InlineData("1.5")]
    [InlineData("ten")]
    public void TryInt_OutOfRangeOrNotAWholeNumber_IsRefusedNamingIt(string text)
    {
        Assert.False(QueryParameters.TryInt(text, "limit", 1000, 1, 10_000, out var value, out var error));
        Assert.Equal($"limit '{text}' must be an integer from 1 to 10000", error);
        Assert.Equal(1000, value);
    }
}
