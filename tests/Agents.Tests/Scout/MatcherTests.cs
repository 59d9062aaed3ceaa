using Autopilot.Agents.Scout;
using Autopilot.Agents.Scout.Facts;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Tests.Scout;

/// <summary>Topic names as written, contracts, CODEOWNERS and link resolution.</summary>
public sealed class MatcherTests
{
    [Theory]
    [InlineData("\"orders.created\"", "Literal", "orders.created")]
    [InlineData("'orders'", "Literal", "orders")]
    [InlineData("\"${app.kafka.topic:orders}\"", "Placeholder", "app.kafka.topic:orders")]
    [InlineData("Topics.ORDER_CREATED", "Identifier", "ORDER_CREATED")]
    [InlineData("&topic", "Identifier", "topic")]
    [InlineData("os.getenv(\"ITEMS_TOPIC\", \"inventory.items\")", "Literal", "inventory.items")]
    [InlineData("os.getenv(\"ITEMS_TOPIC\")", "Dynamic", null)]
    [InlineData("process.env.TOPIC || 'orders'", "Literal", "orders")]
    [InlineData("f\"orders-{env}\"", "Dynamic", null)]
    [InlineData("`orders-${env}`", "Dynamic", null)]
    [InlineData("\"orders-\" + env", "Dynamic", null)]
    [InlineData("props.getTopic()", "Dynamic", null)]
    public void TopicExpr_Parse(string expression, string kind, string? text)
    {
        var parsed = TopicExpr.Parse(expression);

        Assert.NotNull(parsed);
        Assert.Equal(Enum.Parse<TopicExprKind>(kind), parsed.Value.Kind);
        if (text is not null)
        {
            Assert.Equal(text, parsed.Value.Text);
        }
    }

    [Fact]
    public void SpringProperties_PlaceholderWithRelaxedBindingAndDefault()
    {
        var props = SpringProperties.Read("application.yml", "app:\n  kafka:\n    order-topic: orders.v1\n")!;

        Assert.Equal("orders.v1", SpringProperties.Resolve("app.kafka.order-topic", props));
        Assert.Equal("orders.v1", SpringProperties.Resolve("app.kafka.orderTopic", props));
        Assert.Equal("fallback", SpringProperties.Resolve("app.kafka.missing:fallback", props));
        Assert.Null(SpringProperties.Resolve("app.kafka.missing", props));
        Assert.Equal(3, props["app.kafka.order-topic"].Line);
    }

    [Fact]
    public void ContractIndex_TopicsTablesUrnsAndDataContractSpecification()
    {
        var index = new ContractIndex();
        index.Add("contracts/a.yaml", "dataset: { namespace: kafka, name: billing.invoices }\n");
        index.Add("contracts/b.yaml", "dataset:\n  namespace: pg\n  name: public.orders\n");
        index.Add("contracts/c.yaml", "urn: urn:autopilot:topic:kafka:payments.completed\n");
        index.Add("contracts/d.yaml", "servers:\n  prod:\n    type: kafka\n    topic: ledger.entries\nmodels:\n  ledger_entries: { type: table }\n");
        index.Add("contracts/broken.yaml", "dataset: [unclosed\n");

        Assert.True(index.Covers(DatasetKind.Topic, "kafka", "billing.invoices"));
        Assert.False(index.Covers(DatasetKind.Table, "postgres", "invoices")); // a Kafka contract is not a table's
        Assert.True(index.Covers(DatasetKind.Table, "postgres", "orders")); // public.orders
        Assert.True(index.Covers(DatasetKind.Table, "postgres", "sales.orders"));
        Assert.False(index.Covers(DatasetKind.Topic, "kafka", "orders"));
        Assert.True(index.Covers(DatasetKind.Topic, "kafka", "payments.completed"));
        Assert.True(index.Covers(DatasetKind.Topic, "kafka", "ledger.entries"));
        Assert.True(index.Covers(DatasetKind.Table, "postgres", "ledger_entries"));
        Assert.Equal(["contracts/a.yaml", "contracts/b.yaml", "contracts/c.yaml", "contracts/d.yaml"], index.Files);
    }

    [Fact]
    public void CodeOwners_LastMatchingRuleWins()
    {
        var owners = CodeOwners.Parse("* @acme/platform\n/services/orders/ @acme/orders\n*.go @acme/gophers\n# comment\n");

        Assert.Equal("@acme/orders", owners.OwnerOf("services/orders/pom.xml"));
        Assert.Equal("@acme/gophers", owners.OwnerOf("services/orders/tools/gen.go"));
        Assert.Equal("@acme/platform", owners.OwnerOf("README.md"));
        Assert.Equal("@acme/platform", owners.OwnerOf("other/services/orders/pom.xml"));
    }

    [Fact]
    public void PathResolver_LinkThroughLink_ResolvesToTheRealTarget()
    {
        var root = Directory.CreateTempSubdirectory("autopilot-realpath-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "real", "deep"));
            File.WriteAllText(Path.Combine(root, "real", "deep", "f.txt"), "x");
            File.CreateSymbolicLink(Path.Combine(root, "a"), Path.Combine(root, "real"));
            File.CreateSymbolicLink(Path.Combine(root, "b"), "a/deep/../deep/f.txt");
            File.CreateSymbolicLink(Path.Combine(root, "loop1"), Path.Combine(root, "loop2"));
            File.CreateSymbolicLink(Path.Combine(root, "loop2"), Path.Combine(root, "loop1"));

            Assert.Equal(Path.Combine(root, "real", "deep", "f.txt"), PathResolver.RealPath(Path.Combine(root, "b")));
            Assert.Null(PathResolver.RealPath(Path.Combine(root, "loop1")));
            Assert.True(PathResolver.IsInside(Path.Combine(root, "real"), root));
            Assert.False(PathResolver.IsInside(root + "-other", root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
