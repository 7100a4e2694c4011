"""``newsdesk stories``: the developing stories the articles are linked into, and one story's
articles in date order."""

from __future__ import annotations

import json
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from corpus import NewsdeskError

from index.stories import date_span

from .cli_common import _assistant, _fail, out
from .when import human_date

stories_app = typer.Typer(help="Developing stories: articles about one event, linked as they arrive.",
                          invoke_without_command=True, no_args_is_help=False)


@stories_app.callback()
def stories(ctx: typer.Context,
            since: Optional[str] = typer.Option(None, "--since", help="Only stories with an article "
                                                "from this date on (YYYY-MM-DD)."),
            single: bool = typer.Option(False, "--all", help="Single-article stories too."),
            limit: int = typer.Option(50, "--limit", min=1, help="At most this many stories."),
            as_json: bool = typer.Option(False, "--json", help="Print the stories as JSON.")):
    """List the stories, the latest-updated first."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        rows = _assistant().stories(since, single=single, limit=limit)
    except NewsdeskError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        out.print("No story has more than one article" + (f" since {since}" if since else "")
                  + ". `newsdesk stories --all` lists single-article ones too.")
        return
    table = Table("title", "dates", "articles", "outlets")
    table.add_column("story", overflow="fold")  # whole: it is what `stories show` takes
    for s in rows:
        table.add_row(escape(s["title"]), date_span(s["first"], s["last"]), str(s["articles"]),
                      escape(", ".join(s["outlets"])), escape(s["story"]))
    out.print(table)
    out.print("One story's articles: newsdesk stories show STORY")


@stories_app.command()
def show(story: str = typer.Argument(..., help="The story's id (see `newsdesk stories`)."),
         as_json: bool = typer.Option(False, "--json", help="Print the story as JSON.")):
    """One story's articles, oldest first, then its timeline (the dated events they report)."""
    try:
        found = _assistant().story(story)
    except NewsdeskError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return
    out.print(f"[bold]{escape(found['title'])}[/] ({date_span(found['first'], found['last'])}, "
              f"{len(found['articles'])} articles)", highlight=False)
    table = Table("date", "title", "source")
    table.add_column("article id", overflow="fold")
    for a in found["articles"]:
        table.add_row(a["published_at"] or "undated", escape(a["title"]), escape(a["source"]),
                      escape(a["article_id"]))
    out.print(table)
    if found["timeline"]:
        out.print("[bold]Timeline[/]")
        for event in found["timeline"]:
            out.print(f"- {human_date(event['day'])}: {escape(event['text'])}", highlight=False)

