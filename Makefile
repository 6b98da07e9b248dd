# Rampart's entry points. Each installs what it needs (scripts/deps.sh) and works on a fresh
# Debian 12 machine as root.
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
JOBS ?= 2
DATA_DIR ?= data
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build run test check bench format clean

all: build

deps:
	@bash scripts/deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@bash scripts/run.sh $(BUILD_DIR)/rampart $(DATA_DIR) $(LISTEN)

test: build
	@bash scripts/test.sh $(BUILD_DIR)

check: deps $(BUILD_DIR)/build.ninja
	@bash scripts/check.sh $(BUILD_DIR) $(ASAN_DIR) $(JOBS)

bench: build
	@bash scripts/bench.sh $(BUILD_DIR)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) build-fuzz
