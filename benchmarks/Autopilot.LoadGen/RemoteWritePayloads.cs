using Autopilot.Ingest.RemoteWrite.Prompb;
using Google.Protobuf;

namespace Autopilot.LoadGen;

/// <summary>
/// Prometheus remote-write 1.0 bodies (snappy block format over a prompb <c>WriteRequest</c>). Worker
/// <c>w</c> owns its own series (label <c>shard="w"</c>) and its k-th request carries samples at
/// timestamps after those of request k-1, so a real Prometheus, which refuses out-of-order samples,
/// accepts every request as long as each worker sends in order.
/// </summary>
internal static class RemoteWritePayloads
{
    private static readonly string[] s_names = ["http_server_request_duration_seconds_bucket", "process_cpu_seconds_total", "container_memory_working_set_bytes", "kafka_consumergroup_lag", "node_network_receive_bytes_total"];

    /// <summary>Bodies indexed [worker][sequence].</summary>
    public static byte[][][] Build(int workers, int requestsPerWorker, int seriesPerRequest, int samplesPerSeries, long startMs)
    {
        var result = new byte[workers][][];
        for (var w = 0; w < workers; w++)
        {
            var labels = SeriesLabels(w, seriesPerRequest);
            result[w] = new byte[requestsPerWorker][];
            for (var k = 0; k < requestsPerWorker; k++)
            {
                var request = new WriteRequest();
                for (var s = 0; s < seriesPerRequest; s++)
                {
                    var series = new TimeSeries();
                    series.Labels.Add(labels[s]);
                    for (var j = 0; j < samplesPerSeries; j++)
                    {
                        // One millisecond apart: 4 samples per request, strictly increasing per series.
                        var ts = startMs + ((long)k * samplesPerSeries) + j;
                        series.Samples.Add(new Sample { Timestamp = ts, Value = (k * samplesPerSeries) + j + (s * 0.5) });
                    }

                    request.Timeseries.Add(series);
                }

                result[w][k] = IronSnappy.Snappy.Encode(request.ToByteArray());
            }
        }

        return result;
    }

    private static Label[][] SeriesLabels(int worker, int count)
    {
        var labels = new Label[count][];
        for (var s = 0; s < count; s++)
        {
            // Labels sorted by name, as Prometheus sends them.
            labels[s] =
            [
                new Label { Name = "__name__", Value = s_names[s % s_names.Length] },
                new Label { Name = "instance", Value = $"10.0.{worker}.{(s / 25) + 2}:9100" },
                new Label { Name = "job", Value = "shop-" + (s % 5) },
                new Label { Name = "namespace", Value = "shop" },
                new Label { Name = "pod", Value = $"checkout-7d9f8c6b5-{s % 25:00}" },
                new Label { Name = "series", Value = s.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                new Label { Name = "shard", Value = worker.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ];
        }

        return labels;
    }
}
