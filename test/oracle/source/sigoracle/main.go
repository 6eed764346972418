// Command sigoracle prints, for the packages named on the command line (resolved by `go list`
// in the current directory), every declared function's signature and every called
// function-value's type, grouped by types.Identical (receivers ignored, underlying types of the
// called values, as the PGO devirtualizer compares them). It is the oracle for the source
// index's normalized `signature` / `funcType` strings (test/oracle/source/signatures.test.ts).
// The packages and all their dependencies are type-checked from source (std only, no modules
// beyond the one in the current directory).
//
// Output: one JSON object per line:
//
//	{"kind":"func","name":"F","file":"/abs/f.go","line":12,"col":6,"group":3}  a declared func/method (position of its name)
//	{"kind":"call","file":"/abs/f.go","line":40,"col":9,"group":3}     a call of a function value (position of "(")
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

type listed struct {
	ImportPath string
	Dir        string
	Name       string
	GoFiles    []string
	ImportMap  map[string]string
	DepOnly    bool
}

type out struct {
	Kind  string `json:"kind"`
	Name  string `json:"name,omitempty"`
	File  string `json:"file"`
	Line  int    `json:"line"`
	Col   int    `json:"col"`
	Group int    `json:"group"`
}

func main() {
	args := append([]string{"list", "-e", "-json", "-deps"}, os.Args[1:]...)
	cmd := exec.Command("go", args...)
	cmd.Stderr = os.Stderr
	data, err := cmd.Output()
	if err != nil {
		fail(err)
	}
	// Every package of the closure is checked from source, in go list's dependency order, so
	// that a type is the same object whichever package refers to it.
	var all []listed
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			fail(err)
		}
		all = append(all, p)
	}
	fset := token.NewFileSet()
	checked := map[string]*types.Package{"unsafe": types.Unsafe}
	importerFor := func(p listed) types.Importer {
		return importerFunc(func(path string) (*types.Package, error) {
			if m, ok := p.ImportMap[path]; ok {
				path = m // vendored
			}
			if p := checked[path]; p != nil {
				return p, nil
			}
			return nil, fmt.Errorf("%s not checked yet", path)
		})
	}
	var sigs []*types.Signature
	var outs []out
	add := func(kind, name string, pos token.Pos, sig *types.Signature) {
		p := fset.PositionFor(pos, false) // physical positions (not //line)
		// strip the receiver: types.Identical ignores it anyway, but keep the spelling plain
		s := types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic())
		g := -1
		for i, t := range sigs {
			if types.Identical(t, s) {
				g = i
				break
			}
		}
		if g < 0 {
			g = len(sigs)
			sigs = append(sigs, s)
		}
		outs = append(outs, out{kind, name, p.Filename, p.Line, p.Column, g})
	}
	for _, p := range all {
		if p.ImportPath == "unsafe" {
			continue
		}
		var files []*ast.File
		for _, name := range p.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				fail(err)
			}
			files = append(files, f)
		}
		info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
		conf := types.Config{Importer: importerFor(p), Error: func(error) {}, FakeImportC: true}
		path := p.ImportPath
		if p.Name == "main" && !p.DepOnly {
			path = "main"
		}
		pkg, err := conf.Check(path, fset, files, info)
		if err != nil && !p.DepOnly {
			fmt.Fprintf(os.Stderr, "sigoracle: %s: %v\n", p.ImportPath, err)
		}
		checked[p.ImportPath] = pkg
		if p.DepOnly {
			continue
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncDecl:
					if fn, ok := info.Defs[n.Name].(*types.Func); ok && n.Body != nil {
						sig := fn.Type().(*types.Signature)
						if sig.TypeParams().Len() == 0 && (sig.Recv() == nil || sig.RecvTypeParams().Len() == 0) {
							add("func", n.Name.Name, n.Name.Pos(), sig)
						}
					}
				case *ast.CallExpr:
					if isFuncValue(info, n.Fun) {
						if tv, ok := info.Types[n.Fun]; ok {
							if sig, ok := tv.Type.Underlying().(*types.Signature); ok && !hasTypeParams(sig) {
								add("call", "", n.Lparen, sig)
							}
						}
					}
				}
				return true
			})
		}
	}
	enc := json.NewEncoder(os.Stdout)
	for _, o := range outs {
		enc.Encode(o)
	}
}

// isFuncValue: the call is not of a declared function, a method, a conversion or a builtin.
func isFuncValue(info *types.Info, fun ast.Expr) bool {
	fun = ast.Unparen(fun)
	if tv, ok := info.Types[fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		return false
	}
	switch f := fun.(type) {
	case *ast.Ident:
		_, isVar := info.Uses[f].(*types.Var)
		return isVar
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[f]; ok {
			return sel.Kind() == types.FieldVal
		}
		_, isVar := info.Uses[f.Sel].(*types.Var)
		return isVar
	case *ast.IndexExpr:
		if tv, ok := info.Types[f.X]; ok {
			switch tv.Type.Underlying().(type) {
			case *types.Slice, *types.Array, *types.Map, *types.Pointer:
				return true
			}
		}
		return false
	case *ast.FuncLit, *ast.IndexListExpr:
		return false
	}
	return true
}

func hasTypeParams(sig *types.Signature) bool {
	found := false
	var walk func(t types.Type)
	seen := map[types.Type]bool{}
	walk = func(t types.Type) {
		if found || seen[t] {
			return
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.TypeParam:
			found = true
		case *types.Pointer:
			walk(t.Elem())
		case *types.Slice:
			walk(t.Elem())
		case *types.Array:
			walk(t.Elem())
		case *types.Map:
			walk(t.Key())
			walk(t.Elem())
		case *types.Chan:
			walk(t.Elem())
		case *types.Signature:
			for i := 0; i < t.Params().Len(); i++ {
				walk(t.Params().At(i).Type())
			}
			for i := 0; i < t.Results().Len(); i++ {
				walk(t.Results().At(i).Type())
			}
		case *types.Named:
			for i := 0; i < t.TypeArgs().Len(); i++ {
				walk(t.TypeArgs().At(i))
			}
		case *types.Struct:
			for i := 0; i < t.NumFields(); i++ {
				walk(t.Field(i).Type())
			}
		}
	}
	walk(sig)
	return found
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sigoracle:", err)
	os.Exit(1)
}
