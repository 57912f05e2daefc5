import EvalGateKit
import Foundation

#if FUZZING
/// libFuzzer's entry point; the target is chosen by `EVALGATE_FUZZ_TARGET` (pipeline, jsonl, csv, yaml).
let fuzzTarget = InputFuzzing.Target(rawValue: ProcessInfo.processInfo.environment["EVALGATE_FUZZ_TARGET"] ?? "pipeline") ?? .pipeline

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    InputFuzzing.run(fuzzTarget, Data(bytes: bytes, count: count))
    return 0
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
