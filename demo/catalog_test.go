package main

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkProducts measures one uncached search + sort + JSON encode.
func BenchmarkProducts(b *testing.B) {
	h := &productsHandler{catalog: newCatalog(2000), cache: newResponseCache()}
	for i := 0; i < b.N; i++ {
		h.cache = newResponseCache()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/products?q=item&sort=name&limit=50", nil))
	}
}

func TestProducts(t *testing.T) {
	h := &productsHandler{catalog: newCatalog(100), cache: newResponseCache()}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/products?q=garden&sort=price", nil))
	if rec.Code != 200 || rec.Body.Len() == 0 {
		t.Fatalf("status %d, %d bytes", rec.Code, rec.Body.Len())
	}
}
