module github.com/example/shop

go 1.21
