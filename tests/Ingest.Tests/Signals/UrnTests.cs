using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Signals;

public sealed class UrnTests
{
    [Fact]
    public void Create_Service_HasDesignShape()
    {
        Assert.Equal("urn:autopilot:service:prod:checkout", Urn.Create("service", "prod", "checkout"));
    }

    [Fact]
    public void Create_EmptyNamespace_UsesDefault()
    {
        Assert.Equal("urn:autopilot:service:default:checkout", Urn.Create("service", "", "checkout"));
    }

    [Theory]
    [InlineData("postgres://db:5432", "public.orders", "urn:autopilot:dataset:postgres%3A//db%3A5432:public.orders")]
    [InlineData("s3://bucket", "a b/ü", "urn:autopilot:dataset:s3%3A//bucket:a%20b/%C3%BC")]
    [InlineData("ns", "100%", "urn:autopilot:dataset:ns:100%25")]
    public void Create_PercentEncodesSeparatorsAndNonAscii(string ns, string name, string expected)
    {
        var urn = Urn.Create("dataset", ns, name);
        Assert.Equal(expected, urn);
        Assert.True(Urn.TryParse(urn, out var kind, out var parsedNs, out var parsedName));
        Assert.Equal(("dataset", ns, name), (kind, parsedNs, parsedName));
    }

    [Fact]
    public void Create_UnknownKind_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => Urn.Create("widget", "a", "b"));
        Assert.Contains("'widget'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("urn:other:service:a:b")]
    [InlineData("urn:autopilot:widget:a:b")]
    [InlineData("urn:autopilot:service:a")]
    [InlineData("urn:autopilot:service:a:b:c")]
    [InlineData("")]
    public void TryParse_Malformed_ReturnsFalse(string urn)
    {
        Assert.False(Urn.TryParse(urn, out _, out _, out _));
    }
}
