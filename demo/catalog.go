package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Product is one item of the shop's catalog, as the API returns it.
type Product struct {
	ID       int      `json:"id"`
	Name     string   `json:"name"`
	Category string   `json:"category"`
	Price    string   `json:"price"`
	Cents    int      `json:"-"`
	Tags     []string `json:"tags"`
	Stock    int      `json:"stock"`
}

var categories = []string{"books", "games", "garden", "kitchen", "music", "outdoor", "toys", "tools"}

// newCatalog makes n products with deterministic names, prices and tags.
func newCatalog(n int) []Product {
	out := make([]Product, n)
	for i := range out {
		cents := 199 + (i*7919)%50000
		cat := categories[i%len(categories)]
		out[i] = Product{
			ID:       i + 1,
			Name:     fmt.Sprintf("%s item %d", capitalize(cat), i+1),
			Category: cat,
			Cents:    cents,
			Price:    formatPrice(cents),
			Tags:     []string{categories[(i+3)%len(categories)], sku(i)},
			Stock:    (i * 13) % 40,
		}
	}
	return out
}

func sku(i int) string {
	return "sku-" + strconv.Itoa(i*31%997)
}

func capitalize(s string) string {
	return strings.ToUpper(s[:1]) + s[1:]
}

func formatPrice(cents int) string {
	return fmt.Sprintf("$%d.%02d", cents/100, cents%100)
}

type response struct {
	Count    int       `json:"count"`
	Products []Product `json:"products"`
}

// productsHandler serves GET /api/products?q=<text>&sort=price|name&limit=N as JSON.
type productsHandler struct {
	catalog []Product
	cache   *responseCache
}

func (h *productsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.URL.String()
	if body, ok := h.cache.get(key); ok {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
		return
	}
	q := strings.ToLower(r.URL.Query().Get("q"))
	matches := search(h.catalog, q)
	switch r.URL.Query().Get("sort") {
	case "price":
		sort.Slice(matches, func(i, j int) bool {
			return matches[i].Cents < matches[j].Cents
		})
	case "name":
		sort.Slice(matches, func(i, j int) bool {
			return matches[i].Name < matches[j].Name
		})
	}
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err == nil && limit < len(matches) {
		matches = matches[:limit]
	}
	body, err := json.Marshal(response{Count: len(matches), Products: matches})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h.cache.put(key, body)
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// search returns the products whose name, category or tags contain q.
func search(catalog []Product, q string) []Product {
	var out []Product
	for _, p := range catalog {
		name := strings.ToLower(p.Name)
		if q == "" || strings.Contains(name, q) || p.Category == q || hasTag(p, q) {
			out = append(out, p)
		}
	}
	return out
}

func hasTag(p Product, q string) bool {
	for _, t := range p.Tags {
		if strings.Contains(t, q) {
			return true
		}
	}
	return false
}
