"""Modules Great Expectations imports at its own import but our suites never call, imported on first use.

Great Expectations 1.x imports every core expectation when it is imported, among them the KL-divergence
expectation, which imports ``scipy.stats`` and ``altair`` (charts for its Data Docs): about a second of a
run's CPU, in every process that validates (issue 12). Our suites use neither. A placeholder module
stands in for each until an attribute is read, which then imports the real module, so an expectation that
does need them still works; a module already imported is left as it is.

Python 3.11's ``importlib.util.LazyLoader`` cannot do this: ``import altair`` reads the lazy module's
``__spec__``, which loads it at once.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

DEFERRED = ("scipy.stats", "altair")


class _Deferred(types.ModuleType):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__spec__ = importlib.util.find_spec(name)  # what `import name` reads: no import yet

    def __getattr__(self, attr: str):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]  # let the import system load the real module in its place
        real = importlib.import_module(name)
        self.__dict__.update(real.__dict__)  # later reads through this placeholder find it directly
        return getattr(real, attr)


def defer(names: tuple[str, ...] = DEFERRED) -> None:
    """Put a placeholder in ``sys.modules`` for each module not imported yet and installed."""
    for name in names:
        if name not in sys.modules and importlib.util.find_spec(name) is not None:
            sys.modules[name] = _Deferred(name)
