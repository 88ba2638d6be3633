# Infrastructure: the CDK app in infra/ (its own Go module, so the Lambdas' module stays free of CDK).
#   make synth [STAGE=prod] [CDK_CONTEXT='-c domainName=… -c certificateArn=…']   → cdk.out/ or $CDK_OUTDIR
#   make deploy [STAGE=prod]   needs AWS credentials and a bootstrapped account (see infra/README.md)
#   make infra-test            the stack's tests (also part of make test)
.PHONY: synth deploy diff infra-test infra-lint

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CDK_DISABLE_CLI_TELEMETRY := true
STAGE ?= dev
CDK_CONTEXT ?=
CDK_OUTDIR ?= cdk.out
CDK_CLI := npx --yes aws-cdk@2.1148.1
CDK_APP := .cache/cdk-app

# The app runs from the repository root, so build/, functions/ and cdk.out/ resolve from here.
$(CDK_APP): FORCE
	@mkdir -p $(dir $@)
	go -C infra build -o ../$(CDK_APP) ./cmd/app

# Assets are named by content hash: clear the previous synth's so cdk.out holds only the current ones.
synth: build $(CDK_APP)
	@rm -rf $(CDK_OUTDIR)/asset.*
	@start=$$(date +%s.%N); \
	CDK_OUTDIR=$(CDK_OUTDIR) $(CDK_APP) -c stage=$(STAGE) $(CDK_CONTEXT); \
	echo "synth: $(CDK_OUTDIR)/$$(ls $(CDK_OUTDIR) | grep -m1 '\.template\.json$$') in $$(awk -v s=$$start -v e=$$(date +%s.%N) 'BEGIN{printf "%.1f", e-s}') s"

diff: build
	$(CDK_CLI) diff --no-notices -c stage=$(STAGE) $(CDK_CONTEXT)

deploy: build
	$(CDK_CLI) deploy --no-notices -c stage=$(STAGE) $(CDK_CONTEXT) --require-approval broadening

INFRA_TEST = cd infra && go vet ./... && go test ./...
INFRA_LINT = cd infra && { test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt needed in infra/"; exit 1; }; } && go vet ./... && go tool staticcheck ./...

infra-test:
	$(INFRA_TEST)

infra-lint:
	$(INFRA_LINT)

# Cold, the CDK tests take about a minute and 1 GB (the jsii runtime starts node and loads aws-cdk-lib).
test::
	$(INFRA_TEST)

lint::
	$(INFRA_LINT)

.PHONY: FORCE
FORCE:
