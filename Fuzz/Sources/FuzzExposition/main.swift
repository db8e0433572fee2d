import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#endif

// libFuzzer reads its flags and runs LLVMFuzzerTestOneInput (FuzzExposition.swift) until told to stop.
exit(sundial_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv))
