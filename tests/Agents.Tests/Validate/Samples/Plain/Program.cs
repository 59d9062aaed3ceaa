// The Orders sample without any telemetry: what a service looks like before instrumentation.
using System.Collections.Concurrent;

var port = Environment.GetEnvironmentVariable("PORT") ?? "5080";
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();
using var http = new HttpClient();
var queue = new ConcurrentQueue<string>();

app.MapGet("/healthz", () => "ok");
app.MapGet("/orders/{id}", async (string id) =>
{
    var stock = await http.GetStringAsync($"http://127.0.0.1:{port}/inventory/{id}");
    return Results.Json(new { id, stock });
});
app.MapGet("/inventory/{id}", (string id) => Results.Text("7"));
app.MapPost("/orders", () =>
{
    queue.Enqueue(Guid.NewGuid().ToString("N"));
    return Results.Accepted();
});
app.MapPost("/export", () => Results.Ok());

Console.WriteLine($"plain sample listening on {port}");
app.Run();
