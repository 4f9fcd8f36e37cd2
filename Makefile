# Kefu Dojo — build, serve and test. Every target installs what it needs on a fresh Debian
# machine with the Rust toolchain (see ../shared/contract.md §1 and README.md).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8080
TARGET := wasm32-unknown-unknown
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)
# The wasm-bindgen CLI must match the library version pinned in Cargo.lock exactly.
WB_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/"/,"",$$3); print $$3}' Cargo.lock)
TOOLS := tests/browser/node_modules
WASM_OPT := $(TOOLS)/.bin/wasm-opt
CHROMIUM ?= /usr/bin/chromium
# The native CLI that builds dist/ and checks the scenarios: optimised by default; `make test`
# uses the dev build its own tests have just made (the same code, without a second, optimised
# build of the CLI and its server dependencies: minutes on a fresh machine).
KEFU_PROFILE ?= release
KEFU = target/$(if $(filter dev,$(KEFU_PROFILE)),debug,$(KEFU_PROFILE))/kefu
# The dev CLI is built as the integration tests build it (with the dev-dependencies' features),
# so after `cargo test` this is a no-op rather than a second build of the CLI's dependencies.
KEFU_BUILD = $(if $(filter dev,$(KEFU_PROFILE)),cargo test --no-run --test check_cli,cargo build --profile $(KEFU_PROFILE) --bin kefu)

.PHONY: help setup-wasm setup-node setup-browser dist serve lighthouse test test-native test-scenarios test-browser eval golden bench clean setup-lrs lrs

help:
	@echo "make serve   build the app and serve it at http://127.0.0.1:$(PORT)"
	@echo "make test    run every test (native, scenario check, browser)"
	@echo "make dist    write the static site to dist/ and print its download size"
	@echo "make eval    scorer precision/recall/F1 on the labelled sets (tuning and locked validation)"
	@echo "make golden  rewrite the judge's golden expectations (after reviewing the diff)"
	@echo "make bench   scorer speed; the dashboard's aggregation at 200 trainees × 50 sessions"
	@echo "make lighthouse  Lighthouse 12.2.3 (mobile and desktop) against kefu serve dist: scores reported"
	@echo "make lrs     run Ralph, an xAPI Learning Record Store, at http://127.0.0.1:$(LRS_PORT)/xAPI/ (README: LRS)"

# --- tools -------------------------------------------------------------------------------

setup-wasm:
	@rustup target list --installed | grep -qx $(TARGET) || rustup target add $(TARGET)
	@rustup component list --installed | grep -q "^clippy" || rustup component add clippy
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WB_VERSION)" ]; then \
	  echo "Installing wasm-bindgen-cli $(WB_VERSION) (matches Cargo.lock; takes a few minutes)…"; \
	  cargo install wasm-bindgen-cli --version "$(WB_VERSION)" --locked \
	    || cargo install wasm-bindgen-cli --version "$(WB_VERSION)"; \
	fi

# playwright-core (browser tests) and binaryen's wasm-opt, pinned by tests/browser/package-lock.json.
setup-node:
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js (apt-get install -y nodejs npm)"; exit 1; }
	@if [ ! -x $(WASM_OPT) ] || [ ! -d $(TOOLS)/playwright-core ] || [ ! -d $(TOOLS)/@codemirror/view ] || [ tests/browser/package-lock.json -nt $(TOOLS)/.package-lock.json ]; then \
	  cd tests/browser && npm ci --no-audit --no-fund; \
	fi

setup-browser:
	@if [ ! -x $(CHROMIUM) ] || ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy'; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei; \
	  elif [ ! -x $(CHROMIUM) ]; then \
	    echo "Browser tests need Debian's Chromium. Run as root:"; \
	    echo "  apt-get install -y chromium chromium-driver fonts-wqy-microhei"; exit 1; \
	  fi; \
	fi

# --- build -------------------------------------------------------------------------------

# The app (the library, play, feedback, history: no scorer, no TOML parser, no checker) and, in
# dist/engine/, the engine: a Web Worker script (crates/engine/worker.js) and two modules it
# imports, the scorer (kefu_score: play) and the checker (kefu_check: opened files), so that
# scoring and checking never run on the page and play never downloads the checker. The shipped library is checked here, by the same code, into
# dist/scenarios/library.json; the .toml files are copied beside it.
WASM_OPT_FLAGS := -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue

dist: setup-wasm setup-node
	$(KEFU_BUILD)
	rm -rf dist && mkdir -p dist/scenarios dist/engine
	@# Five modules: the app (kefu-app, which has no judge in its dependencies: every page but
	@# the dashboard), its library module (kefu-app without `full`: the first load) and its
	@# dashboard module (kefu-app with `team` alone: #/team), the scorer (kefu-engine) and the
	@# checker (kefu-engine --features check), each bound right after its build.
	cargo build --profile wasm --target $(TARGET) -p kefu-app --no-default-features --features full
	wasm-bindgen --target web --no-typescript --out-dir dist --out-name kefu_dojo \
	  target/$(TARGET)/wasm/kefu_app.wasm
	@# The same crate without its features: the library page alone (the first load); its
	@# snippets are bound apart (dist/lite/) and moved beside the full module's once hashed.
	cargo build --profile wasm --target $(TARGET) -p kefu-app --no-default-features
	wasm-bindgen --target web --no-typescript --out-dir dist/lite --out-name kefu_library \
	  target/$(TARGET)/wasm/kefu_app.wasm
	@# With `team` alone: the trainer's dashboard (#/team) alone, bound apart likewise (dist/team/).
	cargo build --profile wasm --target $(TARGET) -p kefu-app --no-default-features --features team
	wasm-bindgen --target web --no-typescript --out-dir dist/team --out-name kefu_team \
	  target/$(TARGET)/wasm/kefu_app.wasm
	cargo build --profile wasm --target $(TARGET) -p kefu-engine
	wasm-bindgen --target web --no-typescript --out-dir dist/engine --out-name kefu_score \
	  target/$(TARGET)/wasm/kefu_engine.wasm
	cargo build --profile wasm --target $(TARGET) -p kefu-engine --features check
	wasm-bindgen --target web --no-typescript --out-dir dist/engine --out-name kefu_check \
	  target/$(TARGET)/wasm/kefu_engine.wasm
	cp crates/engine/worker.js dist/engine/kefu_worker.js
	@# The trainer studio (studio/: CodeMirror 6 and the map), one ES module imported only by #/studio.
	node studio/build.mjs dist/studio.js
	@# The five modules optimised at once (one process each; CI has two cores), each waited for.
	pids=""; for f in dist/kefu_dojo_bg.wasm dist/lite/kefu_library_bg.wasm dist/team/kefu_team_bg.wasm dist/engine/kefu_score_bg.wasm dist/engine/kefu_check_bg.wasm; do \
	  $(WASM_OPT) $(WASM_OPT_FLAGS) $$f -o $$f & pids="$$pids $$!"; done; \
	  for p in $$pids; do wait $$p; done
	@# Name every file of code by its content (kefu_dojo.<hash>.js, kefu_dojo_bg.<hash>.wasm, the
	@# snippets and the engine likewise), so a host may cache them forever and a browser never mixes
	@# files of two builds: a file that names another (the app's .js its snippets and its .wasm, the
	@# engine's .js its .wasm, index.html the app, the worker and the engine) is rewritten before it is hashed.
	@# index.html's whole-line `// ` comments (its inline scripts', for readers of the source) are
	@# left out of dist/: bytes of the first load (#19).
	@# wasm-bindgen imports a snippet in single quotes and, when an import takes only JS values, a
	@# second time as `import * as … from "…"`: both are rewritten (not the import object's keys,
	@# which are the wasm's own module names), and the check below fails the build on either left.
	@h() { sha256sum "$$1" | cut -c1-16; }; \
	  app() { local dir=$$1 name=$$2 f d n x; \
	    for f in $$dir/snippets/*/*.js; do \
	      [ -e "$$f" ] || continue; \
	      d=$$(basename "$$(dirname "$$f")"); n=$$(basename "$$f" .js); x=$$(h "$$f"); \
	      mkdir -p dist/snippets/$$d; mv "$$f" "dist/snippets/$$d/$$n.$$x.js"; \
	      sed -i -e "s#/snippets/$$d/$$n\.js'#/snippets/$$d/$$n.$$x.js'#g" \
	        -e "s#from \"\./snippets/$$d/$$n\.js\"#from \"./snippets/$$d/$$n.$$x.js\"#g" $$dir/$$name.js; \
	    done; \
	    w=$${name}_bg.$$(h $$dir/$${name}_bg.wasm).wasm; mv $$dir/$${name}_bg.wasm dist/$$w; \
	    sed -i "s#'$${name}_bg\.wasm'#'$$w'#g" $$dir/$$name.js; \
	    j=$$name.$$(h $$dir/$$name.js).js; mv $$dir/$$name.js dist/$$j; }; \
	  app dist kefu_dojo; aj=$$j; aw=$$w; \
	  app dist/lite kefu_library; lj=$$j; lw=$$w; rm -r dist/lite; \
	  app dist/team kefu_team; tj=$$j; tw=$$w; rm -r dist/team; j=$$aj; w=$$aw; \
	  for m in score check; do \
	    ew=kefu_$${m}_bg.$$(h dist/engine/kefu_$${m}_bg.wasm).wasm; mv dist/engine/kefu_$${m}_bg.wasm dist/engine/$$ew; \
	    sed -i "s#'kefu_$${m}_bg\.wasm'#'$$ew'#g" dist/engine/kefu_$$m.js; \
	    ej=kefu_$$m.$$(h dist/engine/kefu_$$m.js).js; mv dist/engine/kefu_$$m.js dist/engine/$$ej; \
	    eval "ej_$$m=$$ej ew_$$m=$$ew"; done; \
	  wj=kefu_worker.$$(h dist/engine/kefu_worker.js).js; mv dist/engine/kefu_worker.js dist/engine/$$wj; \
	  sj=studio.$$(h dist/studio.js).js; mv dist/studio.js dist/$$sj; \
	  sed -e '/^[[:space:]]*\/\/ /d' -e "s#KEFU_APP_JS#$$j#g" -e "s#KEFU_APP_WASM#$$w#g" -e "s#KEFU_WORKER_JS#engine/$$wj#g" \
	    -e "s#KEFU_LITE_JS#$$lj#g" -e "s#KEFU_LITE_WASM#$$lw#g" -e "s#KEFU_TEAM_JS#$$tj#g" -e "s#KEFU_TEAM_WASM#$$tw#g" \
	    -e "s#KEFU_SCORER_WASM#engine/$$ew_score#g" -e "s#KEFU_CHECKER_WASM#engine/$$ew_check#g" \
	    -e "s#KEFU_SCORER_JS#engine/$$ej_score#g" -e "s#KEFU_CHECKER_JS#engine/$$ej_check#g" -e "s#KEFU_STUDIO_JS#$$sj#g" index.html > dist/index.html; \
	  if grep -nE "KEFU_[A-Z_]+|['/]kefu_(dojo|library|team|score|check|worker)(_bg\.wasm|\.js)'|/inline[0-9]+\.js'|from \"[^\"]*/inline[0-9]+\.js\"" dist/index.html dist/*.js dist/engine/*.js dist/snippets/*/*.js; then \
	    echo "make dist: a file above still names an unhashed file"; exit 1; fi; \
	  echo "content-hashed: $$lj $$lw $$j $$w $$tj $$tw engine/$$wj engine/$$ej_score engine/$$ej_check $$sj"
	cp scenarios/*.toml dist/scenarios/
	mkdir -p dist/exams && cp exams/*.toml dist/exams/
	cd dist/scenarios && ls *.toml | LC_ALL=C sort | awk 'BEGIN{printf "["} {printf "%s\"%s\"", (NR>1?",":""), $$0} END{print "]"}' > index.json
	@# A broken file is listed in the bundle with its messages (exit 1), as the app shows it. The
	@# first screen has only the cards (cards.json, inline in index.html: each scenario without its dialogue); the
	@# whole bundle (library.json) when the exam or the history is opened.
	@# The exams (exams/*.toml) are checked against the scenarios into the same bundle.
	$(KEFU) bundle scenarios exams > dist/scenarios/library.json || [ $$? -eq 1 ]
	$(KEFU) bundle --cards scenarios exams > dist/scenarios/cards.json 2>/dev/null || [ $$? -eq 1 ]
	@# Each scenario on its own (scenarios/one/ID.json): what play fetches, not the whole library.
	rm -rf dist/scenarios/one
	$(KEFU) bundle --each dist/scenarios/one scenarios exams || [ $$? -eq 1 ]
	@# The library page as static HTML in index.html (#17): the cards inline and the page in each
	@# UI language, shown before the library module runs and replaced by its first render.
	$(KEFU) prerender dist/scenarios/cards.json dist/index.html
	@# The .br (brotli 11) and .gz (gzip -9) variants `kefu serve` (or any good host) sends.
	@# The deploying team's settings (docs/xapi.md; null: no LRS, nothing leaves the browser).
	@# No compressed variant is written for it (nor scenarios/index.json): a team edits it in place.
	cp config.json dist/config.json
	$(KEFU) compress dist > /dev/null
	@size() { if [ -f "$$1.$$2" ]; then wc -c < "$$1.$$2"; else wc -c < "$$1"; fi; }; \
	  table() { local b=0 g=0; for f in "$$@"; do x=$$(size $$f br); y=$$(size $$f gz); b=$$((b+x)); g=$$((g+y)); \
	    printf '  %-68s %8d %8d\n' $$f $$x $$y; done; \
	    printf '  %-68s %8d %8d bytes (%d KB brotli, %d KB gzip)\n' TOTAL $$b $$g $$((b/1024)) $$((g/1024)); }; \
	  lite=$$(grep -oE 'snippets/[^"'"'"']*\.[0-9a-f]{16}\.js' dist/kefu_library.*.js | sort -u | sed 's#^#dist/#'); \
	  printf '%-70s %8s %8s\n' "Download on first load: the library module (bytes):" brotli gzip; \
	  table dist/index.html dist/kefu_library.*.js $$lite dist/kefu_library_bg.*.wasm dist/scenarios/index.json; \
	  printf '%-70s %8s %8s\n' "The full app, prefetched on intent or idle, run on any other page but #/team:" brotli gzip; \
	  table dist/kefu_dojo.*.js $$(grep -oE 'snippets/[^"'"'"']*\.[0-9a-f]{16}\.js' dist/kefu_dojo.*.js | sort -u | sed 's#^#dist/#' | grep -vxF "$$lite") dist/kefu_dojo_bg.*.wasm; \
	  printf '%-70s %8s %8s\n' "The trainer's dashboard, loaded only when #/team opens:" brotli gzip; \
	  table dist/kefu_team.*.js $$(grep -oE 'snippets/[^"'"'"']*\.[0-9a-f]{16}\.js' dist/kefu_team.*.js | sort -u | sed 's#^#dist/#' | grep -vxF "$$lite") dist/kefu_team_bg.*.wasm; \
	  printf '%-70s %8s %8s\n' "A scenario on its own, when played or on intent (the largest):" brotli gzip; \
	  table $$(ls -S dist/scenarios/one/*.json | head -n 1); \
	  printf '%-70s %8s %8s\n' "The whole library, when the exam or the history opens:" brotli gzip; \
	  table dist/scenarios/library.json; \
	  printf '%-70s %8s %8s\n' "The scorer, prefetched on intent (a card hovered or focused, idle) or play:" brotli gzip; \
	  table dist/engine/kefu_worker.*.js dist/engine/kefu_score.*.js dist/engine/kefu_score_bg.*.wasm; \
	  printf '%-70s %8s %8s\n' "The checker, loaded only when a scenario file is opened:" brotli gzip; \
	  table dist/engine/kefu_check.*.js dist/engine/kefu_check_bg.*.wasm; \
	  printf '%-70s %8s %8s\n' "The trainer studio, loaded only when #/studio opens:" brotli gzip; \
	  table dist/studio.*.js

# kefu serve: pre-compressed brotli/gzip, application/wasm, immutable caching for hashed files,
# revalidation for index.html (src/serve.rs). It prints the address it listens on.
serve: dist
	$(KEFU) serve dist --port $(PORT)

# Lighthouse (npm lighthouse@12.2.3, pinned in tests/browser/package-lock.json) with Debian's
# Chromium against `kefu serve dist`, mobile and desktop presets: scores and metrics reported.
lighthouse: dist setup-browser
	cd tests/browser && CHROMIUM=$(CHROMIUM) node lighthouse.mjs

# --- tests -------------------------------------------------------------------------------

test: KEFU_PROFILE = dev
test: test-native test-scenarios test-browser
	@echo "make test: all passed"

# The tests lint as they build: clippy-driver compiles the workspace's own crates in place of
# rustc (what `cargo clippy` runs, but it also writes the code), with every warning an error.
# So `cargo test` is clippy on every native target (tests, examples, benches) and the wasm32
# builds of `make dist` are clippy on the browser crates, without compiling anything twice.
# Dependencies are built by plain rustc and are not linted.
test test-native test-scenarios test-browser: export RUSTC_WORKSPACE_WRAPPER = clippy-driver
test test-native test-scenarios test-browser: export CLIPPY_ARGS = -Dwarnings

# Every crate's tests natively (the app's pure parts included), linted as above.
test-native: setup-wasm
	cargo test --workspace --all-targets

test-scenarios:
	$(KEFU_BUILD)
	$(KEFU) check scenarios/ exams/

# The files whose assertions time the page (long tasks, the ms until an error shows, layout
# shift) or lean on the app's own time budgets (app: an added file checked within the checker's
# budget; room2: local files checked within it, on open and at start) run one at a time with
# nothing beside them (beside another file on 2 cores, room2's checks ran over budget); then
# the others two at a time, the longest (samples) first. Each file serves dist/ (and starts Ralph) on a free port of its own, and a
# file spends much of its time waiting (the customer's reading pause, page loads), so two
# files share the two cores without slowing each other much.
BROWSER_TIMED := abuse.test.mjs app.test.mjs load.test.mjs room2.test.mjs studio.test.mjs
BROWSER_REST := samples.test.mjs $(filter-out samples.test.mjs $(BROWSER_TIMED),$(notdir $(wildcard tests/browser/*.test.mjs)))
test-browser: dist setup-browser setup-lrs
	cd tests/browser && export CHROMIUM=$(CHROMIUM) DIST=../../dist KEFU=$(abspath $(KEFU)) RALPH_VENV=$(abspath $(LRS_VENV)) && \
	  node --test --test-reporter=spec --test-concurrency=1 $(BROWSER_TIMED) && \
	  node --test --test-reporter=spec --test-concurrency=2 $(BROWSER_REST)

# The judge's figures: the trainee corpus (tuning, then the locked validation part), our older
# labelled set, and ../shared/eval's public sets (regression guards only).
# The tuning part is reported out of fold (heads trained on the other four fifths: src/learn.rs).
eval:
	cargo run --release --example eval

# The judge's learned component (blame, rudeness, empathy, explain, ownership, solution,
# follow_up, jargon, close): data/model/learned.txt (a compact text form, learned::write) from
# the trainee corpus's tuning part only (examples/train.rs; deterministic). Then `make eval`.
.PHONY: train
train:
	cargo run --example train

# After reviewing what `cargo test --test golden` printed: write the judge's new expectations.
golden:
	UPDATE_GOLDEN=1 cargo test --test golden

bench:
	cargo run --release --example bench
	cargo run --release --example cohort

clean:
	rm -rf dist target

# --- LRS ---------------------------------------------------------------------------------

# Ralph (PyPI ralph-malph, an open-source xAPI Learning Record Store) in a local virtual
# environment: the browser tests send statements to it (tests/browser/lrs.test.mjs) and `make lrs`
# runs it for people trying the product. ~100 s on this machine, 86 MB. Its dependencies are pinned
# by scripts/ralph-constraints.txt.
LRS_VENV := .venv-lrs
RALPH_VERSION := 5.1.0
LRS_PORT ?= 8100
LRS_DIR ?= .lrs
LRS_USER ?= kefu
LRS_PASSWORD ?= kefu-dojo
setup-lrs:
	@if ! $(LRS_VENV)/bin/ralph --version 2>/dev/null | grep -q "$(RALPH_VERSION)"; then \
	  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	    else echo "The LRS tests need Python's venv. Run as root: apt-get install -y python3-venv"; exit 1; fi; \
	  fi; \
	  echo "Installing Ralph $(RALPH_VERSION) into $(LRS_VENV) (about two minutes)…"; \
	  rm -rf $(LRS_VENV) && python3 -m venv $(LRS_VENV) && \
	  $(LRS_VENV)/bin/pip install -q -c scripts/ralph-constraints.txt 'ralph-malph[cli,lrs]==$(RALPH_VERSION)' requests; \
	fi

# Ralph on the file system (LRS_DIR), at 127.0.0.1:LRS_PORT, accepting the app served by
# `make serve` (http://127.0.0.1:PORT and localhost), with scopes enforced (Ralph 5.1.0:
# RALPH_LRS_RESTRICT_BY_SCOPES needs RALPH_LRS_RESTRICT_BY_AUTHORITY). Two users: LRS_USER /
# LRS_PASSWORD can only write statements (for Settings or dist/config.json, which anyone can
# read); LRS_TRAINER / LRS_TRAINER_PASSWORD can do everything (the dashboard, #/team).
# scripts/ralph_fs.py: Ralph's app with its fs backend appending (5.1.0's refuses a second write).
LRS_TRAINER ?= trainer
LRS_TRAINER_PASSWORD ?= kefu-trainer
lrs: setup-lrs
	@mkdir -p $(LRS_DIR)/data
	@export RALPH_APP_DIR=$(abspath $(LRS_DIR)) RALPH_RUNSERVER_BACKEND=fs \
	  RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=$(abspath $(LRS_DIR))/data \
	  RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH=$(abspath $(LRS_DIR))/data \
	  RALPH_LRS_RESTRICT_BY_SCOPES=true RALPH_LRS_RESTRICT_BY_AUTHORITY=true \
	  RALPH_RUNSERVER_CORS_ALLOW_ORIGINS='["http://127.0.0.1:$(PORT)","http://localhost:$(PORT)"]'; \
	if ! grep -qs '"username": *"$(LRS_USER)"' $(LRS_DIR)/auth.json; then \
	  $(LRS_VENV)/bin/ralph auth -u $(LRS_USER) -p $(LRS_PASSWORD) -s statements/write -M mailto:$(LRS_USER)@example.com -w >/dev/null; \
	fi; \
	if ! grep -qs '"username": *"$(LRS_TRAINER)"' $(LRS_DIR)/auth.json; then \
	  $(LRS_VENV)/bin/ralph auth -u $(LRS_TRAINER) -p $(LRS_TRAINER_PASSWORD) -s all -M mailto:$(LRS_TRAINER)@example.com -w >/dev/null; \
	fi; \
	echo "Ralph LRS at http://127.0.0.1:$(LRS_PORT)/xAPI/; statements in $(LRS_DIR)/data"; \
	echo "  trainees (Settings or dist/config.json): user $(LRS_USER), password $(LRS_PASSWORD) (write only)"; \
	echo "  trainer (#/team): user $(LRS_TRAINER), password $(LRS_TRAINER_PASSWORD) (read and write)"; \
	echo "Point the app at it: Settings → LRS endpoint http://127.0.0.1:$(LRS_PORT)/xAPI/, or dist/config.json (README: LRS)"; \
	exec $(LRS_VENV)/bin/uvicorn --app-dir scripts ralph_fs:app --host 127.0.0.1 --port $(LRS_PORT)

# What is big in the app's wasm (#17): the module as `make dist` optimises it, with the function
# names kept (the same code byte for byte; only the name section is added), by section, function
# and crate (scripts/wasm-size.py). Reuses the wasm build of the last `make dist`.
.PHONY: wasm-size
# `make wasm-size LITE=1`: the library module (kefu-app without its features) instead; `make
# wasm-size TEAM=1`: the dashboard module (kefu-app with `team` alone); `make wasm-size
# SCORER=1`: the engine's scorer module (kefu-engine without `check`, dist/engine/kefu_score).
WS_CRATE = $(if $(SCORER),kefu-engine,kefu-app)
WS_WASM = $(if $(SCORER),kefu_engine,kefu_app)
WS_FEATURES = $(if $(SCORER),,--no-default-features $(if $(LITE),,--features $(if $(TEAM),team,full)))
wasm-size: setup-wasm setup-node
	cargo build --profile wasm --target $(TARGET) -p $(WS_CRATE) $(WS_FEATURES)
	rm -rf target/wasm-size && mkdir -p target/wasm-size
	wasm-bindgen --target web --no-typescript --out-dir target/wasm-size --out-name kefu_dojo \
	  target/$(TARGET)/wasm/$(WS_WASM).wasm
	$(WASM_OPT) $(filter-out --strip-debug,$(WASM_OPT_FLAGS)) -g --strip-dwarf \
	  target/wasm-size/kefu_dojo_bg.wasm -o target/wasm-size/kefu_dojo_bg.wasm
	python3 scripts/wasm-size.py target/wasm-size/kefu_dojo_bg.wasm 40
