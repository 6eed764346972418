module example.com/corpus/toml

go 1.23

require github.com/BurntSushi/toml v1.6.0
