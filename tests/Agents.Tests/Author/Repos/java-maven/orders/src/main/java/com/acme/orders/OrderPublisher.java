package com.acme.orders;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

@Service
public class OrderPublisher {
    private final KafkaTemplate<String, String> kafka;

    public OrderPublisher(KafkaTemplate<String, String> kafka) {
        this.kafka = kafka;
    }

    public void publish(String orderId, String json) {
        kafka.send("orders.created", orderId, json);
    }
}
