"""assistant.config: one Settings object, overridable by NEWSDESK_* environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant import Settings, load_settings
from corpus import BUNDLED_DIR
from index import DEFAULT_MODEL


@pytest.fixture(autouse=True)
def in_empty_dir(tmp_path, monkeypatch):
    """Run where no .env file exists."""
    monkeypatch.chdir(tmp_path)


def test_defaults():
    s = load_settings()
    assert s.data_dir == Path("data")
    assert s.top_k == 8
    assert s.embedding_model == DEFAULT_MODEL
    assert s.corpus_paths == [BUNDLED_DIR]
    assert (s.host, s.port) == ("127.0.0.1", 7860)


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "idx"))
    monkeypatch.setenv("NEWSDESK_TOP_K", "3")
    monkeypatch.setenv("NEWSDESK_CORPUS_PATHS", '["a", "b/c"]')
    monkeypatch.setenv("NEWSDESK_MAX_QUESTION_CHARS", "50")
    s = load_settings()
    assert s.data_dir == tmp_path / "idx"
    assert s.top_k == 3
    assert s.corpus_paths == [Path("a"), Path("b/c")]
    assert s.max_question_chars == 50


def test_env_var_names_are_case_insensitive(monkeypatch):
    monkeypatch.setenv("newsdesk_top_k", "5")
    assert load_settings().top_k == 5


def test_keyword_overrides_win_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSDESK_TOP_K", "3")
    assert load_settings(top_k=12, data_dir=tmp_path).top_k == 12


def test_dotenv_file_in_the_working_directory_is_read(tmp_path):
    (tmp_path / ".env").write_text("NEWSDESK_TOP_K=4\n")
    assert load_settings().top_k == 4


@pytest.mark.parametrize("name, value", [
    ("NEWSDESK_TOP_K", "many"),
    ("NEWSDESK_TOP_K", "0"),
    ("NEWSDESK_TOP_K", "51"),
    ("NEWSDESK_PORT", "70000"),
    ("NEWSDESK_CHUNK_TOKENS", "8"),
    ("NEWSDESK_MIN_COVERAGE", "1.5"),
    ("NEWSDESK_CORPUS_PATHS", "not json"),
])
def test_invalid_values_raise_a_pydantic_error(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises((ValidationError, ValueError)) as info:
        load_settings()
    if isinstance(info.value, ValidationError):
        assert name.removeprefix("NEWSDESK_").lower() in str(info.value)


def test_invalid_keyword_override_raises():
    with pytest.raises(ValidationError):
        load_settings(top_k=-1)


def test_unknown_variables_are_ignored(monkeypatch):
    monkeypatch.setenv("NEWSDESK_NO_SUCH_SETTING", "x")
    assert isinstance(load_settings(), Settings)


def test_every_setting_is_described():
    for name, field in Settings.model_fields.items():
        assert field.description, name
