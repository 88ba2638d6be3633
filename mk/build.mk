# make build: every folder under functions/ becomes build/<name>/bootstrap, the Lambda asset the CDK
# stack points at (provided.al2023 on arm64). One go build for all of them shares the compile work.
.PHONY: build
LAMBDA_MAX_BYTES := 15728640 # 15 MB, the design's cap per binary

build:
	@set -euo pipefail; \
	dirs=$$(find functions -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort); \
	if [ -z "$$dirs" ]; then echo "build: no folders under functions/"; exit 0; fi; \
	rm -rf build/.bin && mkdir -p build/.bin; \
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -ldflags='-s -w' \
		-o build/.bin/ $$(for d in $$dirs; do printf './%s ' "$$d"; done); \
	too_big=0; \
	for d in $$dirs; do \
		name=$$(basename "$$d"); \
		mkdir -p "build/$$name"; mv "build/.bin/$$name" "build/$$name/bootstrap"; \
		size=$$(stat -c %s "build/$$name/bootstrap"); \
		printf '%-30s %8d bytes  %5.1f MB\n' "$$name" "$$size" "$$(awk -v s=$$size 'BEGIN{print s/1048576}')"; \
		if [ "$$size" -gt $(LAMBDA_MAX_BYTES) ]; then echo "build: $$name is over 15 MB" >&2; too_big=1; fi; \
	done; \
	rm -rf build/.bin; \
	exit $$too_big
