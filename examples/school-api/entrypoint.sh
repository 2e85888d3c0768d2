#!/bin/sh
# Starts the API. `-m app` (not `app.py`) so Python uses the bytecode compiled at build
# time: the service user cannot write __pycache__ under /app.
set -e
cd /app
exec python3 -m app
