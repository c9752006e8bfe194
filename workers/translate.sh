#!/bin/sh
# A worker for the translate queue: MT is CPU-bound, so one process per core pair.
exec gnews-i18n worker --queues translate \
  --concurrency "${GNEWS_TRANSLATE_CONCURRENCY:-1}" --hostname "translate@%h" --events "$@"
