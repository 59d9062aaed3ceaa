package com.acme.shop.orders;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

@Component
public class OrderEvents {
    private final KafkaTemplate<String, String> kafkaTemplate;

    public OrderEvents(KafkaTemplate<String, String> kafkaTemplate) {
        this.kafkaTemplate = kafkaTemplate;
    }

    public void placed(Order order) {
        kafkaTemplate.send("shop.orders", order.getId().toString(), "{\"id\":" + order.getId() + "}");
    }
}
