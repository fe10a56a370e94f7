# The kiosk's habits. `make run` and `make test` are the two set-up
# commands: each installs what is missing on Debian 12 first.

GO        ?= go
BIN       := bin
STATE     ?= $(CURDIR)/state/sim
export CGO_ENABLED := 1

# Packages that need a display (Ebitengine panics at init without one).
UI_PKGS    = ./ui/... ./cmd/kioskd/...
# Everything else; run with the race detector.
CORE_PKGS  = $(shell $(GO) list ./... | grep -v -e '/ui' -e '/cmd/kioskd')

.PHONY: all setup build run test test-core test-ui lint bench fuzz crashtest crashtest-payments figures face-figures cross test-arm64 test-armv7 deb deb-test apt-repo apt-test screenshots golden security clean

all: build

setup:
	@.ci/setup.sh

VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)

build: setup
	$(GO) build -ldflags "-X main.version=$(VERSION) -X github.com/henan-county/kiosk/cmd/kioskd/internal/cli.version=$(VERSION)" -o $(BIN)/ ./cmd/...

# Brings the kiosk up in simulator mode: simulated card reader and printer
# on pseudo-terminals, countysim on loopback, state in $(STATE). Without a
# display it runs under Xvfb and writes screenshots.
run: build
	@.ci/run-sim.sh "$(STATE)"

test: setup
	$(GO) vet ./...
	$(MAKE) --no-print-directory test-core test-ui
	@if [ -x .ci/security-score.sh ]; then .ci/security-score.sh; fi

test-core:
	$(GO) test -race -timeout 10m $(CORE_PKGS)
	$(GO) test -timeout 5m -run 'TestEncryptedKey' ./cmd/internal/catalogcmd

test-ui:
	xvfb-run -a -s "-screen 0 1920x1920x24" $(GO) test -timeout 10m $(UI_PKGS)

lint: setup
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench: setup
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./kiosk/... ./drivers/...

# Each fuzz target for FUZZTIME (default 60s); the corpus stays in testdata/fuzz.
FUZZTIME ?= 60s
fuzz: setup
	@.ci/fuzz.sh $(FUZZTIME)

crashtest: build
	$(BIN)/crashtest -n 1000

# 300 payments through random SIGKILLs, dropped replies and late
# settlement: none charged twice, none left open (docs/payments.md).
crashtest-payments: build
	$(BIN)/crashtest -payments -n 300 -kill-min 200ms -kill-max 1500ms

# The figures of the resident's screen (first frame, memory, idle CPU,
# frame time, rapid taps) under Xvfb.
figures: build
	@ui/internal/uidemo/figures.sh

# The face check's figures (preview frame rate on the screen, its CPU and
# memory) with the real kioskd and the simulated camera under Xvfb.
face-figures: build
	@.ci/face-figures.sh

cross: setup
	@.ci/cross.sh

test-arm64: setup
	@.ci/test-arm64.sh && .ci/arm64-firstframe.sh

test-armv7: setup
	@ARCH=armhf .ci/test-arm64.sh && ARCH=armhf .ci/arm64-firstframe.sh

deb: setup
	@.ci/deb.sh

# Installs the amd64 package into a throw-away Debian root and checks it.
deb-test: setup
	@.ci/deb-test.sh

# A signed apt repository of the packages (reprepro; .ci/apt-repo.sh):
# suites pilot and stable in $(APT_REPO); this build's packages go to
# $(APT_SUITE). The key: APT_SIGN_KEY=FINGERPRINT (docs/deployment.md).
APT_REPO  ?= $(BIN)/apt
APT_SUITE ?= pilot
apt-repo: setup
	@debs=$$(.ci/deb.sh) && APT_REPO=$(APT_REPO) .ci/apt-repo.sh add $(APT_SUITE) $$debs

# Installs the kiosk from a throw-away repository into a throw-away Debian
# root, then upgrades it (slow: minutes; not part of `make test`).
apt-test: setup
	@.ci/apt-test.sh

screenshots: setup
	xvfb-run -a -s "-screen 0 1920x1920x24" $(GO) test ./ui -run TestGolden -args -screenshots=$(CURDIR)/out/screenshots
	@echo "screenshots in out/screenshots"

# Rewrites every golden file (screens, receipts, CLI output) after an
# intended change; look at the diff before committing it.
golden: setup
	@for d in $$(grep -rl 'flag.Bool("update"' --include=*_test.go . | xargs -n1 dirname | sort -u); do \
		echo "== $$d"; xvfb-run -a -s "-screen 0 1920x1920x24" $(GO) test $$d -count=1 -args -update || exit 1; done

security:
	@.ci/security-score.sh

clean:
	rm -rf $(BIN) out state
