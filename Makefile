# Rosterdesk. The two commands a new developer needs:
#   make run    set up what is missing, build, and open the app on a demo workspace
#   make test   set up what is missing and run every test (Go, front end, browser end-to-end, window screenshot)
# Everything it needs comes from Debian's packages, the Go module proxy and the npm registry.

SHELL        := /bin/bash
GO           ?= go
WAILS_VERSION := v2.16.0
GOBIN        := $(shell $(GO) env GOPATH)/bin
WAILS        := $(GOBIN)/wails
TAGS         := webkit2_41
VERSION      ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS      := -X github.com/rosterdesk/rosterdesk/backend/cli.Version=$(VERSION)
APT_PACKAGES := libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config xvfb xauth xdotool imagemagick chromium sqlite3 unzip time openbox wmctrl \
	openssh-server gnome-keyring dbus-daemon libreoffice-calc-nogui cron poppler-utils jq
# What make dist needs besides: the Windows installer's compiler, a reader of .exe files to check them.
DIST_APT_PACKAGES := nsis p7zip-full
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_WS      := build/demo/workspace.db
BIN          := build/bin/rosterdesk
DEV_BIN      := build/bin/rosterdesk-dev

.PHONY: run test deps apt wails-cli npm bindings frontend build build-dev test-go test-frontend test-e2e test-window test-windows dist dist-deps bench bench-scale fuzz clean

## setup -------------------------------------------------------------------------------------------

deps: apt wails-cli npm

# Installs only the Debian packages that are missing (apt-get update once, then install).
apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# The Wails CLI pinned: @latest resolves to a release that does not compile with current Go.
wails-cli:
	@$(WAILS) version 2>/dev/null | grep -q '$(WAILS_VERSION)' || { echo "Installing Wails CLI $(WAILS_VERSION)"; $(GO) install github.com/wailsapp/wails/v2/cmd/wails@$(WAILS_VERSION); }

# npm ci when the lockfile changed since the last install.
npm: frontend/node_modules/.installed
frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

## build -------------------------------------------------------------------------------------------

# TypeScript bindings for the bound Go facades (backend/api).
bindings: wails-cli
	$(WAILS) generate module -tags $(TAGS) >/dev/null

frontend: npm bindings
	cd frontend && npm run build

build: deps frontend
	$(GO) build -tags desktop,production,$(TAGS) -ldflags "-w -s $(LDFLAGS)" -o $(BIN) .

# Development build: serves the front end from frontend/dist with live Go bindings on a local port,
# so a browser can drive the real backend (see scripts/e2e.sh).
build-dev: deps frontend
	$(GO) build -tags dev,$(TAGS) -ldflags "$(LDFLAGS)" -o $(DEV_BIN) .

## the two commands --------------------------------------------------------------------------------

run: build
	@[ -f $(DEMO_WS) ] || $(BIN) demo --workspace $(DEMO_WS)
	$(BIN) --workspace $(DEMO_WS)

test: deps
	@scripts/test-all.sh

## parts of make test ------------------------------------------------------------------------------

test-go:
	$(GO) test ./...

test-frontend: npm
	cd frontend && npm test

test-e2e: build-dev
	scripts/e2e.sh

test-window: build
	scripts/window-smoke.sh

# The Windows program built as make dist builds it (from the built front end, without the installer)
# and under 25 MiB, its console launcher compiled, and the Windows build passing go vet: make test
# runs it so that Windows, and the size target, never break unseen.
test-windows:
	DIST_ONLY=windows VERSION=$(VERSION) GO=$(GO) scripts/dist.sh
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -o /dev/null ./build/windows/launcher
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) vet -tags desktop,production,nethttpomithttp2 ./...

## release -----------------------------------------------------------------------------------------

# build/dist/: the Linux binary, the Windows program and its installer, SHA256SUMS; checked, installed
# under Wine when wine is there (scripts/dist-wine.sh), with their sizes and the time to the first
# painted window (scripts/dist.sh). macOS: scripts/dist-macos.sh on a Mac.
dist: deps dist-deps frontend
	VERSION=$(VERSION) TAGS=$(TAGS) GO=$(GO) scripts/dist.sh

dist-deps:
	@$(MAKE) --no-print-directory apt APT_PACKAGES="$(DIST_APT_PACKAGES)"

## figures -----------------------------------------------------------------------------------------

# Last, the scale run: each step's time and peak memory at SCALE_STUDENTS students (scripts/bench-scale.sh).
SCALE_STUDENTS ?= 100000 1000000
bench: build build-dev
	scripts/bench.sh
	SCALE_STUDENTS="$(SCALE_STUDENTS)" scripts/bench-scale.sh

bench-scale: build
	SCALE_STUDENTS="$(SCALE_STUDENTS)" scripts/bench-scale.sh

# Every Go fuzz target for FUZZTIME each, one after another (scripts/fuzz.sh lists them).
FUZZTIME ?= 60s
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

clean:
	rm -rf build/bin build/test build/bench build/bench-scale build/demo build/dist frontend/dist/assets frontend/dist/index.html
