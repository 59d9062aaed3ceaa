import requests


def test_pricing_stub():
    # Test code is never scanned for call sites.
    assert requests.get("http://localhost:1/never", timeout=0.1) is not None
