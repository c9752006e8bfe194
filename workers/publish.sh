#!/bin/sh
# A worker for the publish queue: rendering is light, one process is plenty.
exec gnews-i18n worker --queues publish --concurrency "${GNEWS_PUBLISH_CONCURRENCY:-1}" --hostname "publish@%h" "$@"
