// Command shop serves a small product catalog as JSON, with net/http/pprof on the side.
//
//	go run . -listen 127.0.0.1:6060          serve /api/products and /debug/pprof/
//	go run . -requests 4000 -cpuprofile cpu.pb.gz -heapprofile heap.pb.gz \
//	    -heapbefore heap-before.pb.gz        drive the handler in-process, write profiles
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	_ "net/http/pprof"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
)

func main() {
	listen := flag.String("listen", "", "serve on this address (e.g. 127.0.0.1:6060)")
	requests := flag.Int("requests", 0, "drive this many requests through the handler, then exit")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the requests here")
	heapProfile := flag.String("heapprofile", "", "write a heap profile after the requests here")
	heapBefore := flag.String("heapbefore", "", "write a heap profile after half of the requests here")
	flag.Parse()

	h := &productsHandler{catalog: newCatalog(2000), cache: newResponseCache()}
	http.Handle("/api/products", h)

	if *listen != "" {
		log.Printf("shop: http://%s/api/products?q=garden (pprof: /debug/pprof/)", *listen)
		log.Fatal(http.ListenAndServe(*listen, nil))
	}
	if *requests == 0 {
		flag.Usage()
		os.Exit(2)
	}
	runtime.MemProfileRate = 4096
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	for i := 0; i < *requests; i++ {
		if i == *requests/2 && *heapBefore != "" {
			writeHeap(*heapBefore)
		}
		drive(h, i)
	}
	if *heapProfile != "" {
		writeHeap(*heapProfile)
	}
	fmt.Printf("shop: %d requests, %d cached responses\n", *requests, h.cache.size())
}

// drive sends one request like a browsing client: a search, a sort order and its session id.
func drive(h http.Handler, i int) {
	queries := []string{"", "garden", "item 1", "toys", "sku-4", "kitchen"}
	sorts := []string{"price", "name", ""}
	target := fmt.Sprintf("/api/products?q=%s&sort=%s&limit=50&session=%d",
		url.QueryEscape(queries[i%len(queries)]), sorts[i%len(sorts)], i)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	if rec.Code != http.StatusOK {
		log.Fatalf("%s: %d", target, rec.Code)
	}
}

func writeHeap(path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		log.Fatal(err)
	}
}
