import requests
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")


@app.get("/search")
def search():
    hits = requests.get("http://index:9200/products/_search", params={"q": request.args.get("q", "")}, timeout=2)
    return jsonify(hits.json())
