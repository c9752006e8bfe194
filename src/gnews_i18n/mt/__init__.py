"""Machine translation: engines behind one small contract, loaded once per process."""

from gnews_i18n.mt.base import DecodingSettings, MachineTranslation, ModelNotAvailable, Translator
from gnews_i18n.mt.loader import get_translator, open_engine, resolve_model

__all__ = ["DecodingSettings", "MachineTranslation", "ModelNotAvailable", "Translator", "get_translator",
           "open_engine", "resolve_model"]
