"""Offline commands, no broker: extract, replay, eval, and the generated contract files (schemas, openapi)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from streams.cli.common import (
    PathArg,
    RulesOpt,
    TaxonomyOpt,
    app,
    emit,
    err,
    fail,
    note,
    out,
    settings_from,
)
from streams.cli.inputs import read_input
from streams.formats import FormatError
from streams.settings import Settings

ExtractorOpt = Annotated[
    str | None,
    typer.Option(
        "--extractor",
        "-e",
        help="auto (parsed when spaCy's model is installed, else fast), parsed or fast (env STANCEWIRE_EXTRACTOR).",
    ),
]
REPLAY_TOPICS = ("statements", "stances", "changes", "alerts", "dlq")  # what replay prints, by TopicNames field


def load_named_extractor(name: str | None, settings: Settings) -> tuple[object, str]:
    """The extractor for `name` (default: the settings'), and the name of the one loaded; says so on stderr."""
    from streams.core.extraction import EXTRACTORS, ExtractorUnavailable, load_extractor

    wanted = name or settings.extractor
    if wanted not in ("auto", *EXTRACTORS):
        raise fail(f"unknown extractor {wanted!r}; choose auto, {', '.join(EXTRACTORS)}")
    if wanted != "fast":
        note("loading the parser (spaCy; a few seconds)…")
    started = time.perf_counter()
    try:
        extractor = load_extractor(wanted)
    except ExtractorUnavailable as exc:
        raise fail(str(exc)) from None
    loaded = "parsed" if type(extractor).__name__ == "ParsedExtractor" else "fast"
    how = f" (auto: {'spaCy model installed' if loaded == 'parsed' else 'no spaCy model'})" if wanted == "auto" else ""
    note(f"extractor: {loaded}{how}, loaded in {time.perf_counter() - started:.1f}s")
    return extractor, loaded


@app.command()
def extract(
    path: PathArg,
    taxonomy: TaxonomyOpt = None,
    extractor: ExtractorOpt = None,
    pretty: Annotated[
        bool, typer.Option("--pretty", help="A readable view (rich) instead of one JSON line per article.")
    ] = False,
) -> None:
    """Offline, no broker: one JSON line per article with its statements and stances (--pretty: readable).

    Reads every wire format by content (docs/formats.md). An article in a language the extractor
    does not read is refused, not misread: `unsupported_language: fr` on stderr, exit 1."""
    from streams.cli.render import describe
    from streams.core.pipeline import Origin, Pipeline

    settings = settings_from(taxonomy=taxonomy)
    loaded, _ = load_named_extractor(extractor, settings)
    pipeline = Pipeline(settings, extractor=loaded)  # type: ignore[arg-type]
    errors = 0
    batch: list = []

    def flush() -> None:
        nonlocal errors
        for article, outcome in zip(batch, pipeline.extract_articles(batch, Origin("offline")), strict=True):
            for letter in outcome.dead_letters:
                err.print(f"[red]failed[/] {escape(article.id)}: {escape(letter.error)}")
                errors += 1
            if outcome.dead_letters and not outcome.articles:
                continue
            if pretty:
                out.print(describe(article))
                if not outcome.statements:
                    out.print("  [dim]no statements[/]")
                for statement in outcome.statements:
                    out.print("  " + describe(statement))
                    for stance in (s for s in outcome.stances if s.statement_id == statement.id):
                        out.print("    " + describe(stance))
                out.print()
                continue
            emit(
                {
                    "article_id": article.id,
                    "statements": [s.model_dump(mode="json") for s in outcome.statements],
                    "stances": [s.model_dump(mode="json") for s in outcome.stances],
                }
            )
        batch.clear()

    for item in read_input(path, pipeline.settings.max_article_bytes):
        if isinstance(item, FormatError):
            err.print(f"[red]rejected[/] {escape(str(item))}")
            errors += 1
            continue
        batch.append(item)
        if len(batch) >= pipeline.settings.extract_batch:
            flush()
    flush()
    if errors:
        raise typer.Exit(1)


@app.command()
def replay(
    path: PathArg,
    taxonomy: TaxonomyOpt = None,
    rules: RulesOpt = None,
    shift_threshold: Annotated[float | None, typer.Option(help="Score move that counts as a shift.")] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            help="Print only these topics (repeatable): statements, stances, changes, alerts, dlq "
            "(or the topic names: news.statements, stance.changes, …)."
        ),
    ] = None,
    extractor: ExtractorOpt = None,
) -> None:
    """Offline, no broker: the whole pipeline over an archive in published_at order, for backtesting rules.

    Any wire format (docs/formats.md); a story read twice (re-sent, or in two formats) makes its
    stance events once, as in the worker."""
    from streams.core.pipeline import Pipeline
    from streams.core.replay import replay as run_replay

    settings = settings_from(taxonomy=taxonomy, rules=rules, shift_threshold=shift_threshold)
    wanted = replay_topics(only or [], settings)
    loaded, _ = load_named_extractor(extractor, settings)
    pipeline = Pipeline(settings, extractor=loaded)  # type: ignore[arg-type]
    articles, errors = [], 0
    for item in read_input(path, pipeline.settings.max_article_bytes):
        if isinstance(item, FormatError):
            err.print(f"[red]rejected[/] {escape(str(item))}")
            errors += 1
        else:
            articles.append(item)
    for topic, record in run_replay(articles, pipeline):
        if not wanted or topic in wanted:
            emit({"topic": topic, "value": record.model_dump(mode="json")})
    if errors:
        raise typer.Exit(1)


def replay_topics(only: list[str], settings: Settings) -> set[str]:
    """The topic names `--only` asks for (short names or topic names); refuses any other with the valid ones."""
    names = settings.topics
    valid = {field: getattr(names, field) for field in REPLAY_TOPICS}
    chosen, unknown = set(), []
    for name in only:
        if name in valid:
            chosen.add(valid[name])
        elif name in valid.values() or (settings.topic_prefix + name) in valid.values():
            chosen.add(name if name in valid.values() else settings.topic_prefix + name)
        else:
            unknown.append(name)
    if unknown:
        listed = ", ".join(f"{field} ({topic})" for field, topic in valid.items())
        raise fail(f"--only: unknown topic {', '.join(map(repr, unknown))}; choose from {listed}")
    return chosen


@app.command("eval")
def eval_set(
    path: Annotated[Path, typer.Argument(help="Annotated set, e.g. tests/data/eval/articles.jsonl.")],
    extractor: Annotated[str, typer.Option("--extractor", "-e", help="fast, parsed or all.")] = "all",
    json_: Annotated[bool, typer.Option("--json", help="Print every figure and finding as one JSON object.")] = False,
    show_misses: Annotated[int, typer.Option(min=0, help="Misses and false positives to list per kind.")] = 10,
    taxonomy: TaxonomyOpt = None,
) -> None:
    """Offline, no broker: score extractors against an annotated set (statements, actors, stances, reversals)."""
    from rich.table import Table

    from streams.core.evaluation import (
        EXTRACTORS,
        EvalSetError,
        ExtractorUnavailable,
        evaluate,
        load_eval_set,
        load_extractor,
    )

    names = list(EXTRACTORS) if extractor == "all" else [extractor]
    if any(n not in EXTRACTORS for n in names):
        raise fail(f"unknown extractor {extractor!r}; choose fast, parsed or all")
    try:
        items = load_eval_set(path)
    except EvalSetError as exc:
        raise fail(str(exc)) from None
    settings = settings_from(taxonomy=taxonomy)
    results, unavailable = [], {}
    for name in names:
        try:
            results.append(evaluate(items, load_extractor(name), settings=settings))
        except ExtractorUnavailable as exc:
            unavailable[name] = str(exc)
    if json_:
        emit({"set": str(path), "results": [r.to_dict() for r in results], "unavailable": unavailable})
    for r in [] if json_ else results:
        table = Table(title=f"{r.extractor}: {r.articles} articles, {r.seconds:.2f}s", title_justify="left")
        for col in ("", "precision", "recall", "F1", "tp / fp / fn"):
            table.add_column(col, justify="left" if not col else "right")
        for label, prf in (("statements", r.statements), ("stances", r.stances), ("reversals", r.changes)):
            table.add_row(
                label, f"{prf.precision:.3f}", f"{prf.recall:.3f}", f"{prf.f1:.3f}", f"{prf.tp} / {prf.fp} / {prf.fn}"
            )
        for label, ratio in (("speaker actor", r.actor_accuracy), ("statement kind", r.kind_accuracy)):
            table.add_row(label, f"accuracy {ratio.value:.3f}", "", "", f"{ratio.correct} / {ratio.total}")
        out.print(table)
        if show_misses:
            for label, findings in (
                ("statement misses", r.statement_misses),
                ("statement false positives", r.statement_false_positives),
                ("actor errors", r.actor_errors),
                ("stance misses", r.stance_misses),
                ("stance false positives", r.stance_false_positives),
                ("reversal misses", r.change_misses),
                ("spurious reversals", r.change_false_positives),
            ):
                if findings:
                    out.print(f"[bold]{label}[/] ({len(findings)}):")
                    for f in findings[:show_misses]:
                        out.print(
                            f"  {f.article_id}  [yellow]{escape(f.category)}[/]  {escape(f.what)}", soft_wrap=True
                        )
            top = escape(", ".join(f"{cat} ×{n}" for cat, n in r.miss_categories().most_common(8)))
            out.print(f"[bold]most common:[/] {top}\n", soft_wrap=True)
    for name, reason in unavailable.items():
        err.print(f"[yellow]skipped[/] {name}: {escape(reason)}")
    if unavailable and extractor != "all":
        raise typer.Exit(2)


@app.command()
def schemas(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the JSON Schema files.")] = Path("schemas/json"),
    check: Annotated[bool, typer.Option(help="Only check the files match the models; exit 1 if not.")] = False,
) -> None:
    """Write (or --check) the JSON Schema of every topic record, generated from the pydantic models."""
    from schemas.jsonschema import schema_files

    stale = []
    for name, text in schema_files().items():
        target = out_dir / name
        if check:
            if not target.exists() or target.read_text("utf-8") != text:
                stale.append(str(target))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        out.print(f"wrote {target}", markup=False)
    if stale:
        raise fail("JSON Schema out of date (run `stancewire schemas`): " + ", ".join(stale), code=1)


@app.command()
def openapi(
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the document.")] = Path(
        "schemas/openapi.json"
    ),
    check: Annotated[bool, typer.Option(help="Only check the file matches the models; exit 1 if not.")] = False,
) -> None:
    """Write (or --check) the OpenAPI document of the worker's HTTP API, generated from schemas/api.py."""
    from schemas.openapi import openapi_text

    text = openapi_text()
    if check:
        if not out_file.exists() or out_file.read_text("utf-8") != text:
            raise fail(f"OpenAPI document out of date (run `stancewire openapi`): {out_file}", code=1)
        return
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(text, "utf-8")
    out.print(f"wrote {out_file}", markup=False)
