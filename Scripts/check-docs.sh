#!/usr/bin/env bash
# Builds the DocC documentation of the library modules with swift-docc-plugin and fails on any
# documentation warning: a symbol link (``Name``) or article link (<doc:Name>) that does not
# resolve, an unknown topic, a malformed directive. Parameter-list checks are off: a missing
# "- Parameter" line is not a broken link.
# Output: .build/plugins/Swift-DocC/outputs/<Target>.doccarchive. Arguments go to `swift package`
# before the plugin (e.g. --scratch-path .build-docs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
failed=()
for target in OpenMPConformance OpenMPConformanceTesting; do
    echo "== documentation: $target"
    swift package "$@" generate-documentation --target "$target" \
        --warnings-as-errors --disable-parameters-and-returns-validation || failed+=("$target")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "check-docs: the documentation of ${failed[*]} has errors (listed above)" >&2
    exit 1
fi
