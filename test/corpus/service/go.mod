module example.com/corpus/service

go 1.24

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/tidwall/gjson v1.20.4
	github.com/tidwall/pretty v1.3.0
)

require github.com/tidwall/match v1.1.1 // indirect
