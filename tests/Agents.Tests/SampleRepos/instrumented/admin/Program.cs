using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHealthChecks();
builder.Services.AddHttpClient("ledger", c => c.BaseAddress = new Uri("http://ledger:8080"));
builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("admin"))
    .WithTracing(tracing => tracing
        .AddAspNetCoreInstrumentation()
        .AddHttpClientInstrumentation()
        .AddOtlpExporter());

var app = builder.Build();
app.MapHealthChecks("/healthz");
app.MapGet("/ledger/{id}", async (string id, IHttpClientFactory clients) =>
    await clients.CreateClient("ledger").GetStringAsync($"/entries/{id}"));
app.Run();
