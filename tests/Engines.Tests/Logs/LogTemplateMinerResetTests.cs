using Autopilot.Engines.Logs;
using Autopilot.Engines.Tests.TestSupport;

namespace Autopilot.Engines.Tests.Logs;

/// <summary>
/// A reset miner reuses the prefix-tree nodes and templates of what it forgot (the log engine resets an evicted
/// service's miner for the next service); it must then behave exactly as a new miner, line by line.
/// </summary>
public sealed class LogTemplateMinerResetTests
{
    [Fact]
    public void Reset_ThenEveryLogHubSystemInTurn_SameMatchesAsANewMiner()
    {
        var reused = new LogTemplateMiner(new LogTemplateMinerOptions { MaxTemplates = 40 });

        // Every system after another one's templates, then the first again: reused templates get other tokens of the
        // same count (their text must not be the old one), other counts, and at the end the same tokens again.
        string[] order = [.. LogHubAccuracy.Systems, LogHubAccuracy.Systems[0]];
        var compared = 0;
        foreach (var system in order)
        {
            var (contents, _) = LogHubAccuracy.ReadStructured(LogHubAccuracy.StructuredPath(SharedData.Path("loghub"), system));
            var fresh = new LogTemplateMiner(new LogTemplateMinerOptions { MaxTemplates = 40 });
            reused.Reset();
            var ids = new List<int>();
            for (var i = 0; i < contents.Count; i++)
            {
                var expected = fresh.Process(contents[i]);
                var actual = reused.Process(contents[i]);
                Assert.True(expected == actual, $"{system} line {i + 1}: {actual} instead of {expected}");
                ids.Add(expected.TemplateId);
                compared++;
            }

            Assert.Equal(fresh.TemplateCount, reused.TemplateCount);
            Assert.Equal(fresh.EvictedCount, reused.EvictedCount);
            foreach (var id in ids)
            {
                Assert.Equal(fresh.ResolveId(id), reused.ResolveId(id));
                Assert.Equal(fresh.TryGetTemplate(id, out var expected), reused.TryGetTemplate(id, out var actual));
                Assert.Equal(expected, actual);
            }

            Assert.Equal(fresh.Snapshot(), reused.Snapshot());
        }

        Assert.Equal(9 * 2000, compared);
    }
}
