using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Autopilot.Agents.Validate;

/// <summary>
/// Produces traffic.yaml's Kafka messages with Confluent.Kafka (librdkafka), each with a W3C <c>traceparent</c> of
/// the validator's own unless the file says otherwise, and waits (bounded by the section's timeout) until the
/// broker has acknowledged or refused every one. An unreachable broker is a failed delivery naming the
/// bootstrap servers, never a hang.
/// </summary>
internal static class KafkaSender
{
    // Past the per-message timeout librdkafka reports every message; this margin only covers its own bookkeeping.
    private static readonly TimeSpan FlushMargin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FlushStep = TimeSpan.FromMilliseconds(200);

    public static async Task<KafkaResult> SendAsync(KafkaTraffic traffic, Func<string, string> expand, CancellationToken cancellationToken)
    {
        var bootstrap = expand(traffic.BootstrapServers);
        var total = traffic.Count;
        if (bootstrap.Contains("${", StringComparison.Ordinal))
        {
            return new KafkaResult(bootstrap, 0, [], [$"kafka.bootstrapServers '{bootstrap}' names a variable the service's environment does not set (pass it with --env)"]);
        }

        if (KafkaNative.TryLoad() is { } notLoaded)
        {
            return new KafkaResult(bootstrap, 0, [], [notLoaded]);
        }

        var timeoutMs = (int)Math.Ceiling(traffic.Timeout.TotalMilliseconds);
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            ClientId = "autopilot-validate",
            MessageTimeoutMs = timeoutMs,
            RequestTimeoutMs = Math.Min(timeoutMs, 30_000),
            LingerMs = 5,
        };
        config.Set("socket.connection.setup.timeout.ms", Math.Max(1000, Math.Min(timeoutMs, 10_000)).ToString(CultureInfo.InvariantCulture));

        var delivered = new ConcurrentQueue<KafkaDelivery>();
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        string? lastBrokerError = null;
        IProducer<string?, string?> producer;
        try
        {
            producer = new ProducerBuilder<string?, string?>(config)
                .SetErrorHandler((_, e) => Volatile.Write(ref lastBrokerError, e.Reason))
                .SetLogHandler((_, m) =>
                {
                    // librdkafka would print to stderr; keep the last complaint for the report instead.
                    if (m.Level <= SyslogLevel.Warning)
                    {
                        Volatile.Write(ref lastBrokerError, m.Message);
                    }
                })
                .Build();
        }
        catch (Exception e) when (e is KafkaException or ArgumentException or InvalidOperationException)
        {
            return new KafkaResult(bootstrap, 0, [], [$"could not create a producer for bootstrap servers {bootstrap}: {e.Message}"]);
        }

        var sent = 0;
        using (producer)
        {
            foreach (var message in traffic.Messages)
            {
                var topic = expand(message.Topic);
                var key = message.Key is null ? null : expand(message.Key);
                var value = message.Value is null ? null : expand(message.Value);
                var own = traffic.Traceparent && !message.Headers.Keys.Any(h => string.Equals(h, "traceparent", StringComparison.OrdinalIgnoreCase));
                for (var i = 0; i < message.Repeat; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var headers = new Headers();
                    foreach (var (name, text) in message.Headers)
                    {
                        headers.Add(name, Encoding.UTF8.GetBytes(expand(text)));
                    }

                    string? traceId = null, spanId = null;
                    if (own)
                    {
                        traceId = ActivityTraceId.CreateRandom().ToHexString();
                        spanId = ActivitySpanId.CreateRandom().ToHexString();
                        headers.Add("traceparent", Encoding.ASCII.GetBytes($"00-{traceId}-{spanId}-01"));
                    }

                    sent++;
                    try
                    {
                        producer.Produce(topic, new Message<string?, string?> { Key = key, Value = value, Headers = headers }, report =>
                        {
                            if (report.Error.IsError)
                            {
                                failures.AddOrUpdate($"{report.Topic}: {report.Error.Reason}", 1, static (_, n) => n + 1);
                            }
                            else
                            {
                                delivered.Enqueue(new KafkaDelivery(report.Topic, report.Partition.Value, report.Offset.Value, traceId, spanId));
                            }
                        });
                    }
                    catch (Exception e) when (e is KafkaException or ArgumentException)
                    {
                        failures.AddOrUpdate($"{topic}: {e.Message}", 1, static (_, n) => n + 1);
                    }
                }
            }

            // Flush in steps so a cancelled run stops waiting; the deadline bounds an unreachable broker.
            var deadline = Stopwatch.StartNew();
            var left = await Task.Run(() =>
            {
                var queued = producer.Flush(TimeSpan.Zero);
                while (queued > 0 && deadline.Elapsed < traffic.Timeout + FlushMargin && !cancellationToken.IsCancellationRequested)
                {
                    queued = producer.Flush(FlushStep);
                }

                return queued;
            }, CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (left > 0)
            {
                failures.AddOrUpdate($"{left} message(s) still queued after {DurationText.Format(traffic.Timeout + FlushMargin)}", left, static (_, n) => n);
            }
        }

        var list = failures.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} ({f.Value} of {total})"))
            .ToList();
        if (list.Count > 0 && Volatile.Read(ref lastBrokerError) is { } broker)
        {
            list.Add($"last broker error: {broker}");
        }

        return new KafkaResult(bootstrap, sent, [.. delivered], list);
    }
}
