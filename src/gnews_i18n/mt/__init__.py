"""Machine translation: engines behind one small contract, loaded once per process."""

from gnews_i18n.mt.base import MachineTranslation, ModelNotAvailable, Translator
from gnews_i18n.mt.loader import get_translator, resolve_model

__all__ = ["MachineTranslation", "ModelNotAvailable", "Translator", "get_translator", "resolve_model"]
