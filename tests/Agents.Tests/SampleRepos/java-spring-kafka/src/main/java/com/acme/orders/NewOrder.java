package com.acme.orders;

public record NewOrder(long customerId, String sku, int quantity) {
    public String toJson(long id) {
        return "{\"id\":" + id + ",\"customerId\":" + customerId + ",\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
    }
}
