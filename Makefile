# The two commands of the README: `make demo` and `make test`.
SWIFT ?= swift
# Release builds link the Swift runtime and Foundation statically: a cold `sundial query` then starts in
# 6 ms instead of 11-12 and answers the headline instant query in 22-25 ms instead of 29-35 (docs/PERFORMANCE.md).
RELEASE = -c release --static-swift-stdlib

.PHONY: demo test test-tsan build release bootstrap clean

bootstrap:
	@bash tools/bootstrap

## Build in release mode and run `sundial demo` on the bundled generator.
demo: bootstrap
	$(SWIFT) build $(RELEASE) --product sundial
	.build/release/sundial demo

## Run the whole test suite, then the concurrency tests under ThreadSanitizer, then each fuzzer on 8,000 seeded inputs
## (tools/fuzz; docs/RELIABILITY.md, "Fuzzing").
test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) test-tsan
	bash tools/fuzz --runs 8000 --seed 1

## The concurrency tests (a reader on snapshots while the writer commits, seals and compacts; heads frozen
## and written into blocks on a background thread; queries on several threads) under ThreadSanitizer, in a
## build directory of their own.
test-tsan: bootstrap
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --filter "ConcurrentSnapshotTests|BackgroundSealTests|ParallelEvaluationTests|WorkerPoolTests"

build: bootstrap
	$(SWIFT) build

release: bootstrap
	$(SWIFT) build $(RELEASE) --product sundial

clean:
	rm -rf .build .build-tsan
