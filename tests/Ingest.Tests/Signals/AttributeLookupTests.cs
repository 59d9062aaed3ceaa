using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Signals;

public sealed class AttributeLookupTests
{
    [Fact]
    public void Get_AnswersAsSignalAttributesGet_AcrossSharedAndSeparateKeyArrays()
    {
        string[] shape = ["http.route", "messaging.message.id", "server.port"];
        string[] otherShape = ["messaging.message.id", "http.route"];
        string[] without = ["http.route"];
        var lists = new[]
        {
            new SignalAttributes(shape, ["/a", "m-1", "80"]),
            new SignalAttributes(shape, ["/b", "m-2", "81"]), // same array: the remembered position
            new SignalAttributes(otherShape, ["m-3", "/c"]), // the key elsewhere
            new SignalAttributes(without, ["/d"]), // absent
            new SignalAttributes(shape, ["/e", "m-5", "82"]), // back to the first array
            // Same keys in an array of their own, the key text in another string instance.
            new SignalAttributes(["http.route", new string("messaging.message.id".AsSpan()), "server.port"], ["/f", "m-6", "83"]),
            SignalAttributes.Empty,
            new SignalAttributes(["messaging.message.id", "messaging.message.id"], ["first", "second"]), // the first, as Get
        };

        var lookup = new AttributeLookup("messaging.message.id");
        foreach (var attributes in lists)
        {
            Assert.Equal(attributes.Get("messaging.message.id"), lookup.Get(attributes));
        }

        Assert.Equal(["m-1", "m-2", "m-3", null, "m-5", "m-6", null, "first"], lists.Select(lookup.Get));
    }
}
