package ledger

import (
	"database/sql"
	"net/http"
)

type Book struct {
	db *sql.DB
}

func New(db *sql.DB) *Book {
	return &Book{db: db}
}

func (b *Book) Pay(w http.ResponseWriter, r *http.Request) {
	orderID := r.URL.Query().Get("order")
	if _, err := b.db.ExecContext(r.Context(), "INSERT INTO ledger_entries (order_id, kind) VALUES ($1, 'payment')", orderID); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}
