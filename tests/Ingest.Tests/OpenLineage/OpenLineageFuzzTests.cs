using System.Text;
using System.Text.Json.Nodes;
using Autopilot.Ingest.OpenLineage;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.OpenLineage;

/// <summary>Seeded mutations of real events: the decoder either accepts or throws LineageFormatException, nothing else.</summary>
public sealed class OpenLineageFuzzTests
{
    private static readonly byte[] Alphabet = "{}[],:\"\\0-e.tfnu"u8.ToArray();

    private static readonly JsonNode?[] Replacements =
    [
        null, JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1e308), JsonValue.Create(long.MaxValue), JsonValue.Create(0.5),
        JsonValue.Create(true), JsonValue.Create(""), JsonValue.Create("x"), JsonValue.Create("12"), JsonValue.Create("\u00fc\u2028"),
        JsonValue.Create("00000000-0000-0000-0000-000000000000"), JsonValue.Create("2024-02-29T23:59:59.999999999-14:00"),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Decode_ByteMutations_OnlyLineageFormatException(int seed)
    {
        var random = new Random(seed);
        var files = LineageTestEvents.AllFiles().Select(File.ReadAllBytes).ToArray();
        var outcomes = new int[2];
        for (var i = 0; i < 3000; i++)
        {
            var original = files[random.Next(files.Length)];
            var mutated = MutateBytes(original, random);
            outcomes[TryDecode(mutated, $"seed {seed} iteration {i}")]++;
        }

        // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
        Assert.True(outcomes[0] > 0 && outcomes[1] > 0, $"accepted {outcomes[0]}, refused {outcomes[1]}");
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Decode_StructuralMutations_OnlyLineageFormatException(int seed)
    {
        var random = new Random(seed);
        var files = LineageTestEvents.AllFiles();
        var outcomes = new int[2];
        for (var i = 0; i < 1500; i++)
        {
            var node = JsonNode.Parse(File.ReadAllBytes(files[random.Next(files.Length)]))!;
            var mutations = 1 + random.Next(3);
            for (var m = 0; m < mutations; m++)
            {
                node = MutateTree(node, random);
            }

            outcomes[TryDecode(Encoding.UTF8.GetBytes(node.ToJsonString()), $"seed {seed} iteration {i}")]++;
        }

        Assert.True(outcomes[0] > 0 && outcomes[1] > 0, $"accepted {outcomes[0]}, refused {outcomes[1]}");
    }

    private static int TryDecode(byte[] payload, string where)
    {
        var signals = new List<Signal>();
        try
        {
            OpenLineageDecoder.Decode(payload, signals);
            Assert.All(signals, s => Assert.True(Urn.TryParse(s.Urn, out _, out _, out _), $"{where}: bad URN {s.Urn}"));
            return 0;
        }
        catch (LineageFormatException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Problem));
            Assert.StartsWith("$", ex.JsonPath, StringComparison.Ordinal);
            return 1;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{where}: {ex.GetType().Name} escaped the decoder: {ex}\npayload: {Encoding.UTF8.GetString(payload)}");
            return -1;
        }
    }

    private static byte[] MutateBytes(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits && bytes.Count > 1; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16))); break;
                case 2: bytes.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                default:
                    var len = Math.Min(bytes.Count - at, 1 + random.Next(32));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, len));
                    break;
            }
        }

        return [.. bytes];
    }

    private static JsonNode MutateTree(JsonNode root, Random random)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        var replacement = random.Next(4) switch
        {
            0 => new JsonArray(),
            1 => new JsonObject(),
            _ => Replacements[random.Next(Replacements.Length)]?.DeepClone(),
        };
        switch (target.Parent)
        {
            case JsonObject obj:
                var key = target.GetPropertyName();
                if (random.Next(3) == 0)
                {
                    obj.Remove(key);
                }
                else
                {
                    obj[key] = replacement;
                }

                break;
            case JsonArray array:
                var index = target.GetElementIndex();
                array[index] = replacement;
                break;
            default:
                return replacement ?? new JsonObject();
        }

        return root;
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null)
        {
            return;
        }

        nodes.Add(node);
        if (node is JsonObject obj)
        {
            foreach (var (_, child) in obj)
            {
                Collect(child, nodes);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                Collect(child, nodes);
            }
        }
    }
}
