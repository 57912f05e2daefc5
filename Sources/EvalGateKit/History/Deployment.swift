import Foundation

/// One entry of the deployment history: which version of an agent went live in an environment, when,
/// and on whose word. The newest entry is what is live now; older ones say what was live when.
public struct Deployment: Sendable, Equatable, Codable {
    public var id: Int64
    public var agent: String
    public var environment: String
    public var version: String
    public var recordedAt: Date
    public var recordedBy: String?
    public var note: String?
    /// The run that justified the deployment, when there was one.
    public var runID: String?

    public init(id: Int64, agent: String, environment: String, version: String, recordedAt: Date, recordedBy: String?, note: String?, runID: String?)
    {
        self.id = id
        self.agent = agent
        self.environment = environment
        self.version = version
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.note = note
        self.runID = runID
    }
}
