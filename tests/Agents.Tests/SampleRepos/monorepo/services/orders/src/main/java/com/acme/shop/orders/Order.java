package com.acme.shop.orders;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "shop_orders")
public class Order {
    @Id
    private Long id;
    private String status;

    public Long getId() {
        return id;
    }
}
