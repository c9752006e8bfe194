#!/bin/sh
# A worker for the publish queue and the maintenance queue (the sweep beat sends): both light.
exec gnews-i18n worker --queues publish,maintenance --concurrency "${GNEWS_PUBLISH_CONCURRENCY:-1}" --hostname "publish@%h" --events "$@"
