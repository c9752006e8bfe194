"""Publishing: approved versions become per-language static editions."""

from gnews_i18n.publish.site import NothingToPublish, publish_article, publish_edition

__all__ = ["NothingToPublish", "publish_article", "publish_edition"]
