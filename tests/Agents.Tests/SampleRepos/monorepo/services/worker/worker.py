"""Ships orders: reads shop.orders and records a shipment per order."""
import json
import os

import psycopg
from confluent_kafka import Consumer


def main() -> None:
    consumer = Consumer({"bootstrap.servers": os.getenv("KAFKA_BROKERS", "kafka:9092"), "group.id": "shipping"})
    consumer.subscribe(["shop.orders"])
    with psycopg.connect(os.getenv("DATABASE_URL", "postgresql://worker@shop-db:5432/shop")) as db:
        while True:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            order = json.loads(message.value())
            db.execute("INSERT INTO shipments (order_id, state) VALUES (%s, 'PENDING')", (order["id"],))
            db.commit()


if __name__ == "__main__":
    main()
