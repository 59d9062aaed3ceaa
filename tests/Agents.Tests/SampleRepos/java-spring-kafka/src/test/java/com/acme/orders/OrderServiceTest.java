package com.acme.orders;

import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

class OrderServiceTest {
    @Test
    void publishesToTheTestTopic() {
        KafkaTemplate<String, String> kafkaTemplate = null;
        // Test code is never scanned for call sites or topics.
        kafkaTemplate.send("test-only-topic", "1", "{}");
    }
}
