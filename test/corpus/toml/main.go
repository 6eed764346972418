// Command toml decodes generated TOML configuration files into structs and into maps with
// github.com/BurntSushi/toml, and encodes them back, for the given duration. Its CPU profile
// is this directory's default.pgo.
//
//	toml -cpuprofile FILE -duration 4s
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Server is one [[servers]] table.
type Server struct {
	Name    string            `toml:"name"`
	Host    string            `toml:"host"`
	Port    int               `toml:"port"`
	Weight  float64           `toml:"weight"`
	Enabled bool              `toml:"enabled"`
	Tags    []string          `toml:"tags"`
	Limits  map[string]int    `toml:"limits"`
	Started time.Time         `toml:"started"`
	Timeout toml.Primitive    `toml:"timeout"`
	Labels  map[string]string `toml:"labels"`
}

// Config is the whole document.
type Config struct {
	Title    string            `toml:"title"`
	Version  int               `toml:"version"`
	Owner    map[string]string `toml:"owner"`
	Database struct {
		Ports   []int     `toml:"ports"`
		Ratios  []float64 `toml:"ratios"`
		MaxConn int       `toml:"max_conn"`
	} `toml:"database"`
	Servers []Server `toml:"servers"`
}

var names = strings.Fields("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu")

func name(r *rand.Rand) string { return names[r.IntN(len(names))] }

func document(r *rand.Rand, id int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# generated configuration %d\ntitle = \"config %s %d\"\nversion = %d\n\n", id, name(r), id, r.IntN(10))
	fmt.Fprintf(&b, "[owner]\nname = \"%s\"\nemail = '%s@example.com'\n\n", name(r), name(r))
	b.WriteString("[database]\nports = [")
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, "%d, ", 8000+r.IntN(1000))
	}
	fmt.Fprintf(&b, "9000]\nratios = [0.5, %d.25, 1e3]\nmax_conn = 1_000\n\n", r.IntN(9))
	for s := 0; s < 12+r.IntN(8); s++ {
		fmt.Fprintf(&b, "[[servers]]\nname = \"%s-%d\"\nhost = \"10.0.%d.%d\"\nport = %d\nweight = %d.%d\nenabled = %v\n",
			name(r), s, r.IntN(255), r.IntN(255), 1024+r.IntN(60000), r.IntN(10), r.IntN(100), r.IntN(2) == 0)
		fmt.Fprintf(&b, "tags = [\"%s\", \"%s\", '''%s''']\n", name(r), name(r), name(r))
		fmt.Fprintf(&b, "started = 2024-0%d-1%dT0%d:30:00Z\ntimeout = \"%ds\"\n", 1+r.IntN(9), r.IntN(10), r.IntN(10), r.IntN(60))
		fmt.Fprintf(&b, "labels = { zone = \"%s\", rack = \"r%d\" }\n", name(r), r.IntN(40))
		fmt.Fprintf(&b, "[servers.limits]\ncpu = %d\nmemory = 0x%x\nfiles = 0o%o\n\n", r.IntN(64), r.IntN(1<<20), r.IntN(4096))
	}
	return b.String()
}

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	duration := flag.Duration("duration", 4*time.Second, "how long to run")
	flag.Parse()

	r := rand.New(rand.NewPCG(5, 6))
	docs := make([]string, 16)
	for i := range docs {
		docs[i] = document(r, i)
	}

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
	var buf bytes.Buffer
	rounds, servers, keys, encoded := 0, 0, 0, 0
	for deadline := time.Now().Add(*duration); time.Now().Before(deadline); rounds++ {
		for _, src := range docs {
			var c Config
			md, err := toml.Decode(src, &c)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			for _, s := range c.Servers {
				var timeout string
				if err := md.PrimitiveDecode(s.Timeout, &timeout); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				if _, err := time.ParseDuration(timeout); err == nil && s.Enabled {
					servers++
				}
			}
			keys += len(md.Keys())
			var generic map[string]any
			if _, err := toml.Decode(src, &generic); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			buf.Reset()
			if err := toml.NewEncoder(&buf).Encode(generic); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			encoded += buf.Len()
		}
	}
	pprof.StopCPUProfile()
	fmt.Printf("%d rounds, %d enabled servers, %d keys, %d bytes encoded\n", rounds, servers, keys, encoded)
}
