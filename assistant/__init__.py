"""Newsdesk's public Python API.

>>> from assistant import Assistant, load_settings
>>> bot = Assistant.from_settings(load_settings())
>>> report = bot.ingest(["corpus/articles"])
>>> answer = bot.ask("What did Sybiga say?")
"""

from corpus import NewsdeskError
from index import Hit, IngestReport, SearchFilters

from .answer import Answer, Citation
from .config import Settings, load_settings
from .core import Assistant

__all__ = ["Answer", "Assistant", "Citation", "Hit", "IngestReport", "NewsdeskError",
           "SearchFilters", "Settings", "load_settings"]
