/// Placeholder replaced by the HTML report implementation.
public enum HTMLReport {
    public static func render(context: ReportContext, cases: [CaseResult]) -> String {
        "<!doctype html><title>evalgate</title><p>HTML report not built yet</p>"
    }
}
