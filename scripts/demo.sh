#!/bin/sh
# Set up and run the main job on a fresh machine (needs only Python 3.10+ with venv and pip):
# create .venv, install normalize, resolve spellings of Tuz Khurmatu, a non-place and an actor, link the sample
# article's places and actors.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q .
# Exit status 1 from lookup means "some name did not resolve" (Peshmerga is not a place): expected here.
.venv/bin/normalize lookup "Tuz Khurmatu" "Tuz Khurmato" "Touz Hourmato" "طوز خورماتو" "دووزخورماتوو" "Peshmerga" \
  || [ $? -eq 1 ]
.venv/bin/normalize lookup --actors "Peshmerga" "ISIS" "Daesh" "داعش" "قسد"
.venv/bin/normalize link --actors --format table docs/sample-article.txt
