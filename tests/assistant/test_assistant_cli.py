"""The ``newsdesk`` CLI through typer's CliRunner, on a small corpus in a tmp data dir."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from index import DEFAULT_MODEL

pytestmark = pytest.mark.integration


def flat(text: str) -> str:
    """Output without whitespace or table borders (rich wraps long cells)."""
    return re.sub(r"[\s│┃┆┊║|─━┏┓┗┛┌┐└┘├┤┬┴┼╭╮╰╯]", "", text)


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory, make_small_corpus):
    """A data dir indexed once by ``newsdesk ingest``; returns (env, corpus dir, first result)."""
    base = tmp_path_factory.mktemp("cli")
    corpus = make_small_corpus(base / "articles")
    env = {"NEWSDESK_DATA_DIR": str(base / "data"), "NEWSDESK_CORPUS_PATHS": json.dumps([str(corpus)])}
    result = CliRunner().invoke(app, ["ingest", str(corpus)], env=env)
    return env, corpus, result


def run(env, *args):
    return CliRunner().invoke(app, list(args), env=env)


def test_ingest_twice_second_run_embeds_nothing(cli_index):
    env, corpus, first = cli_index
    assert first.exit_code == 0, first.output
    assert "3 added" in first.output and "0 problems" in first.output
    assert not re.search(r"\b0 chunks embedded", first.output)
    second = run(env, "ingest", str(corpus))
    assert second.exit_code == 0, second.output
    assert "3 unchanged" in second.output
    assert "0 chunks embedded" in second.output
    assert "nothing changed" in second.output


def test_ask_json_prints_the_answer(cli_index):
    env, _, _ = cli_index
    result = run(env, "ask", "--json", "What did Marta Olsen say?")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"question", "text", "covered", "citations", "passages"} <= set(data)
    assert data["covered"] is True and data["citations"] and data["passages"]
    assert "Traffic is flowing again" in data["text"]
    for c in data["citations"]:
        assert f"[{c['n']}]" in data["text"]
        assert c["quote"] in c["passage"]
        assert {"article_id", "title", "source", "published_at", "url", "quote_start",
                "quote_end", "passage_start", "passage_end"} <= set(c)
    for p in data["passages"]:
        assert {"id", "article_id", "text", "start", "end", "title", "score"} <= set(p)


def test_ask_prints_answer_and_numbered_sources(cli_index):
    env, _, _ = cli_index
    result = run(env, "ask", "Who won the Zembla chess open?")
    assert result.exit_code == 0, result.output
    assert "Ilona Brandt" in result.stdout
    assert "[1] Teenager wins Zembla chess open" in result.stdout
    assert "Example News" in result.stdout and "2021-03-04" in result.stdout


def test_ask_uncovered_question(cli_index):
    env, _, _ = cli_index
    result = run(env, "ask", "--json", "What is the recipe for banana bread?")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["covered"] is False and data["citations"] == []
    assert "don't cover" in data["text"]


@pytest.mark.parametrize("question", ["", "   "])
def test_ask_empty_question_fails_cleanly(cli_index, question):
    env, _, _ = cli_index
    result = run(env, "ask", question)
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)
    assert "question is empty" in result.stderr
    assert "Traceback" not in result.output


def test_ask_too_long_question_names_the_limit(cli_index):
    env, _, _ = cli_index
    result = run({**env, "NEWSDESK_MAX_QUESTION_CHARS": "20"}, "ask", "x" * 21)
    assert result.exit_code != 0
    assert "limit is 20" in result.stderr
    assert "Traceback" not in result.output


def test_status_shows_articles_chunks_model_and_path(cli_index):
    env, _, _ = cli_index
    result = run(env, "status")
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "articles3" in out
    assert re.search(r"chunks(\d+)", out) and re.search(r"vectors(\d+)", out)
    assert re.search(r"chunks(\d+)", out).group(1) == re.search(r"vectors(\d+)", out).group(1)
    assert flat(DEFAULT_MODEL) in out
    assert flat(env["NEWSDESK_DATA_DIR"]) in out


def test_status_as_json(cli_index):
    env, _, _ = cli_index
    result = run(env, "status", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["articles"] == 3 and info["chunks"] == info["vectors"] and info["embedding_model"].startswith(DEFAULT_MODEL)


def test_normal_output_is_quiet_and_verbose_shows_the_log(cli_index):
    import os
    import subprocess
    import sys

    env, _, _ = cli_index
    full = {**os.environ, **env}

    def ask(*flags):
        return subprocess.run([sys.executable, "-m", "assistant.cli", *flags, "ask", "Who is quoted?"],
                              env=full, capture_output=True, text=True, timeout=300)

    quiet, verbose = ask(), ask("--verbose")
    assert quiet.returncode == 0 and verbose.returncode == 0, quiet.stderr + verbose.stderr
    assert quiet.stderr.strip() == "", quiet.stderr
    assert "INFO" in verbose.stderr and "loaded embedding model" in verbose.stderr


def test_ingest_reports_problems_with_file_names(cli_index, tmp_path):
    env, _, _ = cli_index
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.json").write_bytes(b"\x00\x01\x02")
    result = run(env, "ingest", str(tmp_path / "empty.txt"), str(tmp_path / "binary.json"),
                 str(tmp_path / "missing.txt"))
    assert result.exit_code == 1  # nothing at all could be ingested
    out = flat(result.output)
    assert flat(f"{tmp_path / 'empty.txt'}: file is empty") in out
    assert flat(f"{tmp_path / 'binary.json'}: binary file") in out
    assert flat(f"{tmp_path / 'missing.txt'}: no such file") in out
    assert "Traceback" not in result.output


def test_mismatched_model_is_a_clean_cli_error(cli_index, tmp_path):
    env, _, _ = cli_index
    fake_model = tmp_path / "not-a-model"
    fake_model.mkdir()
    result = run({**env, "NEWSDESK_EMBEDDING_MODEL": str(fake_model)}, "status")
    assert result.exit_code == 2
    assert "--rebuild" in flat(result.stderr) and "Traceback" not in result.output


def test_ask_empty_question_on_a_fresh_install_fails_before_indexing(cli_index, tmp_path):
    env, _, _ = cli_index
    fresh = {**env, "NEWSDESK_DATA_DIR": str(tmp_path / "fresh")}
    result = run(fresh, "ask", "")
    assert result.exit_code != 0 and "question is empty" in result.stderr
    from assistant import Assistant, load_settings
    bot = Assistant.from_settings(load_settings(data_dir=tmp_path / "fresh"))
    assert bot.catalog.counts() == (0, 0)


def test_ask_with_the_local_llm(cli_index):
    """NEWSDESK_LLM=smollm2: the real tiny model writes (or the answer falls back, saying
    so); either way the output is a checked answer with its sources."""
    env, _, _ = cli_index
    llm_env = {**env, "NEWSDESK_LLM": "smollm2", "NEWSDESK_LLM_MAX_TOKENS": "60"}
    result = run(llm_env, "ask", "--json", "When did the harbour bridge reopen?")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["answerer"] in ("llm:smollm2", "extractive")
    if answer["answerer"] == "extractive":
        assert "extractive answer instead" in answer["notice"]
    else:
        assert answer["sentences"] and "first_token" in answer["timings"]
    assert answer["citations"]
    shown = run(llm_env, "ask", "When did the harbour bridge reopen?")
    assert shown.exit_code == 0 and "[1] Harbour bridge reopens" in shown.output, shown.output


def test_ask_with_a_missing_llm_extra_or_file_is_a_clean_error(cli_index, tmp_path):
    env, _, _ = cli_index
    result = run({**env, "NEWSDESK_LLM": f"llamacpp:{tmp_path}/missing.gguf"}, "ask", "Who is Marta Olsen?")
    assert result.exit_code == 2
    assert "No GGUF model file" in result.output and "Traceback" not in result.output
