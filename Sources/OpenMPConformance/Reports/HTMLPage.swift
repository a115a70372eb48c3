/// The opening of every self-contained HTML page the kit writes (the matrix report, the atlas):
/// inline CSS only, under a Content-Security-Policy that allows nothing else, so a page opened
/// from an artifact runs no script and fetches nothing.
enum HTMLPage {
    /// Everything up to and including `<body>` and its newline. `title` must be escaped already.
    static func head(title: String, css: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>\(css)</style>
        </head>
        <body>

        """
    }
}
