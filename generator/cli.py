"""The ``studygen`` command.  The only module that imports click.

Heavy libraries (ReportLab, genanki, pydantic) are imported inside the
commands that need them, so ``studygen --help`` starts fast.
"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

import click

from generator import __version__

FORMAT_NAMES = ("pdf", "anki")


class Context:
    def __init__(self, verbosity: int):
        self.verbosity = verbosity

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        if self.verbosity >= 1:
            click.echo(message, err=True)


pass_context = click.make_pass_decorator(Context)


def _content_arg(f):
    return click.argument("content", nargs=-1, type=click.Path(path_type=Path))(f)


def _adjust(delta: int):
    def callback(ctx: click.Context, param: click.Parameter, value: int) -> int:
        if value and ctx.find_object(Context):
            ctx.find_object(Context).verbosity += delta * value
        return value
    return callback


def verbosity(f):
    """-v/-q accepted after the command name too (``studygen build -v``)."""
    f = click.option("-v", "--verbose", count=True, expose_value=False, callback=_adjust(1),
                     help="Say more (repeatable).")(f)
    return click.option("-q", "--quiet", count=True, expose_value=False, callback=_adjust(-1),
                        help="Say less: only errors.")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="studygen", message="%(prog)s %(version)s")
@click.option("-v", "--verbose", count=True, help="Say more (repeatable).")
@click.option("-q", "--quiet", count=True, help="Say less: only errors.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: int) -> None:
    """studygen: turn curated article content into a PDF explainer and an Anki deck."""
    ctx.obj = Context(verbose - quiet)


@main.command()
@_content_arg
@verbosity
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Directory to write into.")
@click.option("-f", "--format", "formats", type=click.Choice(FORMAT_NAMES), multiple=True,
              help="Build only these formats (repeatable). Default: all.")
@click.option("--page-size", type=click.Choice(["a4", "letter"], case_sensitive=False), default="a4",
              show_default=True, help="Paper size of the PDF.")
@pass_context
def build(obj: Context, content: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...], page_size: str) -> None:
    """Build outputs from CONTENT files (default: every content/*.toml)."""
    from generator.build import build as run_build
    from generator.render import Options

    started = time.perf_counter()
    outputs = _guard(obj, lambda: run_build(list(content), out_dir, formats or FORMAT_NAMES,
                                            Options(page_size=page_size.lower())))
    for output in outputs:
        obj.detail(f"wrote {output.path} ({len(output.data):,} bytes)")
    docs = {o.doc.path for o in outputs}
    obj.info(f"built {len(outputs)} file(s) from {len(docs)} content file(s) into {out_dir} "
             f"in {time.perf_counter() - started:.2f} s")


@main.command()
@_content_arg
@verbosity
@pass_context
def check(obj: Context, content: tuple[Path, ...]) -> None:
    """Validate CONTENT files (default: every content/*.toml) without writing anything."""
    from generator.build import content_paths
    from generator.load import load_all

    docs = _guard(obj, lambda: load_all(content_paths(list(content))))
    if not docs:
        _fail(obj, "no content files found", 1)
    for doc in docs:
        c = doc.content
        obj.info(f"ok: {doc.path}: {len(c.sections)} sections, {len(c.claims)} claims, "
                 f"{len(c.glossary)} glossary terms, {len(c.references)} references, {len(c.cards)} cards")


def _guard(obj: Context, action):
    """Run ``action``; turn studygen errors into messages and exit codes, never tracebacks."""
    from generator.errors import ContentError, StudygenError

    try:
        return action()
    except ContentError as error:
        for line in error.lines():
            click.echo(f"error: {line}", err=True)
        _fail(obj, str(error), error.exit_code)
    except StudygenError as error:
        _fail(obj, str(error), error.exit_code)
    except KeyboardInterrupt:
        _fail(obj, "interrupted; nothing was written", 130)
    except Exception as error:  # an internal bug: one line, the traceback only with -v
        if obj.verbosity >= 1:
            traceback.print_exc()
        _fail(obj, f"internal error ({type(error).__name__}: {error}); please report this bug"
                   " (run with -v for the traceback)", 70)


def _fail(obj: Context, message: str, code: int):
    click.echo(f"studygen: {message}", err=True)
    sys.exit(code)
