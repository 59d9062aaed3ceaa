using Autopilot.Engines.Logs;

namespace Autopilot.Engines.Tests.Logs;

public sealed class LogTemplateMinerTests
{
    [Fact]
    public void Process_SameShapeWithOtherValues_SameIdAndNotNew()
    {
        var miner = new LogTemplateMiner();
        var first = miner.Process("Accepted password for root from 10.0.0.1 port 22 ssh2");
        var second = miner.Process("Accepted password for root from 10.0.0.2 port 4711 ssh2");

        Assert.True(first.IsNew);
        Assert.False(second.IsNew);
        Assert.Equal(first.TemplateId, second.TemplateId);
        Assert.Equal("Accepted password for root from <*> port <*> ssh2", second.Template);
    }

    [Fact]
    public void Process_OneDifferentWord_KeepsTemplatesApart()
    {
        var miner = new LogTemplateMiner();
        var startup = miner.Process("cupsd startup succeeded");
        var shutdown = miner.Process("cupsd shutdown succeeded");

        Assert.True(shutdown.IsNew);
        Assert.NotEqual(startup.TemplateId, shutdown.TemplateId);
        Assert.Equal(startup.TemplateId, miner.Process("cupsd startup succeeded").TemplateId);
    }

    [Fact]
    public void Process_ManyDistinctWordsAtOnePosition_MergesIntoTheOldestId()
    {
        var miner = new LogTemplateMiner();
        var root = miner.Process("session opened for user root by (uid=0)");
        var news = miner.Process("session opened for user news by (uid=0)");
        var cyrus = miner.Process("session opened for user cyrus by (uid=0)");
        var test = miner.Process("session opened for user test by (uid=0)");

        Assert.NotEqual(root.TemplateId, news.TemplateId);
        Assert.Equal(root.TemplateId, cyrus.TemplateId);
        Assert.False(cyrus.IsNew);
        Assert.Equal(root.TemplateId, test.TemplateId);
        Assert.Equal(root.TemplateId, miner.ResolveId(news.TemplateId));
        Assert.Equal("session opened for user <*> by (uid=<*>)", test.Template);
        Assert.Equal(1, miner.TemplateCount);
    }

    [Fact]
    public void Process_LaterLines_KeepEarlierIds()
    {
        var miner = new LogTemplateMiner();
        var ids = new Dictionary<string, int>();
        string[] shapes = ["Link ok", "Link error", "Connection closed by 1.2.3.4 [preauth]", "generating core.1234"];
        foreach (var shape in shapes)
        {
            ids[shape] = miner.Process(shape).TemplateId;
        }

        for (var i = 0; i < 50; i++)
        {
            miner.Process($"Received disconnect from 10.0.0.{i}: 11: Bye Bye [preauth]");
        }

        foreach (var shape in shapes)
        {
            Assert.Equal(ids[shape], miner.Process(shape).TemplateId);
        }
    }

    [Fact]
    public void Process_MoreTemplatesThanTheCap_EvictsTheLeastRecentlyMatched()
    {
        var miner = new LogTemplateMiner(new LogTemplateMinerOptions { MaxTemplates = 2 });
        var a = miner.Process("alpha started").TemplateId;
        var b = miner.Process("beta service is down now").TemplateId;
        Assert.Equal(a, miner.Process("alpha started").TemplateId);

        var c = miner.Process("gamma three word").TemplateId;

        Assert.Equal(2, miner.TemplateCount);
        Assert.Equal(1, miner.EvictedCount);
        Assert.True(miner.TryGetTemplate(a, out _));
        Assert.False(miner.TryGetTemplate(b, out _));
        Assert.True(miner.TryGetTemplate(c, out _));
        var again = miner.Process("beta service is down now");
        Assert.True(again.IsNew);
        Assert.NotEqual(b, again.TemplateId);
    }

    [Fact]
    public void Process_LineWithMoreTokensThanTheCap_SharesTheTemplateOfItsPrefix()
    {
        var miner = new LogTemplateMiner(new LogTemplateMinerOptions { MaxTokensPerLine = 4 });
        var first = miner.Process("a b c d e f g");
        var second = miner.Process("a b c x y");

        Assert.Equal(first.TemplateId, second.TemplateId);
        Assert.Equal("a b c <*>", second.Template);
    }

    [Fact]
    public void Process_EmptyLine_HasATemplate()
    {
        var miner = new LogTemplateMiner();
        var first = miner.Process(string.Empty);
        Assert.Equal(first.TemplateId, miner.Process("   ").TemplateId);
        Assert.Equal(string.Empty, first.Template);
    }

    [Fact]
    public void Restore_Snapshot_AssignsTheSameIdsAsTheOriginal()
    {
        var (contents, _) = LogHubAccuracy.ReadStructured(TestSupport.SharedData.Path("loghub", "OpenSSH", "OpenSSH_2k.log_structured_corrected.csv"));
        var original = new LogTemplateMiner();
        for (var i = 0; i < 1000; i++)
        {
            original.Process(contents[i]);
        }

        var restored = LogTemplateMiner.Restore(original.Snapshot());

        Assert.Equal(original.TemplateCount, restored.TemplateCount);
        for (var i = 1000; i < contents.Count; i++)
        {
            var expected = original.Process(contents[i]);
            var actual = restored.Process(contents[i]);
            Assert.Equal(expected, actual);
        }

        Assert.Equal(original.Snapshot(), restored.Snapshot());
    }

    [Fact]
    public void Restore_Garbage_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => LogTemplateMiner.Restore([1, 2, 3]));
        var snapshot = new LogTemplateMiner().Snapshot();
        var miner = new LogTemplateMiner();
        miner.Process("a b c");
        var cut = miner.Snapshot()[..^2];
        Assert.Throws<InvalidDataException>(() => LogTemplateMiner.Restore(cut));
        Assert.Equal(0, LogTemplateMiner.Restore(snapshot).TemplateCount);
    }

    [Theory]
    [InlineData(nameof(LogTemplateMinerOptions.MaxTemplates))]
    [InlineData(nameof(LogTemplateMinerOptions.MaxTokensPerLine))]
    [InlineData(nameof(LogTemplateMinerOptions.SimilarityThreshold))]
    [InlineData(nameof(LogTemplateMinerOptions.MinDistinctWordsForVariable))]
    public void Validate_SettingOutOfRange_ThrowsNamingIt(string setting)
    {
        var options = new LogTemplateMinerOptions();
        typeof(LogTemplateMinerOptions).GetProperty(setting)!.SetValue(options, setting == nameof(LogTemplateMinerOptions.SimilarityThreshold) ? 1.5 : (object)0);

        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(setting, e.ParamName);
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        new LogTemplateMinerOptions().Validate();
    }
}
