package com.acme.orders;

import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

@Service
public class OrderService {
    private final JdbcTemplate jdbc;
    private final KafkaTemplate<String, String> kafkaTemplate;
    private final InventoryClient inventory;

    public OrderService(JdbcTemplate jdbc, KafkaTemplate<String, String> kafkaTemplate, InventoryClient inventory) {
        this.jdbc = jdbc;
        this.kafkaTemplate = kafkaTemplate;
        this.inventory = inventory;
    }

    public Order place(NewOrder request) {
        inventory.reserve(request.sku(), request.quantity());
        long id = jdbc.queryForObject("SELECT nextval('orders_id_seq')", Long.class);
        jdbc.update("INSERT INTO orders (id, customer_id, sku, quantity, status) VALUES (?, ?, ?, ?, 'PLACED')",
            id, request.customerId(), request.sku(), request.quantity());
        kafkaTemplate.send(Topics.ORDER_CREATED_TOPIC, Long.toString(id), request.toJson(id));
        return new Order(id, request.customerId(), "PLACED");
    }

    public Optional<Order> find(long id) {
        return jdbc.query("SELECT id, customer_id, status FROM orders WHERE id = ?",
            rs -> rs.next() ? Optional.of(new Order(rs.getLong(1), rs.getLong(2), rs.getString(3))) : Optional.empty(), id);
    }
}
