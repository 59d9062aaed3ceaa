using Autopilot.Engines.Drift;

namespace Autopilot.Engines.Tests.Drift;

/// <summary><see cref="UrnNames"/>: a short list that becomes a dictionary past a few names must keep every name's shapes.</summary>
public sealed class UrnNamesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(100)]
    public void GetOrAddFind_ManyNames_EachNameKeepsItsOwnShapes(int count)
    {
        var names = new UrnNames();
        var added = new List<NameShapes>();
        for (var i = 0; i < count; i++)
        {
            var shapes = names.GetOrAdd("metric." + i);
            Assert.Equal("metric." + i, shapes.Name);
            added.Add(shapes);
        }

        for (var i = 0; i < count; i++)
        {
            // A different string instance with the same text finds the same shapes.
            var name = string.Concat("metric.", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Same(added[i], names.Find(name));
            Assert.Same(added[i], names.GetOrAdd(name));
        }

        Assert.Null(names.Find("metric." + count));
        Assert.Null(names.Find("METRIC.0"));
    }
}
