# Every entry point a person needs. Each target bootstraps .venv on first use.
# `make help` lists them.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Material prints an end-of-life notice on every build; the design notes cover it.
export NO_MKDOCS_2_WARNING := 1
# The site engine: mkdocs (1.6.1, the default) or properdocs (its maintained fork,
# installed from the optional extra on first use). README: "Site engines".
ENGINE := $(or $(ENGINE),mkdocs)
ifeq ($(filter $(ENGINE),mkdocs properdocs),)
$(error ENGINE=$(ENGINE) は使えません。mkdocs か properdocs を指定してください / ENGINE must be mkdocs or properdocs)
endif
export DX_ENGINE := $(ENGINE)
ENGINE_STAMP := $(if $(filter properdocs,$(ENGINE)),$(VENV)/.installed-properdocs)

.DEFAULT_GOAL := help
.PHONY: help build serve export check fix new stats test accessibility bench screenshots zensical-canary clean

help: ## この一覧 / list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

$(VENV)/.installed-properdocs: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,properdocs]'
	@touch $@

build: $(STAMP) $(ENGINE_STAMP) ## 事例を検査してサイトを site/ に作る（ENGINE=properdocs で ProperDocs）/ check the cases and build site/ (ENGINE=properdocs: with ProperDocs)
	$(PY) -m generator build

serve: $(STAMP) $(ENGINE_STAMP) ## サイトをプレビューする（事例を直すと、変わったページだけ作り直す）/ preview at http://127.0.0.1:8000, rebuilt incrementally on change
	$(PY) -m $(ENGINE) serve --dirty --config-file mkdocs.yml --dev-addr $(or $(ADDR),127.0.0.1:8000)

export: $(STAMP) $(ENGINE_STAMP) ## オフライン版 zip とデータを dist/ に書き出す / write the offline zip and open data into dist/
	$(PY) -m generator export

check: $(STAMP) ## 事例を検査する / check every case in cases/
	$(PY) -m generator check $(CASES)

fix: $(STAMP) ## 機械的に直せる誤りを差分で示す（WRITE=1 で書き換える）/ show the safe fixes; WRITE=1 writes them
	$(PY) -m generator fix $(if $(WRITE),--write) $(CASES)

new: $(STAMP) ## 事例のひな形を作る / scaffold: make new MUNICIPALITY=裾野市 SLUG=okuyami TITLE=おくやみ窓口 [PREFECTURE=静岡県]
	$(PY) -m generator new --municipality "$(MUNICIPALITY)" --slug "$(SLUG)" --title "$(TITLE)" \
		$(if $(PREFECTURE),--prefecture "$(PREFECTURE)")

stats: $(STAMP) ## 事例の数を数える（FORMAT=json で JSON）/ count cases, prefectures, types, areas, links, filled fields
	$(PY) -m generator stats $(if $(FORMAT),--format $(FORMAT))

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# The test modules run in parallel, each whole in one worker process (pytest-xdist), so a
# module's site builds and fixtures are made once; TEST_WORKERS= runs everything in one process.
TEST_WORKERS ?= -n auto --dist loadfile
test: $(STAMP) $(ENGINE_STAMP) node_modules/.package-lock.json ## テストを実行する / run the test suite
	$(PY) -m pytest $(TEST_WORKERS) $(PYTEST_ARGS)

accessibility: $(STAMP) node_modules/.package-lock.json ## アクセシビリティ試験を実行し結果を更新する / rerun the axe gate and rewrite docs/accessibility-results.json
	DX_WRITE_A11Y=1 $(PY) -m pytest -q tests/test_accessibility.py

bench: $(STAMP) ## 性能を測る / print the benchmark table
	$(PY) tests/bench.py $(BENCH_ARGS)

screenshots: $(STAMP) ## 各種ページを 4 つの画面幅で撮影し screenshots/ に保存する / PNG of every page kind at 390, 768, 1093, 1366 px
	$(PY) tests/screenshots.py $(SCREENSHOT_ARGS)

zensical-canary: $(STAMP) ## Zensical で作れるかを試す（失敗しても 0）/ try the newest installable Zensical on the docs tree, print what works
	$(PY) tests/zensical_canary.py $(CANARY_ARGS)

clean: ## 生成物を消す / remove generated files and the virtualenv
	rm -rf $(VENV) site dist screenshots .site-* .dist-* .site.lock .dist.lock build *.egg-info .pytest_cache .hypothesis node_modules
