namespace Autopilot.Simulator.Simulation;

/// <summary>The random draws of the simulation, all from one seeded <see cref="Random"/> so a seed replays exactly.</summary>
internal static class Distributions
{
    /// <summary>A standard normal value (Box–Muller; one of the pair is thrown away to keep the draw count per call fixed).</summary>
    public static double Normal(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal value with the given median and shape (σ of the log); latencies are log-normal.</summary>
    public static double LogNormal(this Random random, double median, double sigma) => median * Math.Exp(sigma * random.Normal());

    /// <summary>An exponential value with the given mean (Poisson inter-arrival times, queueing delays).</summary>
    public static double Exponential(this Random random, double mean) => -mean * Math.Log(1.0 - random.NextDouble());

    public static double Uniform(this Random random, double min, double max) => min + (random.NextDouble() * (max - min));

    /// <summary>A version 4 UUID from the seeded generator (OpenLineage run ids), as 8-4-4-4-12 hex.</summary>
    public static string Uuid(this Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
