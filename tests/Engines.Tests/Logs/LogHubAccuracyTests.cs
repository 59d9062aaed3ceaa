using Autopilot.Engines.Logs;
using Autopilot.Engines.Tests.TestSupport;

namespace Autopilot.Engines.Tests.Logs;

/// <summary>Floors are the accuracies measured with the default options (benchmarks/RESULTS.md) minus 0.005.</summary>
public sealed class LogHubAccuracyTests
{
    [Theory]
    [InlineData("HDFS", 0.9975)]
    [InlineData("Spark", 0.9255)]
    [InlineData("BGL", 0.9940)]
    [InlineData("HPC", 0.9055)]
    [InlineData("Linux", 0.8140)]
    [InlineData("OpenSSH", 0.9985)]
    [InlineData("Apache", 1.0000)]
    [InlineData("Mac", 0.8520)]
    public void RunSystem_DefaultOptions_KeepsTheMeasuredGroupingAccuracy(string system, double measured)
    {
        var result = LogHubAccuracy.RunSystem(SharedData.Path("loghub"), system);

        Assert.Equal(2000, result.Lines);
        Assert.True(result.GroupingAccuracy >= measured - 0.005, $"{system}: GA {result.GroupingAccuracy:F4} fell below {measured - 0.005:F4}");
    }

    [Fact]
    public void Run_AllSystems_MeanAboveNinetyThree()
    {
        var results = LogHubAccuracy.Run(SharedData.Path("loghub"));

        Assert.Equal(LogHubAccuracy.Systems.Count, results.Count);
        Assert.True(results.Average(r => r.GroupingAccuracy) > 0.93);
    }
}
