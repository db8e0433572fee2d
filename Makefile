# The two commands of the README: `make demo` and `make test`.
SWIFT ?= swift

.PHONY: demo test build release bootstrap clean

bootstrap:
	@bash tools/bootstrap

## Build in release mode and run `sundial demo` on the bundled generator.
demo: bootstrap
	$(SWIFT) build -c release --product sundial
	.build/release/sundial demo

## Run the whole test suite, then each fuzzer for 10 s (tools/fuzz; docs/RELIABILITY.md, "Fuzzing").
test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	bash tools/fuzz --seconds 10

build: bootstrap
	$(SWIFT) build

release: bootstrap
	$(SWIFT) build -c release --product sundial

clean:
	rm -rf .build
