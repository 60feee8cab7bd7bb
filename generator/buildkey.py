"""Build keys: what each output was made from, so a rebuild can skip outputs that are current.

An output's key is a hash of everything that determines its bytes: the content
and options its format reads (all but ``Format.ignores`` and
``Format.ignores_options``), the release time (content version and
``SOURCE_DATE_EPOCH``), the studygen version, the bytes of the generator
package itself (code and fonts) and the versions of the libraries that write
the files.  Each renderer records its key inside the file it writes (PDF
document information, the deck's zip comment), so the key travels with the
output: a file replaced, deleted or half-written by anything else simply does
not match, and is rebuilt.

Keys are computed from validated content, never from raw bytes: a build
always loads and checks every content file first (so ``check`` exits 0 =>
``build`` exits 0 keeps holding, and warnings are printed on every build),
and an edit that changes nothing a format reads (a TOML comment, a card edit
for the explainer) leaves that format's file untouched.
"""

from __future__ import annotations

import json
import os
import platform
import re
import stat
import sys
import time
import zlib
from functools import lru_cache
from importlib.util import find_spec
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from generator import __version__, model, standins
from generator.memo import per_content

# The first import of hashlib in a build (see generator.standins): the interpreter's own
# digests instead of OpenSSL's, which are faster but cost 3.5 MiB resident to load.  Some
# Python builds (FIPS-minded distributions) leave out their own MD5, SHA-1 and SHA-256, which
# studygen, genanki and ReportLab use; there hashlib keeps OpenSSL.  (The interpreter's own
# SHA-256 is the module _sha256 up to Python 3.11, _sha2 from 3.12.)
if find_spec("_md5") and find_spec("_sha1") and (find_spec("_sha2") or find_spec("_sha256")):
    with standins.standing_in(_hashlib=None):
        import hashlib
        import hmac  # noqa: F401  (pydantic imports it through secrets; hmac would load OpenSSL itself)
else:
    import hashlib
from generator.render import Format, Options, release_time

if TYPE_CHECKING:
    from generator.model import Document

PACKAGE = Path(__file__).resolve().parent
# The libraries whose code decides the bytes of some output.
LIBRARIES = ("reportlab", "rl_accel", "genanki", "fonttools", "pyphen")
# How a key is written into a file: "/StudygenBuild (<hex>)" in a PDF's document
# information, "; build <hex>" in a deck's zip comment.
_RECORDED = re.compile(rb"(?:/StudygenBuild \(|; build )([0-9a-f]{64})")


@lru_cache(maxsize=None)
def code() -> str:
    """A hash of every file of the generator package: a change to any renderer, model or font rebuilds."""
    digest = hashlib.blake2b(digest_size=32)
    for path, file_digest in _package_digests().items():
        digest.update(path.encode() + b"\0" + file_digest)
    return digest.hexdigest()


def package_file_digest(path: Path) -> bytes:
    """The BLAKE2b digest of a file of the generator package (the one ``code`` took), or of
    any other file: the diagram's font subsets are keyed on their face's bytes, and
    hashing the faces again would cost as much as the rest of the package."""
    try:
        relative = path.resolve().relative_to(PACKAGE).as_posix()
    except ValueError:
        relative = None
    known = _package_digests().get(relative) if relative is not None else None
    return known if known is not None else _file_digest(os.fspath(path))


@lru_cache(maxsize=None)
def _package_digests() -> dict[str, bytes]:
    """Every package file's digest, by relative path, in sorted order.  BLAKE2b: the
    interpreter's own SHA-256 takes three times as long for the package's 1.8 MB (most of
    it the fonts).

    The digests are kept in the disk cache under the files' identities (size, times, inode),
    as Python keeps byte code by a source's time and size: hashing the package is about 6 ms
    of every build, reading them back a tenth of that.  A write changes a file's change time
    (which, unlike its modification time, nothing can set back), but only as finely as the
    file system's clock ticks: as git does with its index, a file changed within the last
    seconds is hashed, and then nothing is kept."""
    found = _package_files(str(PACKAGE))
    files = [path for path, _ in found]
    paths = [os.path.join(PACKAGE, path) for path in files]

    def digests() -> bytes:
        return b"".join(map(_file_digest, paths))

    stats = [st for _, st in found]
    recent = time.time_ns() - _SETTLED_NS
    if any(max(st.st_mtime_ns, st.st_ctime_ns) >= recent for st in stats):
        made = digests()
    else:
        from generator import diskcache

        identity = "\0".join(f"{path}\1{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino} {st.st_dev}"
                             for path, st in zip(paths, stats))
        made = diskcache.cached("package-digests", identity.encode("utf-8", "surrogateescape"), digests)
        if len(made) != 32 * len(files):
            made = digests()
    return {path: made[32 * n:32 * n + 32] for n, path in enumerate(files)}


# How long after its last change a file's digest may be kept (see ``_package_digests``).
_SETTLED_NS = 3 * 1_000_000_000


def _file_digest(path: str) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.blake2b(handle.read(), digest_size=32).digest()


def _package_files(root: str) -> list[tuple[str, os.stat_result]]:
    """Every regular file under ``root`` but caches, as sorted relative POSIX paths with
    their status (an editor's lock link to nowhere or a named pipe cannot be read, or never ends)."""
    found = []
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if name != "__pycache__"]
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        for name in files:
            try:
                status = os.stat(os.path.join(folder, name))
            except OSError:  # a link to nowhere, or removed meanwhile
                continue
            if stat.S_ISREG(status.st_mode):
                found.append((name if relative == "." else f"{relative}/{name}", status))
    return sorted(found, key=itemgetter(0))


@lru_cache(maxsize=None)
def environment() -> dict[str, str]:
    """Versions outside the package that change output bytes (zlib compresses every file)."""
    return {"python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION, **installed_versions(LIBRARIES)}


def installed_versions(names: Iterable[str], path: list[str] | None = None) -> dict[str, str]:
    """The version of each distribution in ``names`` that importlib.metadata would find first
    on ``path`` (``sys.path``), or "-".  Read from the name of its ``NAME-VERSION.dist-info``
    folder, as installers write it: importlib.metadata costs 25 ms of CPU to import and parses
    each distribution's whole metadata file, in every build.  Anything else (an .egg-info, a
    distribution found by another importer) is left to importlib.metadata."""
    wanted = {_normalized(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path if path is None else path:
        for child in _listing(entry or "."):
            if not child.endswith((".dist-info", ".egg-info")):
                continue
            base, _, kind = child.rpartition(".")
            name, _, version = base.partition("-")
            name = wanted.pop(_normalized(name), None)
            if name is not None:
                found[name] = version if kind == "dist-info" and version else _metadata_version(name)
        if not wanted:
            break
    found.update({name: _metadata_version(name) for name in wanted.values()})
    return {name: found[name] for name in names}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _listing(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:  # not a folder (a zip file) or gone
        return []


def _metadata_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def key(doc: Document, fmt: Format, options: Options) -> str:
    """The key of ``fmt``'s output for ``doc`` built with ``options`` (64 hex digits)."""
    content = doc.content
    tables = _tables_json(content)
    parts = {
        "studygen": __version__,
        "code": code(),
        "environment": environment(),
        "format": fmt.name,
        "options": {name: value for name, value in vars(options).items() if name not in fmt.ignores_options},
        "released": release_time(content.article.version).isoformat(),
        "content": {name: tables[name] for name in tables.dumped if name not in fmt.ignores},
    }
    # The hash of the JSON of these parts with sorted keys, the content being ``content_data(content,
    # fmt.ignores)``: fed to the hash piece by piece, each table's JSON made once for every format.
    digest = hashlib.sha256()
    _feed(digest, parts)
    return digest.hexdigest()


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _feed(digest, members: dict) -> None:
    """Hash the UTF-8 JSON of ``members`` with sorted keys; a value given as bytes is its JSON."""
    digest.update(b"{")
    for n, name in enumerate(sorted(members)):
        value = members[name]
        digest.update(f'{"," if n else ""}{_json(name)}:'.encode("utf-8"))
        if isinstance(value, bytes):
            digest.update(value)
        elif isinstance(value, dict) and value and all(isinstance(v, bytes) for v in value.values()):
            _feed(digest, value)
        else:
            digest.update(_json(value).encode("utf-8"))
    digest.update(b"}")


class _TablesJson(dict):
    """The UTF-8 JSON of each table of one content's dump, made when first asked for."""

    def __init__(self, content: model.Content):
        super().__init__()
        self.dumped = _dumped(content)

    def __missing__(self, name: str) -> bytes:
        data = self[name] = _json(self.dumped[name]).encode("utf-8")
        return data


_tables_json = per_content(_TablesJson)


def content_data(content: model.Content, ignores: Iterable[str] = ()) -> dict:
    """``model.dump(content)`` without the tables in ``ignores``, from one dump per content:
    every format's key asks for it at plan time and again in its render, the deck's content
    stamp once more."""
    return {name: value for name, value in _dumped(content).items() if name not in ignores}


@per_content
def _dumped(content: model.Content) -> dict:
    return model.dump(content)


def recorded(data: bytes) -> str | None:
    """The key recorded in an output file's bytes, or None (not ours, or written before keys)."""
    found = _RECORDED.findall(data)
    return found[-1].decode("ascii") if found else None
