/// Stands in for a package that ships native code built with OpenMP.
public enum DownstreamExample {
    public static let name = "downstream-example"
}
