using Autopilot.Ingest.Wal;

namespace Autopilot.Ingest.Tests.Wal;

public sealed class WalOptionsTests
{
    [Fact]
    public void Validate_Defaults_WithDirectory_Passes()
    {
        var options = new WalOptions { Directory = "data/wal" };

        options.Validate();

        Assert.Equal(64L << 20, options.SegmentSizeBytes);
        Assert.Equal(1L << 30, options.MaxTotalBytes);
        Assert.True(options.FsyncEnabled);
    }

    [Theory]
    [InlineData("directory", "")]
    [InlineData("segmentSizeBytes", "segment=100")]
    [InlineData("maxTotalBytes", "total=100000")]
    [InlineData("retentionSegments", "retention=-1")]
    [InlineData("maxPendingBytes", "pending=10")]
    [InlineData("maxPendingBytes", "pending=2000000000")]
    public void Validate_BadValue_ThrowsNamingTheKey(string key, string setting)
    {
        var options = new WalOptions { Directory = setting.Length == 0 ? " " : "data/wal", SegmentSizeBytes = 64 * 1024 };
        var parts = setting.Split('=');
        switch (parts[0])
        {
            case "segment": options.SegmentSizeBytes = long.Parse(parts[1]); break;
            case "total": options.MaxTotalBytes = long.Parse(parts[1]); break;
            case "retention": options.RetentionSegments = int.Parse(parts[1]); break;
            case "pending": options.MaxPendingBytes = long.Parse(parts[1]); break;
        }

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("wal." + key, e.Message);
    }
}
