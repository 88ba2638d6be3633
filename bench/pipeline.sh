#!/usr/bin/env bash
# Upload → result of a 60 s chunk (plus its 8 s lead) on the local stack (DynamoDB Local, embedded S3, analyzer
# in-process): p50/p95/max over the runs. Target: ≤ 2 s.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-buildvcs=false
go test -run '^$' -bench BenchmarkUploadToResult60s -benchtime "${RUNS:-30}x" ./bench/pipeline
