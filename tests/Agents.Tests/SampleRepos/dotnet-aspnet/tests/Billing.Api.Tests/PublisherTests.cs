namespace Billing.Api.Tests;

public class PublisherTests
{
    [Fact]
    public async Task Stub()
    {
        // Test projects are never services, and their code is never scanned.
        using var http = new HttpClient();
        await http.GetAsync("http://localhost:1/never");
    }
}
