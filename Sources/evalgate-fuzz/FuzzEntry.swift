import EvalGateKit
import Foundation

#if FUZZING
    /// The target is chosen by `EVALGATE_FUZZ_TARGET` (pipeline, jsonl, csv, yaml).
    let fuzzTarget = InputFuzzing.Target(rawValue: ProcessInfo.processInfo.environment["EVALGATE_FUZZ_TARGET"] ?? "pipeline") ?? .pipeline

    /// libFuzzer's driver (LLVM 12+). SwiftPM points an executable's `main` at the module's own entry
    /// point, so the entry point hands control to libFuzzer here instead of using libFuzzer's `main`.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// The per-input callback; libFuzzer's runtime also expects it under this name.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
        InputFuzzing.run(fuzzTarget, bytes.map { Data(bytes: $0, count: count) } ?? Data())
        return 0
    }

    @main
    struct FuzzDriver {
        static func main() {
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            let status = runFuzzerDriver(&argc, &argv, fuzzOneInput)
            exit(status)
        }
    }
#else
    /// Without libFuzzer: replays corpus files through a target, so a crash found once stays fixed.
    /// Usage: evalgate-fuzz TARGET FILE...
    @main
    struct FuzzReplay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = InputFuzzing.Target(rawValue: name) else {
                FileHandle.standardError.write(Data("usage: evalgate-fuzz pipeline|jsonl|csv|yaml FILE...\n".utf8))
                exit(64)
            }
            for file in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                let outcome = InputFuzzing.run(target, data)
                print("\(file): \(outcome.diagnostics) diagnostics, \(outcome.cases) cases")
            }
        }
    }
#endif
