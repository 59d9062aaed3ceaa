from fastapi import FastAPI, HTTPException
from sqlalchemy.orm import Session

from app.db import engine
from app.events import publish_item_changed
from app.models import Item
from app.pricing import current_price

app = FastAPI(title="inventory")


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


@app.put("/items/{sku}")
def upsert_item(sku: str, quantity: int) -> dict:
    with Session(engine) as session:
        item = session.get(Item, sku) or Item(sku=sku, quantity=0)
        item.quantity = quantity
        session.add(item)
        session.commit()
    publish_item_changed(sku, quantity, current_price(sku))
    return {"sku": sku, "quantity": quantity}


@app.get("/items/{sku}")
def get_item(sku: str) -> dict:
    with Session(engine) as session:
        item = session.get(Item, sku)
        if item is None:
            raise HTTPException(status_code=404)
        return {"sku": item.sku, "quantity": item.quantity}
