var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/items/{id}", (string id) => Results.Ok(new { id, name = "item " + id }));

app.Run();
