using System.Text;
using Autopilot.Ingest.Wal;

namespace Autopilot.Ingest.Tests.Wal;

public sealed class Crc32CTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("123456789", 0xE3069283u)] // the CRC-32C check value (RFC 3720)
    public void Compute_KnownVectors_Match(string input, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(input)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(10000)]
    [InlineData(3071)]
    [InlineData(3072)]
    [InlineData(3073)]
    [InlineData(6144 + 9)]
    [InlineData(800_000)]
    public void Append_HardwarePath_MatchesTable(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);

        Assert.Equal(Crc32C.AppendSoftware(~0u, data), Crc32C.Append(~0u, data));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(~0u)]
    [InlineData(0x12345678u)]
    public void Append_LongInputFromAnyRunningCrc_MatchesTable(uint running)
    {
        // The three-lane loop joins its lanes' CRCs: from any running CRC, and for inputs of all zeros or all ones (where a
        // wrong join of zero lanes would hide), the answer must be the byte-at-a-time table's.
        foreach (var fill in new byte[] { 0x00, 0xFF, 0xA5 })
        {
            var data = new byte[3 * 1024 * 2];
            Array.Fill(data, fill);
            data[1500] ^= 1;

            Assert.Equal(Crc32C.AppendSoftware(running, data), Crc32C.Append(running, data));
        }
    }

    [Fact]
    public void Append_InPieces_EqualsWhole()
    {
        var data = Encoding.ASCII.GetBytes("123456789");

        Assert.Equal(0xE3069283u, ~Crc32C.Append(Crc32C.Append(~0u, data.AsSpan(0, 4)), data.AsSpan(4)));
    }
}
