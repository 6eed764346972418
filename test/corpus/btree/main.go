// Command btree inserts, looks up, iterates and deletes generated keys in github.com/google/btree
// trees, for the given duration: the interface-based BTree (items are btree.Int and a struct
// type, compared through Item.Less), the generic BTreeG with a less function and the ordered
// BTreeG[int]. Its CPU profile is this directory's default.pgo.
//
//	btree -cpuprofile FILE -duration 4s
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"time"

	"github.com/google/btree"
)

// Event is an item ordered by time, then by id.
type Event struct {
	At int64
	ID uint32
}

// Less implements btree.Item.
func (e Event) Less(than btree.Item) bool {
	o := than.(Event)
	return e.At < o.At || e.At == o.At && e.ID < o.ID
}

func lessEvent(a, b Event) bool { return a.At < b.At || a.At == b.At && a.ID < b.ID }

// interfaceTree exercises the Item-based tree: Less is an interface call.
func interfaceTree(r *rand.Rand, n int) int {
	events := btree.New(16)
	ints := btree.New(8)
	for i := 0; i < n; i++ {
		events.ReplaceOrInsert(Event{At: r.Int64N(1 << 20), ID: uint32(i)})
		ints.ReplaceOrInsert(btree.Int(r.IntN(1 << 16)))
	}
	hits := 0
	for i := 0; i < n; i++ {
		if ints.Has(btree.Int(r.IntN(1 << 16))) {
			hits++
		}
	}
	events.AscendRange(Event{At: 1 << 18}, Event{At: 1 << 19}, func(it btree.Item) bool {
		hits += int(it.(Event).ID & 1)
		return true
	})
	for i := 0; i < n/2; i++ {
		ints.Delete(btree.Int(r.IntN(1 << 16)))
		events.DeleteMin()
	}
	return hits + ints.Len() + events.Len()
}

// genericTree exercises BTreeG with a less function and with an ordered type.
func genericTree(r *rand.Rand, n int) int {
	events := btree.NewG[Event](32, lessEvent)
	ints := btree.NewOrderedG[int](32)
	for i := 0; i < n; i++ {
		events.ReplaceOrInsert(Event{At: r.Int64N(1 << 20), ID: uint32(i)})
		ints.ReplaceOrInsert(r.IntN(1 << 16))
	}
	hits := 0
	for i := 0; i < n; i++ {
		if _, ok := events.Get(Event{At: r.Int64N(1 << 20)}); ok {
			hits++
		}
		if ints.Has(r.IntN(1 << 16)) {
			hits++
		}
	}
	ints.Ascend(func(k int) bool {
		hits += k & 1
		return k < 1<<15
	})
	clone := ints.Clone()
	for i := 0; i < n/2; i++ {
		clone.Delete(r.IntN(1 << 16))
		events.DeleteMax()
	}
	return hits + clone.Len() + events.Len()
}

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	duration := flag.Duration("duration", 4*time.Second, "how long to run")
	flag.Parse()

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
	r := rand.New(rand.NewPCG(7, 8))
	rounds, sum := 0, 0
	for deadline := time.Now().Add(*duration); time.Now().Before(deadline); rounds++ {
		sum += interfaceTree(r, 20000)
		sum += genericTree(r, 20000)
	}
	pprof.StopCPUProfile()
	fmt.Printf("%d rounds, checksum %d\n", rounds, sum)
}
