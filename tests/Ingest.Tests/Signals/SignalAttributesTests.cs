using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Signals;

public sealed class SignalAttributesTests
{
    [Fact]
    public void Default_IsTheEmptyList()
    {
        SignalAttributes none = default;
        var signal = default(Signal);

        Assert.Equal(0, none.Count);
        Assert.Null(none.Get("http.route"));
        Assert.Equal(SignalAttributes.Empty, none);
        Assert.True(none == SignalAttributes.Empty);
        Assert.Equal(0, signal.Attributes.Count);
        Assert.Null(new AttributeLookup("http.route").Get(signal.Attributes));
        Assert.True(signal.Attributes.SharesKeysWith(SignalAttributes.Empty));
        Assert.Throws<IndexOutOfRangeException>(() => none.KeyAt(0));
    }

    [Fact]
    public void Equality_IsTheSameList_NotTheSameTexts()
    {
        string[] keys = ["http.route", "server.port"];
        string[] values = ["/a", "80"];
        var list = new SignalAttributes(keys, values);
        var copy = list; // a copy of the value: the same list
        var sameTexts = new SignalAttributes(keys, ["/a", "80"]);
        var otherKeys = new SignalAttributes(["http.route", "server.port"], values);

        Assert.True(list == copy);
        Assert.Equal(list.GetHashCode(), copy.GetHashCode());
        Assert.False(list == sameTexts);
        Assert.True(list != otherKeys);
        Assert.False(list.Equals((object)sameTexts));
        Assert.True(list.SharesKeysWith(sameTexts));
        Assert.False(list.SharesKeysWith(otherKeys));

        // A signal's equality follows its list's.
        var signal = new Signal(SignalKind.Span, "urn:autopilot:service:prod:a", 1, TraceId.Empty, 1, null, "GET /a", 1, SignalStatus.Ok, 0, list);
        Assert.Equal(signal, signal with { Attributes = copy });
        Assert.NotEqual(signal, signal with { Attributes = sameTexts });
    }

    [Fact]
    public void Constructor_RefusesListsOfDifferentLengths()
    {
        Assert.Throws<ArgumentException>(() => new SignalAttributes(["a", "b"], ["1"]));
        Assert.Throws<ArgumentNullException>(() => new SignalAttributes(null!, []));
    }
}
