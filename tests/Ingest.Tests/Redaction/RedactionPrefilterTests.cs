using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Tests.Otlp;
using Autopilot.Ingest.Tests.Receivers;
using Autopilot.Ingest.Tests.TestSupport;
using Google.Protobuf;

namespace Autopilot.Ingest.Tests.Redaction;

/// <summary>
/// Differential tests of the cheap tests that rule values out before a built-in pattern runs: over every span name, log
/// body, attribute key and value of the real samples in ../shared/data/otlp (as they are and with secrets planted) and
/// every line of the LogHub-2k logs in ../shared/data/loghub (real log bodies), the built-in rules give exactly what the
/// same regular expressions give when run on every value.
/// </summary>
public sealed class RedactionPrefilterTests
{
    private static readonly string[] BearerLookalikes =
    [
        "bearer", "BEARER", "BeArEr", "bbearer", "beare", "bear er", "ｂearer", "bеarer", "bearer\u0131", "\u017fbearer", "\u212abearer", "Authorization: Bearer ", "bearerbearer", "b",
    ];

    private static readonly Lazy<IReadOnlyList<string>> RealTexts = new(CollectRealTexts);

    // What the card-number test stands for: 13 or more ASCII digits in a row, a single space or dash allowed between two of them.
    private static readonly System.Text.RegularExpressions.Regex LongDigitRun = new("[0-9](?:[ \\-]?[0-9]){12}");

    [Fact]
    public void Redact_EveryRealNameAndValue_SameAsThePatternsRunOnEveryValue()
    {
        var unfiltered = Unfiltered();
        var redacted = 0;
        foreach (var text in RealTexts.Value)
        {
            var expected = unfiltered.Redact(text);
            Assert.Equal(expected, Redactor.Default.Redact(text));
            redacted += ReferenceEquals(expected, text) ? 0 : 1;
        }

        // The planted secrets and the samples' own must have been found, or this compared clean text only.
        Assert.True(redacted > 50, $"only {redacted} of {RealTexts.Value.Count} texts redacted");
    }

    [Fact]
    public void Redact_PairsOfRealTexts_SameAsThePatternsRunOnEveryValue()
    {
        // Each test is asked only when the value holds one of its own anchors: joining two real texts mixes one text's
        // anchors (a hex id's 'b', a URL's ':' and '=') with the other's secret, so a test skipped wrongly shows here.
        var unfiltered = Unfiltered();
        var texts = RealTexts.Value;
        var random = new Random(11);
        var redacted = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var text = string.Concat(texts[random.Next(texts.Count)], random.Next(3) switch { 0 => " ", 1 => "&", _ => "" }, texts[random.Next(texts.Count)]);
            var expected = unfiltered.Redact(text);
            Assert.Equal(expected, Redactor.Default.Redact(text));
            redacted += ReferenceEquals(expected, text) ? 0 : 1;
        }

        Assert.True(redacted > 100, $"only {redacted} of 20,000 joined texts redacted");
    }

    [Fact]
    public void Redact_HexIdsUrlsAndBearerPiecesMixed_SameAsThePatternsRunOnEveryValue()
    {
        // The bearer test is asked only when a value holds a b and, after it, an r (hex ids hold b's and never an r, so
        // they skip it): r's before, between and after b's, with and without a token, must give what the pattern gives.
        string[] pieces =
        [
            "9f3b2c7d1e0a4b5c", "a1b2c3d4e5f60718", "r", "R", "b", "B", "bearer", "Bearer ", "BEARER ", "bEaReR	", "r b", "rb", "br",
            "abcdefgh12345678", "Bearer 7d1e0a4c5c8d7e6f", "7d1e0a4c5c8d", "eyJhbGciOiJIUzI1NiJ9", "https://shop.example.com/api/orders/123?page=2&token=", ":", "=", " ", "@", "-",
        ];
        var unfiltered = Unfiltered();
        var random = new Random(17);
        var redacted = 0;
        for (var n = 0; n < 30_000; n++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 7)).Select(_ => pieces[random.Next(pieces.Length)]));
            var expected = unfiltered.Redact(text);
            Assert.Equal(expected, Redactor.Default.Redact(text));
            redacted += ReferenceEquals(expected, text) ? 0 : 1;
        }

        Assert.True(redacted > 3_000, $"only {redacted} of 30,000 mixed texts redacted");
    }

    [Fact]
    public void ContainsBearer_RealTextsWithBearerLookalikesPlanted_SameAsOrdinalIgnoreCaseContains()
    {
        var random = new Random(7);
        var found = 0;
        foreach (var text in RealTexts.Value)
        {
            var at = random.Next(text.Length + 1);
            var planted = string.Concat(text.AsSpan(0, at), BearerLookalikes[random.Next(BearerLookalikes.Length)], text.AsSpan(at));
            foreach (var candidate in (string[])[text, planted, planted[..Math.Max(0, planted.Length - 1)], planted[Math.Min(1, planted.Length)..]])
            {
                var expected = candidate.Contains("bearer", StringComparison.OrdinalIgnoreCase);
                Assert.True(expected == Redactor.ContainsBearer(candidate), $"'{candidate}': expected {expected}");
                found += expected ? 1 : 0;
            }
        }

        Assert.True(found > 100, $"only {found} texts held bearer");
    }

    [Fact]
    public void HasLongDigitRun_RealTextsWithDigitRunsPlanted_SameAsItsPattern()
    {
        var random = new Random(13);
        var found = 0;
        foreach (var text in RealTexts.Value)
        {
            var run = new char[random.Next(10, 17)];
            for (var i = 0; i < run.Length; i++)
            {
                run[i] = i > 0 && random.Next(5) == 0 ? " -x"[random.Next(3)] : (char)('0' + random.Next(10));
            }

            var at = random.Next(text.Length + 1);
            foreach (var candidate in (string[])[text, string.Concat(text.AsSpan(0, at), run, text.AsSpan(at))])
            {
                var expected = LongDigitRun.IsMatch(candidate);
                Assert.True(expected == Redactor.HasLongDigitRun(candidate), $"'{candidate}': expected {expected}");
                found += expected ? 1 : 0;
            }
        }

        Assert.True(found > 100, $"only {found} texts held a long digit run");
    }

    [Fact]
    public void HasLongDigitRun_RandomTextsOfDigitsSeparatorsAndLetters_SameAsItsPattern()
    {
        // The test skips ahead 13 characters at a time: random texts dense in digits, separators (single and doubled) and
        // letters, around the boundaries of 13, hold runs starting, ending and breaking at every offset.
        var random = new Random(1313);
        var (found, missed) = (0, 0);
        for (var n = 0; n < 50_000; n++)
        {
            var alphabet = (n % 3) switch { 0 => "0123456789 -", 1 => "0123456789abcdef", _ => "0123456789 -x/:" };
            var text = new char[random.Next(0, 48)];
            for (var i = 0; i < text.Length; i++)
            {
                text[i] = random.Next(4) == 0 ? alphabet[random.Next(alphabet.Length)] : (char)('0' + random.Next(10));
            }

            var candidate = new string(text);
            var expected = LongDigitRun.IsMatch(candidate);
            Assert.True(expected == Redactor.HasLongDigitRun(candidate), $"'{candidate}': expected {expected}");
            (found, missed) = expected ? (found + 1, missed) : (found, missed + 1);
        }

        Assert.True(found > 5_000 && missed > 5_000, $"{found} texts held a long digit run, {missed} did not");
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("beare", false)]
    [InlineData("bearer", true)]
    [InlineData("xxBEARER", true)]
    [InlineData("bbbbbearer", true)]
    [InlineData("bearebearer", true)]
    [InlineData("bearerx", true)]
    [InlineData("bеarer", false)]
    [InlineData("ｂearer", false)]
    public void ContainsBearer_EdgeCases(string text, bool expected)
    {
        Assert.Equal(text.Contains("bearer", StringComparison.OrdinalIgnoreCase), expected);
        Assert.Equal(expected, Redactor.ContainsBearer(text));
    }

    /// <summary>
    /// The built-in rules as configured rules with the same regular expressions changed in text only (an empty group in
    /// front), which the redactor does not recognise as built in: no length or trigger test, the pattern runs on every value.
    /// </summary>
    private static Redactor Unfiltered()
    {
        var options = new RedactionOptions();
        foreach (var rule in RedactionRules.CreateBuiltIn().Where(r => r.Value is not null))
        {
            options.Rules.Add(new RedactionRuleOptions { Name = rule.Name, Value = "(?:)" + rule.Value, Luhn = rule.Luhn });
        }

        return Redactor.Create(options);
    }

    private static List<string> CollectRealTexts()
    {
        var texts = new HashSet<string>(StringComparer.Ordinal);
        var decoder = new SignalDecoder(new IngestOptions(), Redactor.None);
        foreach (var entry in OtlpTestData.Index.Where(e => e.IsOtlp && !e.IsInvalidCase))
        {
            var file = DecodedFile.Load(entry.File, entry.Signal);
            var random = new Random(entry.File.Length);
            switch (entry.Signal)
            {
                case "traces":
                    Collect(decoder, IngestSignal.Traces, file.Traces.ToByteArray(), texts);
                    SecretInjector.Inject(file.Traces, random);
                    Collect(decoder, IngestSignal.Traces, file.Traces.ToByteArray(), texts);
                    break;
                case "logs":
                    Collect(decoder, IngestSignal.Logs, file.Logs.ToByteArray(), texts);
                    SecretInjector.Inject(file.Logs, random);
                    Collect(decoder, IngestSignal.Logs, file.Logs.ToByteArray(), texts);
                    break;
                default:
                    Collect(decoder, IngestSignal.Metrics, file.Metrics.ToByteArray(), texts);
                    break;
            }
        }

        Assert.True(texts.Count > 300, $"only {texts.Count} distinct texts in the OTLP samples");
        foreach (var log in Directory.EnumerateFiles(SharedData.Path("loghub"), "*_2k.log", SearchOption.AllDirectories))
        {
            texts.UnionWith(File.ReadLines(log));
        }

        Assert.True(texts.Count > 10_000, $"only {texts.Count} distinct texts in the samples and logs");
        return [.. texts.Order(StringComparer.Ordinal)];
    }

    private static void Collect(SignalDecoder decoder, IngestSignal signal, byte[] payload, HashSet<string> into)
    {
        var decoded = new DecodedRequest();
        decoder.Decode(signal, PayloadFormat.Protobuf, payload, decoded);
        foreach (var s in decoded.Signals)
        {
            into.Add(s.Name);
            for (var i = 0; i < s.Attributes.Count; i++)
            {
                into.Add(s.Attributes.KeyAt(i));
                into.Add(s.Attributes.ValueAt(i));
            }
        }
    }
}
