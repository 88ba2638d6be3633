# The SPA in web/: unit tests (Vitest), production build, and the browser end-to-end run.
.PHONY: web-deps web-test web-build e2e

# npm ci, tried up to three times: a registry connection that stalls halfway should not fail a build.
NPM_CI = for i in 1 2 3; do npm ci --no-audit --no-fund --fetch-retries=4 && break; \
	  [ $$i = 3 ] && exit 1; echo "npm ci failed (attempt $$i of 3); retrying" >&2; sleep $${NPM_RETRY_PAUSE:-10}; done

# npm ci only when the lockfile changed since the last install.
web/node_modules/.ci-stamp: web/package-lock.json
	cd web && $(NPM_CI)
	touch $@

web-deps: web/node_modules/.ci-stamp

web-test: web-deps
	cd web && npx vitest run

web-build: web-deps
	cd web && npm run build

# Needs chromium (apt-get install -y chromium), espeak-ng and sox; starts the local stack on a free port.
e2e: web-build
	cd web && node e2e/run.mjs

test:: web-test

lint:: web-deps
	cd web && npx tsc --noEmit
