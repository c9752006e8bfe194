"""The project's own test models: template corpora (``corpus``), random-weight models
(``testmodel``) and small trained Marian models (``training``).

Used by ``gnews-i18n models make-test``, the tests and the benches; never by the desk's
production path, which loads whatever model the registry names.
"""

# The public surface: these modules, imported directly (this package imports none of them).
__all__ = ["corpus", "testmodel", "training"]
