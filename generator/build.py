"""Load everything, render everything, then write: nothing is written unless all of it worked."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from generator.errors import OutputError
from generator.load import load_all
from generator.model import Document
from generator.render import FORMATS, Format, Options


@dataclass(frozen=True)
class Output:
    doc: Document
    format: Format
    path: Path
    data: bytes


def content_paths(paths: Sequence[Path], content_dir: Path = Path("content")) -> list[Path]:
    """The files named, or every ``*.toml`` in the content directory."""
    if paths:
        return list(paths)
    return sorted(content_dir.glob("*.toml"))


def plan(docs: Iterable[Document], formats: Sequence[str], out_dir: Path) -> list[tuple[Document, Format, Path]]:
    # Slugs are [a-z0-9-]+ (checked at load), so the target always stays inside out_dir.
    return [(doc, FORMATS[name], out_dir / FORMATS[name].filename(doc)) for doc in docs for name in formats]


def render(jobs: list[tuple[Document, Format, Path]], options: Options) -> list[Output]:
    return [Output(doc, fmt, path, fmt.renderer().render(doc, options)) for doc, fmt, path in jobs]


def check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: output path exists and is not a directory")


def write_all(outputs: Sequence[Output], out_dir: Path) -> None:
    """Write every output to a temporary file beside its target, then rename them all.

    If any write fails, the temporary files are removed and existing outputs
    are left as they were.
    """
    check_out_dir(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create output directory: {error.strerror}") from None
    staged: list[tuple[str, Path]] = []
    try:
        for output in outputs:
            fd, tmp = tempfile.mkstemp(prefix=f".{output.path.name}.", suffix=".tmp", dir=out_dir)
            staged.append((tmp, output.path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(output.data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
    except OSError as error:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{out_dir}: cannot write output: {error.strerror}") from None
    for tmp, target in staged:
        os.replace(tmp, target)


def build(paths: Sequence[Path], out_dir: Path, formats: Sequence[str], options: Options) -> list[Output]:
    docs = load_all(content_paths(paths))
    check_out_dir(out_dir)
    outputs = render(plan(docs, formats, out_dir), options)
    write_all(outputs, out_dir)
    return outputs
