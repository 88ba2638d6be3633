# The SPA in web/: unit tests (Vitest), production build, and the browser end-to-end run.
.PHONY: web-deps web-test web-build e2e

# npm ci only when the lockfile changed since the last install.
web/node_modules/.ci-stamp: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
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
