#!/bin/sh
# Print the path of a Python interpreter >= 3.12, or explain what to install and exit 1.
# Order: $PYTHON if set, interpreters on PATH, then pyenv's installed versions, then common prefixes;
# the oldest supported minor version first (the one every dependency ships wheels for).
# A pyenv shim that exists but is not active fails to run, so every candidate is executed to check it.
want_major=3
want_minor=12

ok() {
    "$1" -c "import sys, venv; sys.exit(0 if sys.version_info >= ($want_major, $want_minor) else 1)" >/dev/null 2>&1
}

try() {
    if [ -n "$1" ] && ok "$1"; then
        "$1" -c "import sys; print(sys.executable)"
        exit 0
    fi
}

[ -n "${PYTHON:-}" ] && try "$PYTHON"
for name in python3.12 python3.13 python3.14 python3 python; do
    p=$(command -v "$name" 2>/dev/null) && try "$p"
done
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
for v in $(ls "$pyenv_root/versions" 2>/dev/null | grep -E '^3\.[0-9]+\.[0-9]+$' | sort -t. -k2,2n -k3,3nr); do
    try "$pyenv_root/versions/$v/bin/python3"
done
for p in /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] /opt/homebrew/bin/python3.1[2-9]; do
    [ -x "$p" ] && try "$p"
done
echo "didgah needs Python >= 3.12 with the venv module, and none was found on PATH or in pyenv ($pyenv_root/versions)." >&2
echo "Install one, e.g. 'pyenv install 3.12' or 'apt-get install python3.12 python3.12-venv', or set PYTHON=/path/to/python3.12." >&2
exit 1
