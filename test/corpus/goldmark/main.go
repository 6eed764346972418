// Command goldmark renders generated Markdown documents to HTML with github.com/yuin/goldmark
// (CommonMark plus the GFM, footnote, definition-list and typographer extensions) and walks
// the parsed trees, for the given duration. Its CPU profile is this directory's default.pgo.
//
//	goldmark -cpuprofile FILE -duration 4s
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

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

var words = strings.Fields(`profile guided optimization inlines hot calls and devirtualizes interface
	methods when the samples say so the compiler reads default pgo from the main package directory
	markdown parser renderer block inline node walker heading list table quote code fence link image`)

func word(r *rand.Rand) string { return words[r.IntN(len(words))] }

// sentence writes a sentence with inline markup: emphasis, code spans, links, autolinks.
func sentence(b *strings.Builder, r *rand.Rand) {
	n := 6 + r.IntN(10)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		w := word(r)
		switch r.IntN(14) {
		case 0:
			fmt.Fprintf(b, "*%s*", w)
		case 1:
			fmt.Fprintf(b, "**%s**", w)
		case 2:
			fmt.Fprintf(b, "`%s()`", w)
		case 3:
			fmt.Fprintf(b, "[%s](https://example.com/%s \"%s\")", w, w, w)
		case 4:
			fmt.Fprintf(b, "~~%s~~", w)
		case 5:
			fmt.Fprintf(b, "https://example.com/%s/%d", w, r.IntN(100))
		case 6:
			fmt.Fprintf(b, "\"%s\" -- %s...", w, word(r))
		default:
			b.WriteString(w)
		}
	}
	b.WriteString(". ")
}

// document generates one Markdown document of every block kind.
func document(r *rand.Rand, id int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# Document %d: %s %s\n\n", id, word(r), word(r))
	for s := 0; s < 6; s++ {
		fmt.Fprintf(&b, "## %s %s\n\n", word(r), word(r))
		for p := 0; p < 2+r.IntN(3); p++ {
			for k := 0; k < 3; k++ {
				sentence(&b, r)
			}
			if r.IntN(3) == 0 {
				fmt.Fprintf(&b, "See the note[^%d-%d].", s, p)
			}
			b.WriteString("\n\n")
		}
		switch s % 4 {
		case 0:
			for i := 0; i < 5; i++ {
				fmt.Fprintf(&b, "- [%c] ", " x"[r.IntN(2)])
				sentence(&b, r)
				b.WriteString("\n")
				if i%2 == 0 {
					b.WriteString("  1. ")
					sentence(&b, r)
					b.WriteString("\n")
				}
			}
		case 1:
			b.WriteString("| name | value | note |\n|:-----|------:|:----:|\n")
			for i := 0; i < 8; i++ {
				fmt.Fprintf(&b, "| %s | %d | *%s* `%s` |\n", word(r), r.IntN(1000), word(r), word(r))
			}
		case 2:
			b.WriteString("> ")
			sentence(&b, r)
			b.WriteString("\n> > ")
			sentence(&b, r)
			b.WriteString("\n\n```go\nfunc hot(x int) int {\n\treturn x * 2 // ")
			b.WriteString(word(r))
			b.WriteString("\n}\n```\n")
		case 3:
			for i := 0; i < 3; i++ {
				fmt.Fprintf(&b, "%s\n:   ", word(r))
				sentence(&b, r)
				b.WriteString("\n\n")
			}
		}
		b.WriteString("\n")
		for p := 0; p < 4; p++ {
			if r.IntN(3) == 0 {
				fmt.Fprintf(&b, "[^%d-%d]: ", s, p)
				sentence(&b, r)
				b.WriteString("\n")
			}
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// census walks a parsed document and counts its nodes by kind.
func census(doc ast.Node, counts map[ast.NodeKind]int) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			counts[n.Kind()]++
			if n.Type() == ast.TypeInline && n.NextSibling() != nil {
				counts[n.NextSibling().Kind()] += 0
			}
		}
		return ast.WalkContinue, nil
	})
}

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	duration := flag.Duration("duration", 4*time.Second, "how long to run")
	flag.Parse()

	r := rand.New(rand.NewPCG(1, 2))
	docs := make([][]byte, 24)
	for i := range docs {
		docs[i] = document(r, i)
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
		goldmark.WithRendererOptions(html.WithUnsafe(), html.WithXHTML()),
	)

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
	var out bytes.Buffer
	counts := map[ast.NodeKind]int{}
	rounds, bytesOut := 0, 0
	for deadline := time.Now().Add(*duration); time.Now().Before(deadline); rounds++ {
		for _, src := range docs {
			out.Reset()
			if err := md.Convert(src, &out); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			bytesOut += out.Len()
			census(md.Parser().Parse(text.NewReader(src)), counts)
		}
	}
	pprof.StopCPUProfile()
	fmt.Printf("%d rounds, %d bytes of HTML, %d node kinds\n", rounds, bytesOut, len(counts))
}
