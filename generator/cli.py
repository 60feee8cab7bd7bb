"""The ``studygen`` command.  The only module that imports click.

Heavy libraries (ReportLab, genanki, pydantic) are imported inside the
commands that need them, so ``studygen --help`` starts fast.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from generator import __version__
from generator.render import FORMATS


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


class _Commands(click.Group):
    def invoke(self, ctx: click.Context):
        # Each command turns Ctrl-C and SIGTERM in its work into its exit status (``_guard``); one
        # that arrives outside it (while the command imports its libraries, the first half second
        # of a build, or while it prints its summary) would otherwise be click's "Aborted!", status 1.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as error:
            if ctx.invoked_subcommand == "watch":  # Ctrl-C is how watching ends
                if ctx.obj:
                    ctx.obj.info("stopped watching")
                sys.exit(0)
            click.echo("studygen: interrupted", err=True)
            sys.exit(getattr(error, "exit_code", 130))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="studygen", message="%(prog)s %(version)s")
@click.option("-v", "--verbose", count=True, help="Say more (repeatable).")
@click.option("-q", "--quiet", count=True, help="Say less: only errors.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: int) -> None:
    """studygen: turn curated article content into a PDF explainer and an Anki deck."""
    from generator.signals import on_sigterm

    on_sigterm()  # SIGTERM cleans up as Ctrl-C does, instead of leaving temporary files behind
    ctx.obj = Context(verbose - quiet)


def output_options(f):
    """The options that shape the outputs; ``check`` takes them too, to check what ``build`` would make."""
    for option in reversed([
        click.option("-f", "--format", "formats", type=click.Choice(list(FORMATS)), multiple=True,
                     help="Only these formats (repeatable). Default: all."),
        click.option("--page-size", type=click.Choice(["a4", "letter"], case_sensitive=False), default="a4",
                     show_default=True, help="Paper size of the PDFs."),
        click.option("--cards-per-page", type=click.IntRange(1, 30), default=8, show_default=True,
                     help="Printable flashcards per page (8 = 2 x 4; only counts that make a full grid)."),
        click.option("--duplex", type=click.Choice(["long", "short", "none"]), default="long", show_default=True,
                     help="Printer flips on the long or short edge (mirrors the backs), or none."),
    ]):
        f = option(f)
    return f


def _options(formats: tuple[str, ...], page_size: str, cards_per_page: int, duplex: str):
    """Options for the renderers; a card count without a full grid on the paper is a usage error."""
    from generator.render import Options

    page_size = page_size.lower()
    if "cards" in (formats or FORMATS):
        from generator.render.pdf.cards import grid_counts

        counts = grid_counts(page_size)
        if cards_per_page not in counts:
            raise click.BadParameter(
                f"{cards_per_page} cards make no full grid of usable cards on {page_size} paper; "
                f"use one of {', '.join(map(str, counts))}", param_hint="'--cards-per-page'")
    return Options(page_size=page_size, cards_per_page=cards_per_page, duplex=duplex)


@main.command()
@_content_arg
@verbosity
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Directory to write into.")
@output_options
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Render in this many processes. Default: all cores.")
@click.option("--force", is_flag=True, help="Rebuild every output, even those already up to date.")
@pass_context
def build(obj: Context, content: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...], page_size: str,
          cards_per_page: int, duplex: str, jobs: int | None, force: bool) -> None:
    """Build outputs from CONTENT files (default: every content/*.toml).

    Every file is loaded and checked before anything is written; outputs are
    written to temporary files and renamed into place.
    """
    import os

    from generator.build import build as run_build, summary

    options = _options(formats, page_size, cards_per_page, duplex)
    started = time.perf_counter()
    bar = None

    def on_loaded(total: int) -> None:
        nonlocal bar
        if obj.verbosity >= 0 and sys.stderr.isatty():
            bar = click.progressbar(length=total, label="building", file=sys.stderr)
            bar.__enter__()

    def progress(step: int) -> None:
        if bar is not None:
            bar.update(step)

    try:
        outputs = _guard(obj, lambda: _settled(run_build(
            list(content), out_dir, formats or list(FORMATS),
            options,
            workers=jobs or os.cpu_count() or 1, progress=progress, on_loaded=on_loaded, force=force)))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for doc in {id(o.doc): o.doc for o in outputs}.values():
        for problem in doc.warnings:
            obj.info(f"warning: {problem.located(doc.path)}")
    for output in outputs:
        obj.detail(f"up to date: {output.path}" if output.current else
                   f"wrote {output.path} ({len(output.data):,} bytes)")
        if output.warning:
            obj.info(f"warning: {output.warning}")
    obj.info(f"{summary(outputs)} into {out_dir} in {time.perf_counter() - started:.2f} s")


@main.command()
@_content_arg
@verbosity
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Directory to write into.")
@output_options
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Render in this many processes (1 keeps everything warm in this one).")
@pass_context
def watch(obj: Context, content: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...], page_size: str,
          cards_per_page: int, duplex: str, jobs: int) -> None:
    """Build, then rebuild what changed whenever CONTENT files or their sources change.

    Takes the options of build.  Problems are printed as check prints them and
    the last good outputs stay; Ctrl-C stops.
    """
    from generator.watch import run

    options = _options(formats, page_size, cards_per_page, duplex)

    def serve() -> None:
        try:
            run(list(content), out_dir, formats or list(FORMATS), options, workers=jobs,
                say=obj.info, warn=lambda line: click.echo(line, err=True))
        except KeyboardInterrupt:  # Ctrl-C is how watching ends
            pass

    _guard(obj, serve)
    obj.info("stopped watching")


@main.command()
@_content_arg
@verbosity
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings too (for CI).")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Also compare with the deck that build -o DIR would replace (changed card types).")
@output_options
@pass_context
def check(obj: Context, content: tuple[Path, ...], strict: bool, out_dir: Path | None, formats: tuple[str, ...],
          page_size: str, cards_per_page: int, duplex: str) -> None:
    """Validate CONTENT files (default: every content/*.toml) without writing anything.

    Runs every check that ``build`` runs with the same options, including the
    fonts' characters and whether each card fits its printed card; with
    ``-o``, also what the deck in that directory means for this one.
    """
    from generator import collector
    from generator.build import check_all, compare_with_previous
    from generator.coverage import uncovered
    from generator.readability import reading_ease

    # What check makes lives until it ends, with next to no reference cycles: nothing for the
    # cycle collector to walk (it would walk the loaded content again and again).
    click.get_current_context().with_resource(collector.paused())
    options = _options(formats, page_size, cards_per_page, duplex)
    docs = _guard(obj, lambda: _settled(_load(obj, content)))
    _guard(obj, lambda: check_all([(doc, FORMATS[name]) for doc in docs
                                   for name in dict.fromkeys(formats or FORMATS)], options))

    previous = [] if out_dir is None else _guard(
        obj, lambda: compare_with_previous(docs, formats or list(FORMATS), out_dir))
    for warning in previous:
        click.echo(f"warning: {warning}", err=True)
    warned = len(previous)
    for doc in docs:
        for problem in doc.warnings:
            click.echo(f"warning: {problem.located(doc.path)}", err=True)
        warned += len(doc.warnings)
        c = doc.content
        missing = uncovered(doc.source_text, [claim.quote for claim in c.claims])
        obj.info(f"ok: {doc.path}: {len(c.sections)} sections, {len(c.claims)} claims, "
                 f"{len(c.glossary)} glossary terms, {len(c.references)} references, {len(c.cards)} cards, "
                 f"{len(missing)} uncovered source sentence(s)")
        # An uncovered sentence is a claim of the article nobody has checked yet.
        for sentence in missing:
            obj.detail(f"  uncovered: {sentence.text}")
        if obj.verbosity >= 1:
            from generator.authoring import uncited_references, untested_claims, unused_terms

            # Content written but not yet put to use: each is something a learner never meets.
            for claim in untested_claims(c):
                obj.detail(f"  untested claim: {claim} (no card has claim = {claim!r})")
            for ref in uncited_references(c):
                obj.detail(f"  uncited reference: {ref} (in no refs list and no [@{ref}])")
            for term in unused_terms(c):
                obj.detail(f"  unused glossary term: {term} (no other text uses it)")
        for section in c.sections:
            obj.detail(f"  reading ease {reading_ease(section.body):.0f}: section {section.id}")
    if strict and warned:
        _fail(obj, f"{warned} warning(s), and --strict makes warnings errors", 1)


@main.command()
@click.argument("slug")
@click.option("--source", "source", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The original article, a UTF-8 text file; copied to content/SLUG.source.txt.")
@click.option("--content-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
              show_default=True, help="Where content files live.")
@verbosity
@pass_context
def new(obj: Context, slug: str, source: Path, content_dir: Path) -> None:
    """Start content for a new article: content/SLUG.toml, drafted from the article."""
    from pydantic import ValidationError

    from generator.load import FORMS
    from generator.model import SLUG_PATTERN, Slug
    from generator.scaffold import create
    from generator.schema import adapter

    try:
        adapter(Slug).validate_python(slug)
    except ValidationError:
        raise click.BadParameter(FORMS[SLUG_PATTERN], param_hint="SLUG") from None
    target, copy = _guard(obj, lambda: create(slug, source, content_dir))
    obj.info(f"created {target} and {copy}; edit it, then run: studygen check {target}")


@main.command()
@verbosity
def schema() -> None:
    """Print the JSON Schema of the content format (for editor completion and checks)."""
    import json

    from generator.schema import json_schema

    document = json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "studygen content file"
    click.echo(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))


@main.command()
@_content_arg
@verbosity
@pass_context
def cards(obj: Context, content: tuple[Path, ...]) -> None:
    """List the Anki notes CONTENT files would build (default: every content/*.toml)."""
    from generator.render.anki import rows

    docs = _load(obj, content)
    table = [("ID", "TYPE", "CARDS", "TAGS", "FRONT")] + [row for doc in docs for row in rows(doc.content)]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        click.echo("  ".join([cell.ljust(width) for cell, width in zip(row, widths)] + [row[-1]]))
    total = sum(int(row[2]) for row in table[1:])
    obj.info(f"{len(table) - 1} notes, {total} cards from {len(docs)} content file(s)")


def _load(obj: Context, content: tuple[Path, ...]):
    """Load and validate the named content files, or every content/*.toml."""
    from generator.build import content_paths
    from generator.load import load_all

    return _guard(obj, lambda: load_all(content_paths(list(content))))


def _settled(found):
    """Documents, or outputs, whose documents' warnings are all found (``generator.pending``)."""
    from generator.pending import settle

    settle(getattr(item, "doc", item) for item in found)
    return found


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
    except KeyboardInterrupt as error:  # Ctrl-C (130) or SIGTERM (143)
        _fail(obj, "interrupted", getattr(error, "exit_code", 130))
    except Exception as error:  # an internal bug: one line, the traceback only with -v
        if obj.verbosity >= 1:
            import traceback

            traceback.print_exc()
        _fail(obj, f"internal error ({type(error).__name__}: {error}); please report this bug"
                   " (run with -v for the traceback)", 70)


def _fail(obj: Context, message: str, code: int):
    click.echo(f"studygen: {message}", err=True)
    sys.exit(code)


def run() -> None:
    """The ``studygen`` program (``python -m generator``): ``main``, then the process ends as
    soon as its output is flushed.  Tearing down the interpreter after a build (freeing
    every object, module by module) costs about 0.1 s of CPU and changes nothing: every
    file is written, closed and renamed into place, and worker processes are joined,
    before ``main`` returns.  (``generator.__main__.run`` starts it, with the collector set.)"""
    import os

    try:
        main(prog_name="studygen")
        status = 0
    except SystemExit as done:
        status = done.code
    if status is not None and not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed, or a reader gone (studygen cards | head)
            pass
    os._exit(status or 0)
