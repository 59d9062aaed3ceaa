using Autopilot.Ingest.RemoteWrite.Prompb;
using Google.Protobuf;
using IronSnappy;

namespace Autopilot.Ingest.Tests.RemoteWrite;

internal static class RemoteWritePayloads
{
    public static TimeSeries Series(params (string Name, string Value)[] labels)
    {
        var series = new TimeSeries();
        foreach (var (name, value) in labels)
        {
            series.Labels.Add(new Label { Name = name, Value = value });
        }

        return series;
    }

    public static byte[] Compress(WriteRequest request) => Snappy.Encode(request.ToByteArray());

    public static byte[] Compress(params TimeSeries[] series)
    {
        var request = new WriteRequest();
        request.Timeseries.Add(series);
        return Compress(request);
    }
}
