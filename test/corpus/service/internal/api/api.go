// Package api serves the catalog over HTTP with a chi router.
package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/tidwall/pretty"

	"example.com/corpus/service/internal/catalog"
)

// Server is the HTTP face of a store.
type Server struct {
	store    *catalog.Store
	requests atomic.Int64
}

// New returns the server's handler.
func New(store *catalog.Store) (*Server, http.Handler) {
	s := &Server{store: store}
	r := chi.NewRouter()
	r.Use(middleware.StripSlashes, s.count)
	r.Route("/api/v1", func(r chi.Router) {
		r.Get("/products/{id}", s.product)
		r.Get("/products/{id}/{field}", s.productField)
		r.Put("/products/{id}", s.putProduct)
		r.Get("/search", s.search)
		r.Get("/stats/{category}", s.stats)
	})
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	return s, r
}

// Requests is the number of requests served.
func (s *Server) Requests() int64 { return s.requests.Load() }

func (s *Server) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, raw []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(pretty.Ugly(raw))
}

func writeError(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	if errors.Is(err, catalog.ErrNotFound) {
		status = http.StatusNotFound
	}
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	writeJSON(w, status, b)
}

func (s *Server) product(w http.ResponseWriter, r *http.Request) {
	v, err := s.store.Get(chi.URLParam(r, "id"), r.URL.Query().Get("path"))
	if err != nil {
		writeError(w, err)
		return
	}
	if r.URL.Query().Get("pretty") != "" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(pretty.Pretty([]byte(v.Raw)))
		return
	}
	writeJSON(w, http.StatusOK, []byte(v.Raw))
}

func (s *Server) productField(w http.ResponseWriter, r *http.Request) {
	v, err := s.store.Get(chi.URLParam(r, "id"), chi.URLParam(r, "field"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, []byte(v.Raw))
}

func (s *Server) putProduct(w http.ResponseWriter, r *http.Request) {
	var doc json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&doc); err != nil {
		writeError(w, err)
		return
	}
	if err := s.store.Put(chi.URLParam(r, "id"), doc); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// search: /search?q=category=books&q=price<20&pick=id,name&limit=10
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var filters []catalog.Filter
	for _, c := range q["q"] {
		f, ok := parseFilter(c)
		if !ok {
			writeError(w, errors.New("bad filter "+strconv.Quote(c)))
			return
		}
		filters = append(filters, f)
	}
	pick := strings.Split(q.Get("pick"), ",")
	limit, _ := strconv.Atoi(q.Get("limit"))
	ids, picked := s.store.Search(filters, pick, limit)
	type hit struct {
		ID     string         `json:"id"`
		Fields map[string]any `json:"fields"`
	}
	hits := make([]hit, len(ids))
	for i, id := range ids {
		hits[i] = hit{ID: id, Fields: map[string]any{}}
		for j, p := range pick {
			hits[i].Fields[p] = picked[i][j].Value()
		}
	}
	b, err := json.Marshal(map[string]any{"count": len(hits), "hits": hits})
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func parseFilter(c string) (catalog.Filter, bool) {
	for _, op := range []string{" has ", "=", "<", ">"} {
		if i := strings.Index(c, op); i > 0 {
			return catalog.Filter{Path: c[:i], Op: strings.TrimSpace(op), Value: c[i+len(op):]}, true
		}
	}
	return catalog.Filter{}, false
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	n, sum, max := s.store.Stats(chi.URLParam(r, "category"), r.URL.Query().Get("path"))
	b, err := json.Marshal(map[string]any{"n": n, "sum": sum, "max": max})
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}
