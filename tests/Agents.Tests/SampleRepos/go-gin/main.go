package main

import (
	"context"
	"log"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/payments/internal/payments"
)

func main() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, getenv("DATABASE_URL", "postgres://payments@payments-db:5432/payments"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()

	svc := payments.NewService(pool, payments.NewPublisher(getenv("KAFKA_BROKERS", "kafka:9092")))
	r := gin.Default()
	r.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.POST("/payments", svc.Create)
	if err := r.Run(":8080"); err != nil {
		log.Fatal(err)
	}
}

func getenv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}
