# Payments API.
from fastapi import FastAPI
import requests
from kafka import KafkaProducer

app = FastAPI(
    title="payments",
    version="1.0",
)
producer = KafkaProducer(bootstrap_servers="localhost:9092")


@app.post("/payments/{payment_id}")
def pay(payment_id: str):
    fraud = requests.get(f"http://fraud:8080/check/{payment_id}", timeout=2).json()
    producer.send("payments.settled", payment_id.encode())
    return {"id": payment_id, "fraud": fraud}
