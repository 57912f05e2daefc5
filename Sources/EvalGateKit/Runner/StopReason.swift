/// Why a run ended before every selected case had a result. Recorded on the run
/// (`stopReason` in the result file and the history); a run with one is never a pass.
public enum StopReason: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// `--max-duration` passed; cases in flight were cut off.
    case maxDuration = "max-duration"
    /// `--max-cost` was reached; no further case was started.
    case maxCost = "max-cost"
    /// The process was asked to stop (SIGINT/SIGTERM); `evalgate run --resume` continues it.
    case interrupted
    /// The run is one shard of a sharded run (`--shard`) and ran its share: `evalgate merge`
    /// decides the whole run. A shard stopped for another reason keeps that reason.
    case shard

    public var description: String { rawValue }
}
