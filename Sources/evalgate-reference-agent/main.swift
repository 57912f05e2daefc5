import ReferenceAgentKit
print("x")
