package com.acme.checkout;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

@RestController
public class CheckoutController {
    private final JdbcTemplate jdbc;
    private final KafkaTemplate<String, String> kafkaTemplate;
    private final RestTemplate rest = new RestTemplate();

    public CheckoutController(JdbcTemplate jdbc, KafkaTemplate<String, String> kafkaTemplate) {
        this.jdbc = jdbc;
        this.kafkaTemplate = kafkaTemplate;
    }

    @PostMapping("/checkout/{orderId}")
    public void checkout(@PathVariable String orderId) {
        rest.postForObject("http://ledger:8080/entries", orderId, Void.class);
        jdbc.update("INSERT INTO public.checkouts (order_id) VALUES (?)", orderId);
        kafkaTemplate.send("checkout.completed", orderId, orderId);
    }
}
