#!/usr/bin/env bash
# Install the benchmark peers idempotently:
#   - Microsoft Presidio analyzer + spaCy (for bench/presidio_scan.py; no spaCy
#     model is needed, the script uses a blank pipeline),
#   - ripgrep and hyperfine (apt), only when `rg` / `hyperfine` are missing.
set -euo pipefail

PRESIDIO_VERSION=2.2.366
SPACY_VERSION=3.8.18
PYTHON=${PYTHON:-python3}

"$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    "presidio-analyzer==${PRESIDIO_VERSION}" "spacy==${SPACY_VERSION}"

missing=()
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y "${missing[@]}"
fi

"$PYTHON" - <<'PY'
from importlib.metadata import version
print("presidio-analyzer", version("presidio-analyzer"), "spacy", version("spacy"))
PY
rg --version | sed -n 1p
hyperfine --version
