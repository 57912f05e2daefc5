import EvalGateKit
import EvalGateTestSupport
import Foundation
import Testing

/// `scripts/install` for real: a release build with the Swift runtime linked statically, installed
/// with completions, then run from a copy outside the build folder with `LD_LIBRARY_PATH` cleared,
/// its dynamic dependencies only system libraries.
///
/// A release build takes 10 to 20 minutes on two cores, so the test runs only when asked:
/// `EVALGATE_INSTALL_TEST=1 swift test --filter InstallScriptTests` (the build goes to
/// `.build-install`, or to `$EVALGATE_INSTALL_SCRATCH`, and is reused by later runs).
@Suite("scripts/install", .enabled(if: ProcessInfo.processInfo.environment["EVALGATE_INSTALL_TEST"] == "1"))
struct InstallScriptTests {
    /// Libraries any Linux system has; nothing of the Swift toolchain may be among the dependencies.
    static let systemLibraries = [
        "linux-vdso", "ld-linux", "libc.so", "libm.so", "libpthread", "libdl.so", "librt.so", "libutil", "libstdc++", "libgcc_s", "libsqlite3",
        "libz.so", "libresolv",
    ]

    @Test func staticBinaryRunsWithoutTheToolchain() throws {
        let prefix = TemporaryDirectory(prefix: "evalgate-install")
        let scratch = ProcessInfo.processInfo.environment["EVALGATE_INSTALL_SCRATCH"] ?? RepositoryPaths.path(".build-install")
        var script = CommandLineTool(workingDirectory: RepositoryPaths.root)
        script.executable = RepositoryPaths.path("scripts/install")
        let install = try script.run(["--prefix", prefix.path, "--scratch-path", scratch, "--no-man"], timeout: 3600)
        #expect(install.status == 0, "\(install.stdout)\n\(install.stderr)")
        for file in [
            "bin/evalgate", "share/bash-completion/completions/evalgate", "share/zsh/site-functions/_evalgate",
            "share/fish/vendor_completions.d/evalgate.fish",
        ] {
            #expect(FileManager.default.fileExists(atPath: prefix.file(file)), "\(file) was not installed")
        }
        #expect(try String(contentsOfFile: prefix.file("share/bash-completion/completions/evalgate"), encoding: .utf8).contains("evalgate"))

        // A copy far from the build folder, run with no library path.
        let elsewhere = TemporaryDirectory(prefix: "evalgate-elsewhere")
        try FileManager.default.copyItem(atPath: prefix.file("bin/evalgate"), toPath: elsewhere.file("evalgate"))
        var copy = CommandLineTool(workingDirectory: elsewhere.path)
        copy.executable = elsewhere.file("evalgate")
        copy.environment.removeValue(forKey: "LD_LIBRARY_PATH")
        let version = try copy.run(["--version"])
        #expect(version.status == 0, "\(version.stderr)")
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == EvalGate.version)
        let tiers = try copy.run(["tiers", "--format", "json"])
        #expect(tiers.status == 0 && tiers.stdout.contains("\"policy\""), "Foundation, JSON and the policy work: \(tiers.stderr)")

        var ldd = CommandLineTool()
        ldd.executable = "/usr/bin/ldd"
        let libraries = try ldd.run([elsewhere.file("evalgate")]).stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!libraries.isEmpty)
        for library in libraries {
            #expect(Self.systemLibraries.contains { library.contains($0) }, "not a system library: \(library)")
            #expect(!library.contains("swift") && !library.contains("not found"), "\(library)")
        }
    }
}
