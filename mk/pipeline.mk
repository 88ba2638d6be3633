# The audio pipeline: upload → ObjectCreated → analyzer → result, on the local stack.
.PHONY: test-pipeline bench-pipeline

test-pipeline:
	go test ./shared/recording ./shared/pipelinetest

bench-pipeline:
	bench/pipeline.sh
