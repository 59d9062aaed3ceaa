package main

import (
	"database/sql"
	"log"
	"net/http"

	_ "github.com/lib/pq"

	"github.com/acme/shop/payments/internal/ledger"
)

func main() {
	db, err := sql.Open("postgres", "postgres://payments@shop-db:5432/shop?sslmode=disable")
	if err != nil {
		log.Fatal(err)
	}
	book := ledger.New(db)
	http.HandleFunc("/pay", book.Pay)
	http.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	log.Fatal(http.ListenAndServe(":8080", nil))
}
