# Woodshed. `make dev` runs the whole service locally; `make test` runs every test.
SHELL := /bin/bash
export GOFLAGS := -buildvcs=false

.PHONY: dev test lint build

# Each part of the project adds its own recipes to these double-colon targets in mk/*.mk.
test::
	go vet ./...
	go test ./...

lint::
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	go vet ./...
	go tool staticcheck ./...

include $(wildcard mk/*.mk)
