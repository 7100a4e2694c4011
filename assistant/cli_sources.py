"""``newsdesk sources`` (add, list, fetch, remove) and ``newsdesk watch``: following feeds,
sitemaps and pages."""

from __future__ import annotations

import json
import time
from typing import List, Optional

import typer
from rich.markup import escape
from rich.table import Table

from corpus import NewsdeskError

from index.follow import every_text, when_text

from .cli_common import _assistant, _fail, err, out

sources_app = typer.Typer(help="Follow news sources: RSS/Atom feeds, sitemaps and article pages.",
                          invoke_without_command=True, no_args_is_help=False)


@sources_app.callback()
def sources(ctx: typer.Context,
            as_json: bool = typer.Option(False, "--json", help="Print the sources as JSON.")):
    """List the followed sources and their state."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        rows = _assistant().sources()
    except NewsdeskError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        out.print("No sources are followed. Add one: newsdesk sources add https://example.org/feed.xml")
        return
    table = Table("name", "kind", "every", "last fetched", "items", "new articles", "last error", "next run")
    for s in rows:
        table.add_row(escape(s["name"]) + "\n" + escape(s["url"]), s["kind"], every_text(s["every"]),
                      when_text(s["last_fetched"]) + (f" ({s['last_status']})" if s["last_status"] else ""),
                      str(s["items_seen"]), str(s["new_articles"]), escape(s["last_error"] or "-"),
                      when_text(s["next_run"]))
    out.print(table)


@sources_app.command()
def add(url: str = typer.Argument(..., help="An RSS/Atom feed, a sitemap (index) or an article page."),
        every: str = typer.Option("1h", "--every", help='How often to fetch it: "15m", "2h", "1d".'),
        name: Optional[str] = typer.Option(None, "--name", help="A short name (default: the feed's title)."),
        fetch: bool = typer.Option(False, "--fetch", help="Fetch it now, too.")):
    """Follow a source. `newsdesk serve` and `newsdesk watch` fetch it on schedule."""
    try:
        bot = _assistant()
        source = bot.add_source(url, every=every, name=name)
        out.print(f"[green]following[/] {escape(source['name'])}: {escape(source['url'])} "
                  f"({source['kind']}, every {every_text(source['every'])})", highlight=False)
        if fetch:
            _run(bot, [source["name"]])
    except NewsdeskError as exc:
        _fail(exc)


@sources_app.command()
def fetch(names: List[str] = typer.Argument(None, help="Sources to fetch now (default: those due).")):
    """Fetch the due sources (or the named ones) now, index what is new, and exit."""
    try:
        bot = _assistant()
        reports = _run(bot, names or None)
    except NewsdeskError as exc:
        _fail(exc)
    if not reports:
        out.print("No source is due. Name one to fetch it anyway: newsdesk sources fetch NAME")
    if any(r.status == "error" for r in reports):
        raise typer.Exit(1)


@sources_app.command()
def remove(name: str = typer.Argument(..., help="The source's name (see `newsdesk sources`).")):
    """Stop following a source (its articles stay indexed)."""
    try:
        if not _assistant().remove_source(name):
            err.print(f"No source is called {escape(name)!r}; `newsdesk sources` lists them.")
            raise typer.Exit(1)
    except NewsdeskError as exc:
        _fail(exc)
    out.print(f"removed {escape(name)}; its articles stay indexed")


def watch(poll: float = typer.Option(60.0, min=1, help="Seconds between looks for due sources.")):
    """Fetch due sources on schedule, without the web server, until Ctrl+C."""
    try:
        bot = _assistant()
        if not bot.sources():
            err.print("No sources are followed yet; add one with `newsdesk sources add URL`.")
        out.print("Watching the followed sources (Ctrl+C to stop).")
        while True:
            _run(bot, None)
            time.sleep(poll)
    except NewsdeskError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        out.print("stopped")


def _run(bot, names):
    def show(report):
        colour = {"ok": "green", "not modified": "green", "busy": "yellow"}.get(report.status, "red")
        out.print(f"[{colour}]{report.status}[/] {escape(report.summary())}", highlight=False)
        for problem in report.problems[:5]:
            err.print(f"  [yellow]problem[/] {escape(problem)}", highlight=False)
        if len(report.problems) > 5:
            err.print(f"  ... and {len(report.problems) - 5} more (`newsdesk sources` shows the latest)")

    return bot.fetch_sources(names, progress=show)
