import EvalGateKit
public enum Fixtures {}
