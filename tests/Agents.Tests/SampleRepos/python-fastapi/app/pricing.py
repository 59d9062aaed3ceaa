import requests

PRICING_URL = "http://pricing:8080/prices"


def current_price(sku: str) -> int:
    response = requests.get(f"{PRICING_URL}/{sku}", timeout=2)
    response.raise_for_status()
    return int(response.json()["cents"])
