#!/bin/sh
# A worker for the training queue (`adapt`: a direction's model adapted on approved post-edits).
# One process: a run holds its direction's lock for hours, and training competes with MT for the cores.
exec gnews-i18n worker --queues training --concurrency 1 --hostname "training@%h" "$@"
