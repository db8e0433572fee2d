#ifndef SUNDIAL_FUZZER_DRIVER_H
#define SUNDIAL_FUZZER_DRIVER_H

/// Runs libFuzzer's driver over the `LLVMFuzzerTestOneInput` the Swift target defines.
///
/// SwiftPM renames an executable's `main` to `<Target>_main` and points the linker's `main` at it, which
/// hides libFuzzer's own `main`; each target's main.swift calls this instead.
int sundial_fuzz_main(int argc, char **argv);

#endif
