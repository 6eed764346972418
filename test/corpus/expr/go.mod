module example.com/corpus/expr

go 1.23

require github.com/expr-lang/expr v1.17.8
