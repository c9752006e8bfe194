"""Publishing localized editions to a directory and HTTP endpoints."""

from gnews_i18n.publish.site import (
    NothingToPublish,
    PersonalDataInEdition,
    Publisher,
    PublishReport,
    publish_article,
    publish_correction,
)
from gnews_i18n.publish.targets import TargetError

__all__ = ["NothingToPublish", "PersonalDataInEdition", "PublishReport", "Publisher", "TargetError", "publish_article",
           "publish_correction"]
