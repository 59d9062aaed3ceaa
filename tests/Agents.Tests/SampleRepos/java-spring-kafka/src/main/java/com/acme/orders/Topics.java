package com.acme.orders;

/** Topic names this service publishes to. */
public final class Topics {
    public static final String ORDER_CREATED_TOPIC = "orders.created";

    private Topics() {
    }
}
