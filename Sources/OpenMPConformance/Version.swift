public enum OpenMPConformanceVersion { public static let string = "0.1.0" }
