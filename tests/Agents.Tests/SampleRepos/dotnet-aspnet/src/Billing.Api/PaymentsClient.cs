using System.Net.Http.Json;

namespace Billing.Api;

public sealed class PaymentsClient(HttpClient http)
{
    public async Task<string> StatusAsync(string orderId) =>
        (await http.GetFromJsonAsync<PaymentStatus>($"/payments/{orderId}"))?.Status ?? "unknown";

    private sealed record PaymentStatus(string Status);
}
