import Hummingbird
public enum ReferenceAgent {}
