// Package catalog stores product documents as raw JSON and queries them with gjson paths.
package catalog

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"

	"github.com/tidwall/gjson"
)

// ErrNotFound is returned for an unknown id.
var ErrNotFound = errors.New("catalog: no such product")

// Store holds documents by id.
type Store struct {
	mu   sync.RWMutex
	docs map[string][]byte
	ids  []string
}

// New returns a store with n generated products (deterministic for a seed).
func New(seed uint64, n int) *Store {
	r := rand.New(rand.NewPCG(seed, seed+1))
	s := &Store{docs: map[string][]byte{}}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("p%04d", i)
		if err := s.Put(id, generate(r, id)); err != nil {
			panic(err)
		}
	}
	return s
}

var categories = []string{"books", "games", "garden", "kitchen", "music", "tools"}
var colors = []string{"red", "green", "blue", "black", "white"}

func generate(r *rand.Rand, id string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"id":%q,"name":"product %s","category":%q,"price":%d.%02d,"stock":%d,`,
		id, id, categories[r.IntN(len(categories))], r.IntN(200), r.IntN(100), r.IntN(50))
	b.WriteString(`"variants":[`)
	for v := 0; v < 1+r.IntN(5); v++ {
		if v > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"color":%q,"size":%d,"ean":"%013d"}`, colors[r.IntN(len(colors))], 36+r.IntN(12), r.Int64N(1e13))
	}
	fmt.Fprintf(&b, `],"rating":{"avg":%d.%d,"count":%d},"tags":["t%d","t%d"]}`, r.IntN(5), r.IntN(10), r.IntN(900), r.IntN(20), r.IntN(20))
	return []byte(b.String())
}

// Put validates and stores a document.
func (s *Store) Put(id string, doc []byte) error {
	if !gjson.ValidBytes(doc) {
		return fmt.Errorf("catalog: %s: invalid JSON", id)
	}
	if got := gjson.GetBytes(doc, "id").String(); got != id {
		return fmt.Errorf("catalog: document id %q, want %q", got, id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.docs[id]; !ok {
		s.ids = append(s.ids, id)
		sort.Strings(s.ids)
	}
	s.docs[id] = doc
	return nil
}

// Get returns a document, or the value at path inside it when path is not empty.
func (s *Store) Get(id, path string) (gjson.Result, error) {
	s.mu.RLock()
	doc, ok := s.docs[id]
	s.mu.RUnlock()
	if !ok {
		return gjson.Result{}, ErrNotFound
	}
	if path == "" {
		return gjson.ParseBytes(doc), nil
	}
	return gjson.GetBytes(doc, path), nil
}

// Filter is one condition of a search: the value at Path compared with Value.
type Filter struct {
	Path  string
	Op    string // "=", "<", ">", "has"
	Value string
}

func (f Filter) match(doc []byte) bool {
	v := gjson.GetBytes(doc, f.Path)
	switch f.Op {
	case "=":
		return v.String() == f.Value
	case "<":
		return v.Float() < gjson.Parse(f.Value).Float()
	case ">":
		return v.Float() > gjson.Parse(f.Value).Float()
	case "has":
		found := false
		v.ForEach(func(_, e gjson.Result) bool {
			found = e.String() == f.Value
			return !found
		})
		return found
	}
	return false
}

// Search returns the ids of documents matching every filter, and the fields picked from them.
func (s *Store) Search(filters []Filter, pick []string, limit int) (ids []string, picked [][]gjson.Result) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, id := range s.ids {
		doc := s.docs[id]
		ok := true
		for _, f := range filters {
			if !f.match(doc) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		ids = append(ids, id)
		picked = append(picked, gjson.GetManyBytes(doc, pick...))
		if len(ids) == limit {
			break
		}
	}
	return ids, picked
}

// Stats aggregates a numeric path over all documents of a category.
func (s *Store) Stats(category, path string) (n int, sum, max float64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, doc := range s.docs {
		if gjson.GetBytes(doc, "category").String() != category {
			continue
		}
		gjson.GetBytes(doc, path).ForEach(func(_, v gjson.Result) bool {
			n++
			sum += v.Float()
			if v.Float() > max {
				max = v.Float()
			}
			return true
		})
	}
	return n, sum, max
}
