using Npgsql;

namespace Billing.Api;

public sealed class InvoiceRepository
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(
        Environment.GetEnvironmentVariable("BILLING_DB") ?? "Host=billing-db;Database=billing;Username=billing");

    public async Task<long> InsertAsync(NewInvoice invoice, string paymentStatus)
    {
        await using var cmd = _db.CreateCommand("INSERT INTO invoices (order_id, amount_cents, payment_status) VALUES ($1, $2, $3) RETURNING id");
        cmd.Parameters.AddWithValue(invoice.OrderId);
        cmd.Parameters.AddWithValue(invoice.AmountCents);
        cmd.Parameters.AddWithValue(paymentStatus);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<Invoice?> FindAsync(long id)
    {
        await using var cmd = _db.CreateCommand("SELECT id, order_id, amount_cents FROM invoices WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new Invoice(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)) : null;
    }
}
