// Command expr evaluates a fixed set of github.com/expr-lang/expr programs (compiled once,
// run by one reused VM) over generated orders, and compiles a few expressions per round, for
// the given duration. Its CPU profile is this directory's default.pgo.
//
//	expr -cpuprofile FILE -duration 4s
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Item is a line of an order.
type Item struct {
	SKU      string
	Price    float64
	Quantity int
	Tags     []string
}

// Customer places orders.
type Customer struct {
	Name    string
	Country string
	Tier    int
}

// Order is the environment of every program.
type Order struct {
	ID       int
	Customer Customer
	Items    []Item
	Coupon   string
	Meta     map[string]any
}

// Total is a method the programs call.
func (o Order) Total() float64 {
	t := 0.0
	for _, it := range o.Items {
		t += it.Price * float64(it.Quantity)
	}
	return t
}

// Discount is a method with an argument.
func (o Order) Discount(rate float64) float64 { return o.Total() * rate }

var programs = []string{
	`Customer.Tier >= 2 && Total() > 100 ? Discount(0.1) : 0.0`,
	`sum(Items, .Price * .Quantity) > 250 and Customer.Country in ["DE", "FR", "NL"]`,
	`filter(Items, .Quantity > 2 && "sale" in .Tags) | map(.SKU) | len()`,
	`all(Items, .Price > 1.5) || any(Items, hasPrefix(.SKU, "X"))`,
	`upper(Customer.Name) + "-" + string(ID) + (Coupon != "" ? "-" + lower(Coupon) : "")`,
	`reduce(Items, #acc + .Quantity * (.Price > 20 ? 2 : 1), 0)`,
	`Meta.priority == "high" or (Meta.retries ?? 0) > 2 or len(Items) > 6`,
	`count(Items, "fragile" in .Tags) * 3 + int(Total()) % 7`,
	`join(map(sortBy(Items, .Price), .SKU), ",") contains "X1"`,
	`let t = Total(); t > 50 && t < 500 ? round(t * 1.19) : floor(t)`,
}

var tags = []string{"sale", "fragile", "new", "bulk", "gift"}
var countries = []string{"DE", "FR", "NL", "US", "JP", "BR"}

func order(r *rand.Rand, id int) Order {
	o := Order{
		ID:       id,
		Customer: Customer{Name: fmt.Sprintf("customer%d", r.IntN(500)), Country: countries[r.IntN(len(countries))], Tier: r.IntN(4)},
		Meta:     map[string]any{"priority": []string{"low", "high"}[r.IntN(2)], "retries": r.IntN(5)},
	}
	if r.IntN(3) == 0 {
		o.Coupon = "SAVE" + fmt.Sprint(r.IntN(50))
	}
	for i, n := 0, 1+r.IntN(9); i < n; i++ {
		it := Item{SKU: fmt.Sprintf("%c%d", "XYZ"[r.IntN(3)], r.IntN(90)), Price: float64(r.IntN(5000)) / 100, Quantity: 1 + r.IntN(5)}
		for _, t := range tags {
			if r.IntN(3) == 0 {
				it.Tags = append(it.Tags, t)
			}
		}
		o.Items = append(o.Items, it)
	}
	return o
}

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	duration := flag.Duration("duration", 4*time.Second, "how long to run")
	flag.Parse()

	r := rand.New(rand.NewPCG(3, 4))
	orders := make([]Order, 400)
	for i := range orders {
		orders[i] = order(r, i)
	}
	compiled := make([]*vm.Program, len(programs))
	for i, src := range programs {
		p, err := expr.Compile(src, expr.Env(Order{}))
		if err != nil {
			fmt.Fprintf(os.Stderr, "program %d: %v\n", i, err)
			os.Exit(1)
		}
		compiled[i] = p
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
	var machine vm.VM
	rounds, truthy, chars := 0, 0, 0
	for deadline := time.Now().Add(*duration); time.Now().Before(deadline); rounds++ {
		for i := range orders {
			for _, p := range compiled {
				out, err := machine.Run(p, orders[i])
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				switch v := out.(type) {
				case bool:
					if v {
						truthy++
					}
				case string:
					chars += len(v)
				}
			}
		}
		// Compiling is part of the workload too: parser, checker, optimizer, compiler.
		src := programs[rounds%len(programs)]
		if _, err := expr.Compile(strings.Replace(src, "Total()", "Total() + 1", 1), expr.Env(Order{})); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	pprof.StopCPUProfile()
	fmt.Printf("%d rounds, %d true, %d chars\n", rounds, truthy, chars)
}
