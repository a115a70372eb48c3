/// Checks a runtime path before launch, so `launch-failed` says what the loader would say.
enum LaunchCheck {
    static func reason(path: String) -> String? {
        LaunchPreflight.check(path: path)
    }
}
