# Bulwark's front door. `make test` and `make run` work on a fresh Debian 12 machine: they
# install what is missing (scripts/install-deps), configure, build and run.

BUILD_DIR ?= build
ASAN_DIR ?= build-asan
FUZZ_DIR ?= build-fuzz
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 30

CMAKE_CONFIGURE = cmake -S . -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

.PHONY: all deps interop-deps browser-deps build test test-asan bench run demo fuzz clean

all: build

deps:
	@scripts/install-deps

# The interop peers' Node packages, each exactly as pinned in its folder's package-lock.json:
# libsignal (AGPL, test-only: tests/interop/README.md) and ts-mls (MIT, test-only:
# tests/interop/mls/README.md). Each is skipped when already installed.
INTEROP_DIR = tests/interop
MLS_INTEROP_DIR = tests/interop/mls
interop-deps: deps
	@test -d $(INTEROP_DIR)/node_modules/@signalapp/libsignal-client || \
	  npm ci --prefix $(INTEROP_DIR) --no-audit --no-fund
	@test -d $(MLS_INTEROP_DIR)/node_modules/ts-mls || \
	  npm ci --prefix $(MLS_INTEROP_DIR) --no-audit --no-fund

# playwright-core for the web preview's browser tests (tests/browser; the browser itself is
# Debian's chromium, from deps), exactly as pinned in its package-lock.json. Skipped when
# already installed.
BROWSER_DIR = tests/browser
browser-deps: deps
	@test -d $(BROWSER_DIR)/node_modules/playwright-core || \
	  npm ci --prefix $(BROWSER_DIR) --no-audit --no-fund

$(BUILD_DIR)/build.ninja: | deps
	$(CMAKE_CONFIGURE) -B $(BUILD_DIR)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Every test: unit, known-answer, vectors, constant-time (valgrind), lint, fuzz replays, browser.
test: build interop-deps browser-deps
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# The unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer. Valgrind checks
# cannot run under ASan, and the million-iteration X25519 vector (pure libsodium, already run by
# `make test`) is left out to keep CI short.
test-asan: deps interop-deps browser-deps
	$(CMAKE_CONFIGURE) -B $(ASAN_DIR) -DBULWARK_SANITIZE=ON -DBULWARK_BUILD_BENCH=OFF
	cmake --build $(ASAN_DIR) -j $(JOBS)
	ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS) -LE valgrind \
	  -E 'X25519Test.IteratedMillion'

# Crypto primitives, then issue 3's session benchmark against libsignal-client on Node (its
# Node side needs `make interop-deps`), issue 5's key transparency at a million accounts,
# issue 7's franking (report verification, stamping) and policy rules, the lawful requests,
# issue 10's store thread per relayed message (bulwark-bench-store), then the server's goals,
# then issue 6's channels (fan-out to ~19,000 online subscribers and an offline subscriber's
# catch-up), then issue 9's MLS groups at 1,000 members against ts-mls (its Node side needs
# `make interop-deps` too), then issue 10's peer scenario against ejabberd, interleaved
# (bench/compare-ejabberd, docs/BENCHMARKS.md; the peers' harness installs ejabberd): three
# rounds each, because one round on a shared machine says little either way (the tables give
# the spread); then issue 10's two-node cluster latency (bulwark-loadgen-cluster: PostgreSQL,
# NATS, same-node against cross-node delivery; docs/BENCHMARKS.md "Cluster latency"). The
# benchmarks are built here, not by `make test` (except bulwark-bench-mls, whose 50-member
# smoke test ctest runs, and bulwark-bench-store's and the loadgens', whose short runs ctest runs
# too).
BENCH_TARGETS = bulwark-bench-crypto bulwark-bench-session bulwark-bench-kt bulwark-bench-franking \
  bulwark-bench-lawful bulwark-bench-moderation bulwark-bench-store bulwark-loadgen bulwark-sync-stall bulwark-bench-write-floor bulwark-bench-channel \
  bulwark-bench-mls bulwark-loadgen-peer bulwark-loadgen-cluster
bench: build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target $(BENCH_TARGETS)
	$(BUILD_DIR)/bench/bulwark-bench-crypto
	$(BUILD_DIR)/bench/bulwark-bench-session
	$(BUILD_DIR)/bench/bulwark-bench-kt
	$(BUILD_DIR)/bench/bulwark-bench-franking
	$(BUILD_DIR)/bench/bulwark-bench-moderation
	$(BUILD_DIR)/bench/bulwark-bench-lawful
	$(BUILD_DIR)/bench/bulwark-bench-store --benchmark_min_time=2
	$(BUILD_DIR)/bench/loadgen/bulwark-loadgen --server-bin $(BUILD_DIR)/src/server/bulwark-server \
	  --repeat 3 --franking-slices 6
	$(BUILD_DIR)/bench/channel/bulwark-bench-write-floor
	$(BUILD_DIR)/bench/channel/bulwark-bench-channel \
	  --server-bin $(BUILD_DIR)/src/server/bulwark-server --repeat 3
	$(BUILD_DIR)/bench/bulwark-bench-mls
	BUILD_DIR=$(BUILD_DIR) bench/compare-ejabberd
	$(BUILD_DIR)/bench/loadgen/bulwark-loadgen-cluster \
	  --server-bin $(BUILD_DIR)/src/server/bulwark-server --results-dir bench/results

# libFuzzer runs (clang), FUZZ_SECONDS per target.
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -G Ninja -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DBULWARK_LIBFUZZER=ON -DBULWARK_BUILD_BENCH=OFF
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets
	scripts/run-fuzzers $(FUZZ_DIR) $(FUZZ_SECONDS)

# The server in the foreground on SQLite (./bulwark-data), TLS on 127.0.0.1:8443 with a
# self-signed certificate made on first start; verification codes are printed on this console.
# Ctrl-C stops it cleanly. RUN_ARGS adds flags, e.g. RUN_ARGS='--listen 0.0.0.0:8443'.
RUN_DATA_DIR ?= bulwark-data
run: build
	@echo "Starting bulwark-server (data in $(RUN_DATA_DIR); Ctrl-C stops it)."
	@echo "Clients: $(BUILD_DIR)/src/cli/bulwark --server wss://127.0.0.1:8443 --ca-file $(RUN_DATA_DIR)/tls/cert.pem register +PHONE"
	$(BUILD_DIR)/src/server/bulwark-server --data-dir $(RUN_DATA_DIR) $(RUN_ARGS)

# Two local accounts exchange messages through a freshly started server (scripts/demo).
demo: build
	scripts/demo $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)
