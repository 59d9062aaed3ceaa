package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/segmentio/kafka-go"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
)

var (
	client = &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport)}
	writer = &kafka.Writer{Addr: kafka.TCP("kafka:9092"), Topic: "ledger.entries"}
)

type headers []kafka.Header

func handleEntry(c *gin.Context) {
	req, _ := http.NewRequestWithContext(c.Request.Context(), http.MethodGet, "http://fx:8080/rates", nil)
	resp, err := client.Do(req)
	if err != nil {
		c.AbortWithStatus(http.StatusBadGateway)
		return
	}
	resp.Body.Close()

	carrier := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(c.Request.Context(), carrier)
	msg := kafka.Message{Value: []byte("entry")}
	for k, v := range carrier {
		msg.Headers = append(msg.Headers, kafka.Header{Key: k, Value: []byte(v)})
	}
	if err := writer.WriteMessages(c.Request.Context(), msg); err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.Status(http.StatusAccepted)
}
