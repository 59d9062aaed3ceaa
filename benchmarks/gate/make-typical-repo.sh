#!/usr/bin/env bash
# Builds the "typical repository" `autopilot gate` is measured on (benchmarks/RESULTS.md, "CI Gatekeeper"):
# 4 services in 4 languages (each with 50 source files), 50 schemas (20 Avro, 15 Protobuf, 15 JSON Schema),
# 10 data contracts and a tiered gates.yaml, committed on main; then a working-tree change like a pull request's:
# 8 schemas changed compatibly, 2 incompatibly, 1 added, 1 contract tightened.
# Usage: make-typical-repo.sh <empty or missing folder>
set -euo pipefail
dir=${1:?usage: make-typical-repo.sh <folder>}
rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
git init -q -b main; git config user.email bench@gate; git config user.name bench

svc() { # name folder manifest init-file init-line extension
  mkdir -p "$2/src"
  printf '%s\n' "$3" > "$2/$4"
  printf '%s\n' "$5" > "$2/src/main$6"
  for i in $(seq 1 49); do printf '// handler %s of %s\nfunction handle%s(req) { return req; }\n' "$i" "$1" "$i" > "$2/src/handler$i$6"; done
  printf '# %s runbook\n\n## Steps\n1. Check the dashboard.\n' "$1" > "$2/RUNBOOK.md"
  printf 'transport:\n  type: http\n  url: http://127.0.0.1:4318\nnamespace: %s\n' "$1" > "$2/openlineage.yml"
}
svc orders services/orders '{ "name": "orders", "dependencies": { "@opentelemetry/sdk-node": "0.52.0" } }' package.json \
  "const sdk = new NodeSDK({}); sdk.start(); await producer.send({ topic: 'orders.created', messages });" .js
svc payments services/payments '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup><PackageReference Include="OpenTelemetry.Extensions.Hosting" /></ItemGroup></Project>' Payments.csproj \
  'builder.Services.AddOpenTelemetry(); await producer.ProduceAsync("payments.settled", msg);' .cs
svc search services/search $'module search\nrequire go.opentelemetry.io/otel v1.28.0' go.mod \
  'tp := sdktrace.NewTracerProvider(); otel.SetTracerProvider(tp)' .go
svc ingest services/ingest 'opentelemetry-sdk==1.26.0' requirements.txt \
  'trace.set_tracer_provider(TracerProvider()); producer.produce("ingest.raw", value)' .py

for i in $(seq -w 1 20); do mkdir -p schemas/avro
  printf '{"type":"record","name":"Event%s","namespace":"shop.events","fields":[\n  {"name":"id","type":"string"},\n  {"name":"amount","type":"int"},\n  {"name":"status","type":{"type":"enum","name":"Status%s","symbols":["NEW","PAID"]}},\n  {"name":"tags","type":{"type":"array","items":"string"}},\n  {"name":"note","type":["null","string"],"default":null}\n]}\n' "$i" "$i" > "schemas/avro/event$i.avsc"; done
for i in $(seq -w 1 15); do mkdir -p proto/shop/v1
  printf 'syntax = "proto3";\npackage shop.v1;\nmessage Order%s {\n  string id = 1;\n  int64 amount = 2;\n  repeated Line lines = 3;\n  map<string, string> labels = 4;\n  Status status = 5;\n  oneof payment { string card = 6; string iban = 7; }\n  reserved 9, 20 to 30;\n  message Line { string sku = 1; int32 qty = 2; }\n  enum Status { STATUS_UNSPECIFIED = 0; STATUS_PAID = 1; }\n}\n' "$i" > "proto/shop/v1/order$i.proto"; done
for i in $(seq -w 1 15); do mkdir -p schemas/json
  printf '{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,\n "properties":{"id":{"type":"string","maxLength":64},"kind":{"enum":["a","b"]},"customer":{"$ref":"#/definitions/Customer"}},\n "required":["id"],\n "definitions":{"Customer":{"type":"object","additionalProperties":false,"properties":{"email":{"type":"string"}}}}}\n' > "schemas/json/doc$i.schema.json"; done
for t in orders.created payments.settled ingest.raw search.indexed c5 c6 c7 c8 c9 c10; do mkdir -p contracts
  printf 'urn: urn:autopilot:topic:kafka:%s\nowner: team\nschema:\n  - { name: id, type: string, required: true }\n  - { name: amount, type: integer, required: true }\nsla:\n  freshness: 1h\n' "$t" > "contracts/$t.yaml"; done
cat > gates.yaml <<'YAML'
gate: pull-request
default_tier: tier-2
tiers:
  - name: tier-1
    match: { services: [orders, payments] }
    checks:
      otel-sdk: hard-fail
      runbook: hard-fail
      lineage-spec: { mode: hard-fail, rollout: { warn_until: 2026-03-01, soft_fail_until: 2026-06-01 } }
      data-contract: soft-fail
      telemetry-validation: warn
      schema-compat: hard-fail
      contract-breaking: hard-fail
  - name: tier-2
    checks:
      otel-sdk: warn
      runbook: warn
      lineage-spec: warn
      data-contract: warn
      schema-compat: hard-fail
      contract-breaking: soft-fail
schemas:
  compatibility: BACKWARD
  subjects:
    - { path: "proto/**", compatibility: FULL }
waivers:
  - { check: schema-compat, scope: "schemas/avro/event20.avsc", owner: data-platform, expires: 2027-01-01, reason: "v2 migration" }
YAML
git add -A; git commit -qm base

# The pull request: compatible edits, two breaks (one waived), a new schema, a tightened contract.
for i in 01 02 03 04; do sed -i 's/{"name":"amount","type":"int"}/{"name":"amount","type":"long"}/' "schemas/avro/event$i.avsc"; done
for i in 01 02; do sed -i 's/  reserved 9, 20 to 30;/  int32 priority = 8;\n  reserved 9, 20 to 30;/' "proto/shop/v1/order$i.proto"; done
for i in 01 02; do sed -i 's/"email":{"type":"string"}/"email":{"type":"string"},"phone":{"type":"string"}/' "schemas/json/doc$i.schema.json"; done
sed -i 's/  {"name":"id","type":"string"},/  {"name":"id","type":"string"},\n  {"name":"region","type":"string"},/' schemas/avro/event19.avsc schemas/avro/event20.avsc
cp schemas/avro/event01.avsc schemas/avro/event21.avsc; sed -i 's/Event01/Event21/; s/Status01/Status21/' schemas/avro/event21.avsc
sed -i 's/freshness: 1h/freshness: 30m/' contracts/c5.yaml
