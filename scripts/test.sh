#!/usr/bin/env bash
# Install Newsdesk with its test extras into .venv and run the whole test suite:
# unit tests, integration tests against the real Chroma, MiniLM and tiktoken, and the
# browser test in Debian's Chromium. Idempotent; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
# torch==2.13.0 is the CPU build; an unpinned torch would pull several GB of CUDA.
.venv/bin/pip install --quiet --disable-pip-version-check torch==2.13.0 -e '.[test]'

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser test ..."
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing and cannot be installed without root: run 'apt-get install chromium'." >&2
  fi
fi

run_pytest() {
  set +e
  "$@"
  status=$?
  set -e
  if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: treating that as a failure." >&2
    exit 1
  fi
  [ "$status" -eq 0 ] || exit "$status"
}

run_pytest .venv/bin/python -m pytest "$@"
# With no arguments (CI): the index and answer integration tests once more with the
# vectors on a Chroma server (`chroma run` on 127.0.0.1, started by the tests).
if [ "$#" -eq 0 ]; then
  echo "Integration tests again, vectors on a Chroma server:"
  run_pytest env NEWSDESK_TEST_CHROMA_SERVER=1 .venv/bin/python -m pytest -q -m integration tests/index tests/assistant
fi
