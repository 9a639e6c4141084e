#!/usr/bin/env bash
# Lints CloudFormation templates with cfn-lint (`pip install cfn-lint`): by default the `pare policy`
# goldens (Tests/PareCLITests/Golden/policy/*.yaml). Exit status 0 when every template passes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then set -- Tests/PareCLITests/Golden/policy/*.yaml; fi
cfn-lint -- "$@"
echo "cfn-lint $(cfn-lint --version | cut -d' ' -f2): $# templates pass"
