using System.Globalization;
using System.Text;
using Autopilot.Ingest.Otlp.Wire;

namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>
/// <see cref="AttributeKey.Value"/> judges from a sample of a key's values whether they repeat: keys whose values never
/// repeat stop going through the value table, and go back to it once their values repeat again; either way the string is
/// the value's text.
/// </summary>
public sealed class AttributeKeyTests
{
    [Fact]
    public void Value_UniqueValuesThenRepeatingOnes_RarelyRepeatsTurnsOnThenOff()
    {
        var table = new AttributeKeyTable(64, 128);
        var key = table.Get("app.request.id"u8);
        var values = new Utf8Interner(1024, 128);
        var sampler = 0x9E3779B9u;
        Assert.False(key.RarelyRepeats);

        for (var i = 0; i < 8 * 256 * 2 && !key.RarelyRepeats; i++)
        {
            var text = "req-" + i.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(text, key.Value(values, Encoding.UTF8.GetBytes(text), ref sampler));
        }

        Assert.True(key.RarelyRepeats);

        // A value decoded directly is a string of its own; one from the table is the table's.
        var first = key.Value(values, "tenant-1"u8, ref sampler);
        Assert.Equal("tenant-1", first);
        for (var i = 0; i < 32 * 256 * 2 && key.RarelyRepeats; i++)
        {
            Assert.Equal("tenant-" + (i % 5).ToString(CultureInfo.InvariantCulture), key.Value(values, Encoding.UTF8.GetBytes("tenant-" + (i % 5).ToString(CultureInfo.InvariantCulture)), ref sampler));
        }

        Assert.False(key.RarelyRepeats);
        Assert.Same(key.Value(values, "tenant-3"u8, ref sampler), key.Value(values, "tenant-3"u8, ref sampler));
    }

    [Fact]
    public void Value_RepeatingValues_StayInTheTable()
    {
        var key = new AttributeKeyTable(64, 128).Get("http.request.method"u8);
        var values = new Utf8Interner(1024, 128);
        var sampler = 12345u;
        string[] methods = ["GET", "POST", "PUT", "DELETE"];
        for (var i = 0; i < 20_000; i++)
        {
            key.Value(values, Encoding.UTF8.GetBytes(methods[i % 4]), ref sampler);
        }

        Assert.False(key.RarelyRepeats);
        Assert.Same(key.Value(values, "GET"u8, ref sampler), key.Value(values, "GET"u8, ref sampler));
    }
}
