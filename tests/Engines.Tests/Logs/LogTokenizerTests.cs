using System.Text;
using Autopilot.Engines.Logs;

namespace Autopilot.Engines.Tests.Logs;

public sealed class LogTokenizerTests
{
    [Theory]
    [InlineData("12345", "<*>")]
    [InlineData("10.250.11.85:38795", "<*>")]
    [InlineData("0x1f3a", "<*>")]
    [InlineData("blk_-1608999687919862906", "blk_-<*>")]
    [InlineData("2017-06-09", "<*>")]
    [InlineData("uid=0", "uid=<*>")]
    [InlineData("(uid=0)", "(uid=<*>)")]
    [InlineData("/var/log/messages", "<*>")]
    [InlineData("hdfs://namenode:9000/user/x", "<*>")]
    [InlineData("1e2f6c7a-4b9d-4e9b-9a3c-5d2e8f0a1b2c", "<*>")]
    [InlineData("Jun", "<*>")]
    [InlineData("ssh2", "ssh2")]
    [InlineData("eth0", "eth0")]
    [InlineData("logname=", "logname=")]
    [InlineData("failure;", "failure;")]
    public void Mask_Token_MasksOnlyGenericVariables(string token, string expected)
    {
        Assert.Equal(expected, LogTokenizer.Mask(token, new StringBuilder()));
    }

    [Fact]
    public void Tokenize_LineLongerThanTheCap_EndsInOneWildcard()
    {
        var tokens = new List<string>();
        LogTokenizer.Tokenize("a b c d e f", tokens, maxTokens: 4, new StringBuilder());
        Assert.Equal(new[] { "a", "b", "c", "<*>" }, tokens);
    }

    [Theory]
    [InlineData("rhost=<*>", "rhost=example.org", true)]
    [InlineData("<*>", "anything", true)]
    [InlineData("rhost=<*>", "rhost=", false)]
    [InlineData("LOGIN(uid=<*>)", "(uid=<*>)", false)]
    [InlineData("startup", "shutdown", false)]
    public void Compatible_TwoTokens_TellsMaskedFormsFromOtherWords(string a, string b, bool expected)
    {
        Assert.Equal(expected, LogTokenizer.Compatible(a, b));
    }
}
