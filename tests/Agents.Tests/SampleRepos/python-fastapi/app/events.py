import json
import os

from kafka import KafkaProducer

ITEMS_TOPIC = os.getenv("ITEMS_TOPIC", "inventory.items")

producer = KafkaProducer(
    bootstrap_servers=os.getenv("KAFKA_BROKERS", "kafka:9092"),
    value_serializer=lambda v: json.dumps(v).encode("utf-8"),
)


def publish_item_changed(sku: str, quantity: int, price_cents: int) -> None:
    producer.send(ITEMS_TOPIC, {"sku": sku, "quantity": quantity, "price_cents": price_cents})
