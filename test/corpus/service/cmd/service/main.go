// Command service runs the catalog HTTP service on 127.0.0.1 (a random port) and, in the same
// process, two load generators against it for the given duration. Its CPU profile is this
// directory's default.pgo.
//
//	service -cpuprofile FILE -duration 4s
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"example.com/corpus/service/internal/api"
	"example.com/corpus/service/internal/catalog"
	"example.com/corpus/service/internal/load"
)

const products = 600

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	duration := flag.Duration("duration", 4*time.Second, "how long to run")
	flag.Parse()

	srv, handler := api.New(catalog.New(42, products))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 10 * time.Second}

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	deadline := time.Now().Add(*duration)
	var wg sync.WaitGroup
	results := make([]load.Result, 2)
	errs := make([]error, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = load.Run(client, base, uint64(i+1), products, deadline)
		}()
	}
	wg.Wait()
	pprof.StopCPUProfile()
	_ = hs.Close()
	total := load.Result{}
	for i, r := range results {
		if errs[i] != nil {
			fmt.Fprintln(os.Stderr, errs[i])
			os.Exit(1)
		}
		total.Requests += r.Requests
		total.Bytes += r.Bytes
		total.Errors += r.Errors
	}
	fmt.Printf("%d requests (%d served), %d bytes, %d errors\n", total.Requests, srv.Requests(), total.Bytes, total.Errors)
}
