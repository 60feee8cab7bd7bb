"""Import a library without the modules it imports for features studygen never uses.

genanki imports asyncio (through ``cached_property``) and PyYAML, ReportLab imports
Pillow's ``PIL.Image``: about 5 MiB resident together, for coroutine properties, note
types written as YAML text and bitmap images, none of which studygen asks for.  While
the library is imported, such a module's name gives a stand-in; a lazy stand-in
imports the real module the first time anything is asked of it, so a library that
does use the feature after all still gets it.  A stand-in of None makes the module
missing: hashlib then uses the interpreter's own digests instead of OpenSSL's
(the same hashes; 3.5 MiB less resident, about 10 ms more for the 1.7 MB a cold
build hashes).
"""

from __future__ import annotations

import importlib
import sys
import types
from contextlib import contextmanager
from typing import Iterator


def lazy(name: str) -> types.ModuleType:
    """A stand-in for module ``name`` that imports it when one of its attributes is read."""
    module = types.ModuleType(name)

    def real(attribute: str):
        if sys.modules.get(name) is module:  # asked while the library is still being imported
            del sys.modules[name]  # else importing the name would give this stand-in again
        return getattr(importlib.import_module(name), attribute)

    module.__getattr__ = real
    return module


@contextmanager
def standing_in(**modules: types.ModuleType | None) -> Iterator[None]:
    """While in this block, importing a module named here gives its stand-in (a dotted name
    is spelt with "__" for "."), unless the real module is imported already."""
    modules = {name.replace("__", "."): module for name, module in modules.items()}
    modules = {name: module for name, module in modules.items() if name not in sys.modules}
    sys.modules.update(modules)
    try:
        yield
    finally:
        for name, module in modules.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
