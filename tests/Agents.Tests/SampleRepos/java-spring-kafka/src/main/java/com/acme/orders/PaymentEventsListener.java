package com.acme.orders;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
public class PaymentEventsListener {
    private final JdbcTemplate jdbc;

    public PaymentEventsListener(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @KafkaListener(topics = "${app.kafka.topics.payments}", groupId = "orders")
    public void onPayment(String orderId) {
        jdbc.update("UPDATE orders SET status = 'PAID' WHERE id = ?", Long.parseLong(orderId));
    }
}
