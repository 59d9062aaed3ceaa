namespace Autopilot.Engines.Tests.TestSupport;

/// <summary>Test classes in this collection share one <see cref="PostgresServer"/>, started once per test run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
