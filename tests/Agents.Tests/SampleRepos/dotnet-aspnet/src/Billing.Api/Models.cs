namespace Billing.Api;

public sealed record NewInvoice(string OrderId, long AmountCents);

public sealed record Invoice(long Id, string OrderId, long AmountCents);
