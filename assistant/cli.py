"""The ``newsdesk`` command: ingest, ask, quotes, speakers, eval, serve, status."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from corpus import InvalidInput, NewsdeskError

from .answer import quoted
from .cli_common import _assistant, _fail, _Options, _setup_logging, err, out
from .cli_sources import sources_app, watch
from .cli_stories import stories_app

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Newsdesk: chat with news articles; every answer cites its passages.")


@app.callback()
def _options(verbose: bool = typer.Option(False, "--verbose", "-v",
                                          help="Show log lines and library warnings on stderr.")):
    _Options.verbose = verbose


class _Bar:
    """A rich progress bar fed by the indexer's ``progress(stage, done, total)``."""

    def __init__(self, console: Console):
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=console, transient=False)
        self.task = None

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        self.progress.__exit__(*exc)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.task is None:
            self.task = self.progress.add_task("indexing articles", total=total)
        self.progress.update(self.task, completed=done, total=total)


def run_ingest(bot, paths, *, prune: bool = False, console: Console = err):
    """Ingest with a progress bar; print the summary and any problems. Shared with ``serve``."""
    with _Bar(console) as bar:
        report = bot.ingest(paths, prune=prune, progress=bar)
    for p in report.problems:
        console.print(f"[yellow]skipped[/] {p.origin}: {p.reason}", highlight=False)
    embedded = report.chunks_embedded
    note = " (nothing changed; 0 chunks embedded)" if not embedded else ""
    console.print(f"[green]indexed[/] {report.summary()}{note}", highlight=False)
    return report


def index_on_first_run(bot) -> None:
    """An empty index gets the configured corpus (the bundled one by default)."""
    if bot.is_empty():
        err.print("First run: indexing the corpus; this takes a minute or two, once.")
        run_ingest(bot, bot.settings.corpus_paths)


@app.command()
def ingest(paths: List[str] = typer.Argument(..., help="Files or folders of .txt .md .json .jsonl .html, "
                                             "or article addresses (https://...)"),
           prune: bool = typer.Option(False, "--prune", help="Also delete indexed articles not found under PATHS."),
           rebuild: bool = typer.Option(False, "--rebuild", help="Delete the index first and build it anew.")):
    """Index articles: only new or changed ones are embedded. An address is fetched now."""
    urls = [p for p in paths if p.lower().startswith(("http://", "https://"))]
    files = [Path(p) for p in paths if p not in urls]
    if urls and prune:
        _fail(InvalidInput("--prune works on folders, not addresses.",
                           hint="Ingest the addresses in a separate command."))
    try:
        if rebuild:
            from .config import load_settings
            from .core import wipe_index

            settings = load_settings()
            wipe_index(settings.data_dir, settings.chroma_url, settings.collection)
        bot = _assistant()
        reports = [run_ingest(bot, files, prune=prune, console=out)] if files else []
    except NewsdeskError as exc:
        _fail(exc)
    for url in urls:
        try:
            report = bot.ingest_url(url)
        except NewsdeskError as exc:
            err.print(f"[yellow]skipped[/] {escape(url)}: {escape(exc.user_message())}", highlight=False)
            continue
        out.print(f"[green]indexed[/] {escape(url)}: {report.added} added, {report.updated} updated, "
                  f"{report.unchanged + report.duplicates} unchanged; {report.chunks_embedded} chunks embedded; "
                  f"{report.seconds:.1f} s", highlight=False)
        reports.append(report)
    if not any(r.added or r.updated or r.unchanged for r in reports):
        if any(r.problems for r in reports) or urls:
            raise typer.Exit(1)


@app.command()
def ask(question: str = typer.Argument(..., help="A question about the articles."),
        as_json: bool = typer.Option(False, "--json", help="Print the Answer as JSON."),
        source: List[str] = typer.Option([], "--source", help="Only these sources (repeatable)."),
        since: Optional[str] = typer.Option(None, help="Only articles published on/after YYYY-MM-DD."),
        until: Optional[str] = typer.Option(None, help="Only articles published on/before YYYY-MM-DD."),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="Answer as things stood on YYYY-MM-DD "
                                            "(a changing figure: the newest then, and the earlier ones).")):
    """Answer a question, with numbered sources."""
    from index import SearchFilters

    try:
        bot = _assistant()
        bot.check_question(question)  # fail fast, before any first-run indexing
        filters = SearchFilters(tuple(source), since, until)
        index_on_first_run(bot)
        answer = _streamed(bot.ask_stream(question, filters=filters, as_of=as_of), show=not as_json)
    except NewsdeskError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    print_answer(answer)


def _streamed(stream, *, show: bool):
    """Consume ``Assistant.ask_stream``: the LLM's text live on the terminal while it is
    written (replaced by the checked answer), the Answer returned."""
    from rich.live import Live
    from rich.text import Text

    from .answer import Answer

    written = ""
    live = Live(Text(""), console=err, transient=True, auto_refresh=False) if show else None
    try:
        for item in stream:
            if isinstance(item, Answer):
                return item
            written += item
            if live is not None:
                if not live.is_started:
                    live.start()
                live.update(Text(written + " ▍", style="dim"), refresh=True)
    finally:
        if live is not None and live.is_started:
            live.stop()
    raise RuntimeError("the answer stream ended without an answer")


def print_answer(answer) -> None:
    """The answer (unsupported generated sentences marked ⚠), any notice, then the sources."""
    if answer.standalone:
        out.print(f"[dim]Searched for: {answer.standalone}[/]", highlight=False)
    if answer.answerer.startswith("llm:") and answer.sentences:
        for s in answer.sentences:
            why = escape("; ".join(s.problems) or "not supported")
            flag = f" [yellow]⚠ ({why})[/]" if s.supported is False else ""
            out.print(escape(s.text) + flag, highlight=False)
    else:
        out.print(answer.text, highlight=False, markup=False)
    if answer.notice:
        out.print(f"[italic yellow]{escape(answer.notice)}[/]", highlight=False)
    if answer.citations:
        out.print()
        for c in answer.citations:
            meta = " · ".join(x for x in (c.source, c.published_at, c.url) if x)
            out.print(f"[bold][{c.n}][/] {c.title}" + (f" ({meta})" if meta else ""), highlight=False)
            out.print(f"    {quoted(c.quote)}", style="dim", highlight=False)
            if c.also_published:
                out.print(f"    {c.also_text()}", style="dim", highlight=False, markup=False)


@app.command()
def quotes(speaker: Optional[str] = typer.Argument(None, help='Who: a surname is enough ("Sybiga").'),
           topic: Optional[str] = typer.Option(None, "--topic", "-t", help="Only statements about this."),
           source: List[str] = typer.Option([], "--source", help="Only these sources (repeatable)."),
           since: Optional[str] = typer.Option(None, help="Only articles published on/after YYYY-MM-DD."),
           until: Optional[str] = typer.Option(None, help="Only articles published on/before YYYY-MM-DD."),
           limit: int = typer.Option(20, min=1, help="At most this many statements."),
           as_json: bool = typer.Option(False, "--json", help="Print the statements as JSON.")):
    """What someone said: their statements, exact words, with article and date."""
    try:
        bot = _assistant()
        index_on_first_run(bot)
        found = bot.quotes(speaker, topic, since=since, until=until, sources=source, limit=limit)
    except NewsdeskError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps([s.to_dict() for s in found], ensure_ascii=False, indent=2))
        return
    if not found:
        who = speaker or "anyone"
        out.print(f"No statement by {who}" + (f" about {topic}" if topic else "") + " in the articles.",
                  highlight=False)
        return
    titles = {}
    for s in found:
        if s.article_id not in titles:
            art = bot.article(s.article_id)
            titles[s.article_id] = (art.title, art.source) if art else (s.article_id, "")
        title, src = titles[s.article_id]
        who = s.speaker + (f", {s.role}" if s.role else "")
        kind = "" if s.kind == "direct" else " (reported)"
        meta = " · ".join(x for x in (s.published_at or "undated", src, title) if x)
        out.print(f"[bold]{who}[/]{kind} · {meta}", highlight=False)
        out.print(f"    {quoted(s.text)}" if s.kind == "direct" else f"    {s.text}", highlight=False)


@app.command()
def speakers(limit: int = typer.Option(50, min=1, help="Show the N most quoted."),
             as_json: bool = typer.Option(False, "--json", help="Print them as JSON.")):
    """Who is quoted in the articles, most quoted first."""
    try:
        rows = _assistant().speakers()
    except NewsdeskError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(rows[:limit], ensure_ascii=False, indent=2))
        return
    grid = Table("speaker", "role", "statements", "articles", "first", "last")
    for r in rows[:limit]:
        grid.add_row(r["speaker"], r["role"] or "", str(r["statements"]), str(r["articles"]),
                     r["first"] or "", r["last"] or "")
    out.print(grid)


@app.command(name="eval")
def evaluate(corpus: Path = typer.Option(..., exists=True, dir_okay=False, help="Articles, JSONL (eval schema)."),
             questions: Path = typer.Option(..., exists=True, dir_okay=False,
                                            help="queries_*.jsonl (PolNeAR) or news_qa_*.jsonl (reader questions)."),
             quotes: Optional[Path] = typer.Option(None, exists=True, dir_okay=False, help="quotes_*.jsonl"),
             out_dir: Path = typer.Option(Path("eval-report"), "--out", help="Folder for eval.json and eval.md."),
             failures: Optional[Path] = typer.Option(None, "--failures", dir_okay=False,
                                                     help="Write every wrong row, with its class, here (JSONL)."),
             limit: Optional[int] = typer.Option(None, min=1, help="Only the first N questions (and N quote cases)."),
             data_dir: Optional[Path] = typer.Option(None, help="Index folder (default: DATA_DIR/eval/<corpus>).")):
    """Measure retrieval, answers and latency on a labelled question set."""
    import hashlib

    from . import evaluate as ev
    from . import reader_eval as rev
    from .config import load_settings
    from .core import Assistant

    settings = load_settings()
    _setup_logging(settings.log_level)
    if data_dir is None:
        key = hashlib.sha1(str(corpus.resolve()).encode()).hexdigest()[:8]
        data_dir = Path(settings.data_dir) / "eval" / f"{corpus.stem}-{key}"
    try:
        rows = ev.read_jsonl(questions)
        reader = bool(rows) and rev.is_reader_schema(rows[0])
        if reader:
            qs = rev.read(rows, questions)[:limit]
        else:
            qs = ev.read_questions(questions)[:limit]
            if quotes:
                qs += ev.read_quote_cases(quotes)[: 2 * limit if limit else None]
        bot = Assistant.from_settings(settings.model_copy(update={"data_dir": data_dir}))
        err.print(f"index for {corpus} in {data_dir}")
        run_ingest(bot, [corpus])
        with Progress(TextColumn("asking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err) as bar:
            task = bar.add_task("questions", total=len(qs))
            runner = rev.run if reader else ev.run
            report = runner(bot, qs, progress=lambda done, total: bar.update(task, completed=done))
    except NewsdeskError as exc:
        _fail(exc)
    meta = {"corpus": str(corpus), "questions": str(questions), "quotes": str(quotes or ""),
            "limit": limit, "index": str(data_dir), "embedding_model": bot.status()["embedding_model"],
            "answerer": bot.settings.llm or "extractive", "cpu": ev.cpu(),
            "date": time.strftime("%Y-%m-%d %H:%M")}
    header, rows = (rev if reader else ev).table(report)
    grid = Table(*header, title="Newsdesk evaluation" + (": reader questions" if reader else ""))
    for row in rows:
        grid.add_row(*row)
    json_path, md_path = (rev if reader else ev).write_reports(report, meta, out_dir)
    out.print(grid)
    if not reader:
        out.print("attribution: " + ev.attribution_line(report["attribution"]), highlight=False)
    if failures is not None:
        wrong = [(rev if reader else ev).outcome_dict(o) for o in report["outcomes"]
                 if (not o.right if reader else not o.cites_gold)]
        failures.parent.mkdir(parents=True, exist_ok=True)
        failures.write_text("".join(json.dumps(w, ensure_ascii=False) + "\n" for w in wrong))
        out.print(f"{len(wrong)} wrong rows: {failures}")
    out.print(f"reports: {json_path}, {md_path}")


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="Print it as JSON.")):
    """Show what is indexed: articles, chunks, model, index path."""
    try:
        info = _assistant().status()
    except NewsdeskError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(info, ensure_ascii=False))
        return
    table = Table(show_header=False)
    for key, value in info.items():
        table.add_row(key, ", ".join(value) if isinstance(value, list) else str(value))
    out.print(table)


@app.command()
def check(repair: bool = typer.Option(False, "--repair", help="First finish an interrupted write "
                                      "and rebuild a keyword index that is out of date."),
          as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON.")):
    """Check that the catalog, the vectors and the keyword index agree (exit code 1 if not)."""
    try:
        bot = _assistant()
        info = bot.check(repair=repair)
    except NewsdeskError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(info))
        raise typer.Exit(1 if info["problems"] else 0)
    table = Table(show_header=False)
    for key, value in info.items():
        if key != "problems":
            table.add_row(key, f"{value:,}")
    out.print(table)
    for problem, count in info["problems"].items():
        err.print(f"[bold red]problem:[/] {problem}: {count:,}", highlight=False)
    if info["problems"]:
        err.print("Run `newsdesk check --repair`; if problems remain, rebuild with "
                  "`newsdesk ingest --rebuild PATH...`.")
        raise typer.Exit(1)
    out.print("The index is whole: every article's chunks are in the vectors and the keyword index.")


@app.command()
def serve(host: Optional[str] = typer.Option(None, help="Address to listen on (default 127.0.0.1)."),
          port: Optional[int] = typer.Option(None, help="Port (default 7860).")):
    """Start the web chat; indexes the configured corpus on first run."""
    try:
        bot = _assistant(quiet=False)  # a server logs what it does
        index_on_first_run(bot)
        from app import serve as serve_app

        serve_app(bot, host=host or bot.settings.host, port=port or bot.settings.port)
    except NewsdeskError as exc:
        _fail(exc)


app.add_typer(sources_app, name="sources")
app.add_typer(stories_app, name="stories")
app.command()(watch)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
