package com.acme.orders;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestTemplate;

@Component
public class InventoryClient {
    private final RestTemplate rest = new RestTemplate();
    private final String baseUrl;

    public InventoryClient(@Value("${app.inventory.base-url}") String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public void reserve(String sku, int quantity) {
        rest.postForObject(baseUrl + "/reservations", new Reservation(sku, quantity), Void.class);
    }

    record Reservation(String sku, int quantity) {
    }
}
