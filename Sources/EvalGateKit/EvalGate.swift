public enum EvalGate { public static let version = "0.1.0" }
