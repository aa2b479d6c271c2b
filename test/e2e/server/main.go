// A small server for pprof-lens's end-to-end capture tests: net/http/pprof on 127.0.0.1, a map
// that grows on one line each time /grow is hit, the pprof endpoints again behind basic auth
// under /auth, and a /hang prefix whose endpoints never answer. Standard library only.
//
// With -goroutineleak it also serves a "goroutineleak" profile, as Go 1.26+ does (there from a
// GC that finds goroutines blocked on what nothing can reach; here a runtime/pprof custom profile
// of that name holding leaked goroutines' stacks), so /debug/pprof/ lists it as Go 1.26's does.
//
// Usage: server [-addr 127.0.0.1:0] [-user U -password P] [-goroutineleak N]
// Prints "LISTENING http://127.0.0.1:PORT" on stdout once it accepts connections.
package main

import (
	"crypto/subtle"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	rpprof "runtime/pprof"
	"strconv"
	"sync"
)

var (
	mu   sync.Mutex
	leak = map[int][]byte{}
)

// grow adds n entries of 4 KiB to the global map; the allocation that grows is on one line.
func grow(n int) int {
	mu.Lock()
	defer mu.Unlock()
	for i := 0; i < n; i++ {
		leak[len(leak)] = make([]byte, 4096) // GROWTH-LINE
	}
	return len(leak)
}

// leakForever blocks on a channel no one else holds, after recording its stack in the
// goroutineleak profile: the shape Go 1.26's leak detector reports.
func leakForever(p *rpprof.Profile, ready *sync.WaitGroup) {
	ch := make(chan int)
	p.Add(new(byte), 1) // LEAK-LINE: the stack this profile records
	ready.Done()
	<-ch
}

func pprofMux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/debug/pprof/", pprof.Index)
	m.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	m.HandleFunc("/debug/pprof/profile", pprof.Profile)
	m.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	m.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return m
}

func basicAuth(user, password string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(user)) != 1 || subtle.ConstantTimeCompare([]byte(p), []byte(password)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="pprof"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	user := flag.String("user", "gopher", "basic auth user for /auth/debug/pprof/")
	password := flag.String("password", "", "basic auth password for /auth/debug/pprof/ (or env E2E_PPROF_PASSWORD)")
	leaks := flag.Int("goroutineleak", 0, "serve a goroutineleak profile with this many leaked goroutines")
	flag.Parse()
	if *leaks > 0 {
		p := rpprof.NewProfile("goroutineleak")
		var ready sync.WaitGroup
		ready.Add(*leaks)
		for i := 0; i < *leaks; i++ {
			go leakForever(p, &ready)
		}
		ready.Wait()
	}
	if *password == "" {
		*password = os.Getenv("E2E_PPROF_PASSWORD")
	}
	if *password == "" {
		log.Fatal("a password is required (-password or E2E_PPROF_PASSWORD)")
	}
	// Record every allocation so that the heap profiles are exact.
	runtime.MemProfileRate = 1

	root := http.NewServeMux()
	root.Handle("/debug/pprof/", pprofMux())
	root.Handle("/auth/", http.StripPrefix("/auth", basicAuth(*user, *password, pprofMux())))
	root.HandleFunc("/hang/", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; returns when the client gives up
	})
	root.HandleFunc("/grow", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 || n > 1_000_000 {
			http.Error(w, "bad n", http.StatusBadRequest)
			return
		}
		size := grow(n)
		// Heap profiles show the state as of the last completed GC: complete two.
		runtime.GC()
		runtime.GC()
		fmt.Fprintf(w, "%d\n", size)
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("LISTENING http://%s\n", ln.Addr().String())
	log.Fatal(http.Serve(ln, root))
}
