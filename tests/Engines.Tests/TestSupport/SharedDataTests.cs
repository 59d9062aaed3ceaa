namespace Autopilot.Engines.Tests.TestSupport;

public sealed class SharedDataTests
{
    [Fact]
    public void Path_FindsTheSharedDataBesideTheRepository()
    {
        Assert.True(Directory.Exists(SharedData.Path("nab", "data")), "../shared/data/nab/data is missing");
        Assert.True(Directory.Exists(SharedData.Path("loghub")), "../shared/data/loghub is missing");
    }
}
