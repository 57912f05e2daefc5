import EvalGateKit
print(EvalGate.version)
