// Package load drives a catalog server with a deterministic mix of requests.
package load

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

// Result counts what a run did.
type Result struct {
	Requests int
	Bytes    int
	Errors   int
}

var fields = []string{"name", "price", "stock", "rating.avg", "variants.#.color", "tags.0"}
var searches = []string{
	"q=category%3Dbooks&q=price%3C50&pick=id,name,price&limit=20",
	"q=stock%3E10&q=rating.avg%3E2&pick=id,rating.count,variants.%23.size&limit=40",
	"q=variants.%23.color+has+red&pick=id,variants.0.ean&limit=10",
	"q=tags+has+t3&pick=name,category",
}

// Run sends requests to base (http://127.0.0.1:port) with client until the deadline.
func Run(client *http.Client, base string, seed uint64, n int, deadline time.Time) (Result, error) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b9))
	var res Result
	for time.Now().Before(deadline) {
		var req *http.Request
		var err error
		id := fmt.Sprintf("p%04d", r.IntN(n))
		switch k := r.IntN(20); {
		case k < 6:
			req, err = http.NewRequest(http.MethodGet, base+"/api/v1/products/"+id, nil)
		case k < 10:
			req, err = http.NewRequest(http.MethodGet, base+"/api/v1/products/"+id+"/"+url.PathEscape(fields[r.IntN(len(fields))]), nil)
		case k < 11:
			req, err = http.NewRequest(http.MethodGet, base+"/api/v1/products/"+id+"?pretty=1", nil)
		case k < 16:
			req, err = http.NewRequest(http.MethodGet, base+"/api/v1/search?"+searches[r.IntN(len(searches))], nil)
		case k < 18:
			req, err = http.NewRequest(http.MethodGet, base+"/api/v1/stats/books?path=variants.%23.size", nil)
		default:
			body := fmt.Sprintf(`{"id":%q,"name":"updated %d","category":"tools","price":%d.5,"stock":%d,"variants":[{"color":"red","size":40,"ean":"0"}],"rating":{"avg":3.5,"count":1},"tags":["t1"]}`,
				id, r.IntN(1000), r.IntN(100), r.IntN(30))
			req, err = http.NewRequest(http.MethodPut, base+"/api/v1/products/"+id, bytes.NewReader([]byte(body)))
		}
		if err != nil {
			return res, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return res, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return res, err
		}
		res.Requests++
		res.Bytes += len(b)
		if resp.StatusCode >= 300 {
			res.Errors++
		}
	}
	return res, nil
}
