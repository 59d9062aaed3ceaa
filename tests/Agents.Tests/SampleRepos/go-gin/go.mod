module github.com/acme/payments

go 1.22

require (
	github.com/gin-gonic/gin v1.10.0
	github.com/jackc/pgx/v5 v5.6.0
	github.com/segmentio/kafka-go v0.4.47
)

require (
	github.com/bytedance/sonic v1.11.6 // indirect
	github.com/klauspost/compress v1.17.8 // indirect
	go.opentelemetry.io/otel/sdk v1.28.0 // indirect
)
