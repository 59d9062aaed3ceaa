package payments

import (
	"context"

	"github.com/segmentio/kafka-go"
)

const completedTopic = "payments.completed"

type Publisher struct {
	writer *kafka.Writer
}

func NewPublisher(brokers string) *Publisher {
	return &Publisher{writer: &kafka.Writer{
		Addr:     kafka.TCP(brokers),
		Topic:    completedTopic,
		Balancer: &kafka.LeastBytes{},
	}}
}

func (p *Publisher) Completed(ctx context.Context, orderID string) error {
	return p.writer.WriteMessages(ctx, kafka.Message{Key: []byte(orderID), Value: []byte(orderID)})
}
