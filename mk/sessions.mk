# Profiles, practice sessions and statistics: the dashboard benchmark against the local stack.
.PHONY: bench-dashboard

# p50/p99 of the dashboard handler (direct and through the local API Gateway) for a user with a
# year of practice on DynamoDB Local; results are reported as p50-ms and p99-ms.
BENCH_DASHBOARD_N ?= 500x
bench-dashboard:
	go test ./shared/app -run '^$$' -bench Dashboard -benchtime $(BENCH_DASHBOARD_N) -cpu 1,4 | grep -E 'Benchmark|ns/op|^ok|FAIL'
