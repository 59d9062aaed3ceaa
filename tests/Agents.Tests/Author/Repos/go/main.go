package main

import (
	"fmt"
	"log"
	"net/http"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/stock", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, `{"sku":"A1","count":3}`)
	})
	log.Fatal(http.ListenAndServe(":8080", mux))
}
