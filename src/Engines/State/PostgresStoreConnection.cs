using System.Net.Sockets;
using Npgsql;

namespace Autopilot.Engines.State;

/// <summary>
/// The PostgreSQL side every store shares (the engine store, the asset graph's store): one pooled
/// <see cref="NpgsqlDataSource"/>, schema creation serialized across processes, and connection failures turned into
/// one exception of the store's own type whose message names the server and says what to check.
/// </summary>
public sealed class PostgresStoreConnection : IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _store;
    private readonly Func<string, Exception, Exception> _failure;

    /// <summary>
    /// Connects and runs <paramref name="schema"/> under the advisory lock <paramref name="schemaLock"/>.
    /// <paramref name="store"/> names the store in messages ("engine store"); <paramref name="failure"/> makes the
    /// store's exception from a message and its cause. Throws what <paramref name="failure"/> makes when the server
    /// cannot be used, <see cref="ArgumentException"/> for a connection string that does not parse.
    /// </summary>
    public PostgresStoreConnection(string connectionString, string store, long schemaLock, string schema, Func<string, Exception, Exception> failure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        ArgumentNullException.ThrowIfNull(failure);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The PostgreSQL connection string is not valid: {e.Message}", nameof(connectionString), e);
        }

        _store = store;
        _failure = failure;
        Target = $"PostgreSQL at {builder.Host ?? "localhost"}:{builder.Port}, database '{builder.Database ?? builder.Username ?? "(default)"}', user '{builder.Username ?? "(default)"}'";
        _dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            // Stores starting at once (several nodes, the engine and graph stores) may both create tables; the
            // advisory lock serializes them because CREATE ... IF NOT EXISTS alone races on the catalog's unique index.
            Run(c =>
            {
                using var tx = c.BeginTransaction();
                using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", c, tx))
                {
                    lockCmd.Parameters.AddWithValue(schemaLock);
                    lockCmd.ExecuteNonQuery();
                }

                using (var cmd = new NpgsqlCommand(schema, c, tx))
                {
                    cmd.ExecuteNonQuery();
                }

                tx.Commit();
                return 0;
            });
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    /// <summary>The server, database and user, as messages name them.</summary>
    public string Target { get; }

    /// <summary>Runs <paramref name="work"/> on a pooled connection; failures become one clear exception of the store's type.</summary>
    public T Run<T>(Func<NpgsqlConnection, T> work)
    {
        try
        {
            using var connection = _dataSource.OpenConnection();
            return work(connection);
        }
        catch (NpgsqlException e) when (e is not PostgresException && e.InnerException is SocketException or TimeoutException or IOException)
        {
            throw _failure($"Cannot reach the {_store} ({Target}): {e.InnerException!.Message}. Check that the server is running and the host and port in the connection string.", e);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw _failure($"The {_store} ({Target}) refused the login: {e.MessageText}. Check the user and password in the connection string.", e);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidCatalogName)
        {
            throw _failure($"The {_store} ({Target}) has no such database: {e.MessageText}. Create it (createdb) or fix the database in the connection string.", e);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege)
        {
            throw _failure($"The {_store} ({Target}) denied access: {e.MessageText}. The user needs CREATE on the database and rights on schema autopilot.", e);
        }
        catch (NpgsqlException e)
        {
            throw _failure($"The {_store} ({Target}) failed: {e.Message}", e);
        }
    }

    public void Dispose() => _dataSource.Dispose();
}
