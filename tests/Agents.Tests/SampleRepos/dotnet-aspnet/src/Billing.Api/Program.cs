using Billing.Api;
using OpenTelemetry.Trace;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing
        .AddAspNetCoreInstrumentation()
        .AddOtlpExporter());
builder.Services.AddSingleton<InvoiceRepository>();
builder.Services.AddSingleton<InvoicePublisher>();
builder.Services.AddHttpClient<PaymentsClient>(client => client.BaseAddress = new Uri("http://payments:8080"));

var app = builder.Build();

app.MapPost("/invoices", async (NewInvoice request, InvoiceRepository invoices, InvoicePublisher publisher, PaymentsClient payments) =>
{
    var status = await payments.StatusAsync(request.OrderId);
    var id = await invoices.InsertAsync(request, status);
    await publisher.PublishAsync(id, request);
    return Results.Created($"/invoices/{id}", new { id });
});

app.MapGet("/invoices/{id:long}", async (long id, InvoiceRepository invoices) =>
    await invoices.FindAsync(id) is { } invoice ? Results.Ok(invoice) : Results.NotFound());

app.Run();
