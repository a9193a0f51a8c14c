"""Python's cyclic garbage collector paused while one text document is parsed.

A fascicle's parse allocates tens of thousands of short-lived containers (lines, row tuples, dicts),
which set off about fourteen collections per parse, each walking the young objects (and now and then
every object of the process) to find cycles the parse does not make: a tenth of the parse's time.
Everything it allocates is freed by reference counting as it goes; the collector runs again, as
configured, once the document is parsed. The pause is per document, so a cycle made meanwhile (an
exception's traceback, say) waits one document at most.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state before it is restored after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
