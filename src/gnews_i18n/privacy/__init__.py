"""Personal data in articles: finders (resident numbers, phones, e-mail, labelled numbers,
patients' names), the policy (block, warn, ignore; allowlists) and redaction, in plain Python;
``privacy.guard`` (imported directly) adds the store: which findings an article's decisions cover."""

from gnews_i18n.privacy.finders import KIND_NAMES, KINDS, Finding, find_personal_data
from gnews_i18n.privacy.policy import BLOCK, IGNORE, WARN, PolicyError, PrivacyPolicy, load_policy
from gnews_i18n.privacy.redact import fingerprint, mask, redact

__all__ = ["BLOCK", "IGNORE", "KINDS", "KIND_NAMES", "WARN", "Finding", "PolicyError", "PrivacyPolicy",
           "find_personal_data", "fingerprint", "load_policy", "mask", "redact"]
