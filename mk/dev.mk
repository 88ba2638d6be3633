# The local stack: `make dev` builds the SPA (when web/ exists) and runs everything on one port.
# The stand-ins (DynamoDB Local, cognito-local) fetch themselves into .cache/ on first start.
# PORT (default 8080) and DATA_DIR (default .data/) are read by cmd/devstack.
.PHONY: dev dev-spa

dev: dev-spa
	go build -o build/devstack ./cmd/devstack
	./build/devstack

# npm ci only when the lock file is newer than the last install (same stamp as mk/web.mk).
dev-spa:
	@if [ -f web/package.json ]; then \
	  if [ ! -f web/node_modules/.ci-stamp ] || [ web/package-lock.json -nt web/node_modules/.ci-stamp ]; then \
	    (cd web && $(NPM_CI)) && touch web/node_modules/.ci-stamp; \
	  fi; \
	  cd web && npm run build; \
	fi
