package payments

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
)

const fraudURL = "http://fraud:8080/v1/score"

type Service struct {
	db        *pgxpool.Pool
	publisher *Publisher
}

type Payment struct {
	OrderID     string `json:"order_id"`
	AmountCents int64  `json:"amount_cents"`
}

func NewService(db *pgxpool.Pool, publisher *Publisher) *Service {
	return &Service{db: db, publisher: publisher}
}

func (s *Service) Create(c *gin.Context) {
	var p Payment
	if err := c.BindJSON(&p); err != nil {
		return
	}
	body, _ := json.Marshal(p)
	resp, err := http.Post(fraudURL, "application/json", bytes.NewReader(body))
	if err != nil {
		c.AbortWithStatus(http.StatusBadGateway)
		return
	}
	resp.Body.Close()

	_, err = s.db.Exec(c, `INSERT INTO payments (order_id, amount_cents, status) VALUES ($1, $2, 'CAPTURED')`, p.OrderID, p.AmountCents)
	if err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	if err := s.publisher.Completed(c, p.OrderID); err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.Status(http.StatusCreated)
}
