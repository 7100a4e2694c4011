"""Batches load as far as they can; every failure is a LoadProblem, never an exception."""

import json
import os

import pytest

import corpus
from corpus import LoadProblem, LoadResult, load_file, load_paths


def test_public_api():
    assert set(corpus.__all__) == {
        "Article", "stable_id", "NewsdeskError", "InvalidInput", "TooLarge", "LoadProblem", "LoadResult",
        "load_paths", "load_file", "load_bytes", "SUPPORTED_SUFFIXES", "BUNDLED_DIR"}
    assert corpus.SUPPORTED_SUFFIXES == (".txt", ".md", ".json", ".jsonl", ".html", ".htm")
    assert corpus.BUNDLED_DIR.is_dir()
    assert str(LoadProblem("a.jsonl:3", "record has no body")) == "a.jsonl:3: record has no body"


def test_invalid_utf8_names_the_byte_offset(write):
    path = write("latin1.txt", "Title\n\nCaf".encode() + b"\xe9 au lait.")
    result = load_file(path)
    assert result.articles == []
    assert result.files == 1
    assert result.problems == [LoadProblem(
        str(path), "not valid UTF-8 (byte 0xe9 at offset 10); save the file as UTF-8")]


def test_invalid_utf8_in_jsonl_costs_one_line(write):
    good = json.dumps({"title": "Fine", "body": "Text."}).encode() + b"\n"
    bad = b'{"title": "Caf\xe9", "body": "x"}\n'
    path = write("mixed.jsonl", good + bad + good)
    result = load_file(path)
    assert len(result.articles) == 2
    [problem] = result.problems
    assert problem.origin == f"{path}:2"
    assert f"byte 0xe9 at offset {len(good) + 14}" in problem.reason


def test_binary_file(write):
    path = write("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert load_file(path).problems == [LoadProblem(str(path), "binary file, not text")]


def test_empty_file(write):
    assert load_file(write("empty.md", "\n \n")).problems[0].reason == "file is empty"


def test_unsupported_file_given_explicitly(write):
    path = write("report.pdf", b"%PDF-1.4")
    result = load_paths([path])
    assert result.files == 0
    assert result.problems == [LoadProblem(
        str(path), "unsupported file type .pdf; supported: .txt .md .json .jsonl .html .htm")]


def test_nonexistent_path(tmp_path, write):
    good = write("ok.txt", "Title\n\nBody.")
    missing = tmp_path / "nope.txt"
    result = load_paths([missing, good])
    assert [a.title for a in result.articles] == ["Title"]
    assert result.problems == [LoadProblem(str(missing), "no such file or directory")]


def test_unreadable_file_reports_the_os_error(tmp_path):
    folder = tmp_path / "folder.txt"  # a directory that looks like a text file
    folder.mkdir()
    [problem] = load_file(folder).problems
    assert problem.reason == "cannot read the file: Is a directory"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(write):
    path = write("secret.txt", "Title\n\nBody.")
    path.chmod(0)
    try:
        assert "Permission denied" in load_file(path).problems[0].reason
    finally:
        path.chmod(0o644)


def test_directory_walk(tmp_path, write):
    write("b.txt", "Bravo\n\nBody b.")
    write("a.md", "# Alpha\n\nBody a.")
    write("sub/c.jsonl", json.dumps({"title": "Charlie", "body": "Body c."}) + "\n")
    write("sub/README.md", "# Not an article\n\nDocs.")
    write("LICENSE.txt", "Licence\n\nText.")
    write("notes.pdf", b"%PDF")  # unsupported inside a folder: skipped silently
    write(".hidden.txt", "Hidden\n\nBody.")
    write(".git/x.txt", "Git\n\nBody.")
    write("sub/broken.json", "{")
    result = load_paths([tmp_path])
    assert [a.title for a in result.articles] == ["Alpha", "Bravo", "Charlie"]
    assert result.files == 4
    assert [p.origin for p in result.problems] == [str(tmp_path / "sub" / "broken.json")]


def test_readme_given_explicitly_is_loaded(write):
    assert load_paths([write("README.md", "# Readme\n\nBody.")]).articles[0].title == "Readme"


def test_single_path_string_is_one_path(write):
    path = write("one.txt", "One\n\nBody.")
    assert len(load_paths(str(path)).articles) == 1


def test_results_combine():
    first = LoadResult(problems=[LoadProblem("a", "x")], files=1)
    first.extend(LoadResult(files=2))
    assert (len(first.problems), first.files) == (1, 3)


# --- stable ids ---------------------------------------------------------------

def test_same_file_twice_gives_same_ids(write):
    path = write("feed.jsonl", "\n".join(json.dumps({"title": f"T{i}", "body": f"Body {i}."})
                                         for i in range(3)))
    first = [a.id for a in load_file(path).articles]
    assert first == [a.id for a in load_file(path).articles]
    assert len(set(first)) == 3


def test_same_record_in_json_and_jsonl_has_one_id(write):
    record = {"title": "Bridge reopens", "body": "The bridge reopened.", "source": "Gazette",
              "url": "https://gazette.example/bridge"}
    one = load_file(write("r.json", json.dumps(record))).articles[0]
    two = load_file(write("r.jsonl", json.dumps(record) + "\n")).articles[0]
    assert one.id == two.id
    assert one.origin != two.origin


def test_editing_txt_body_keeps_its_id(write):
    before = load_file(write("s.txt", "Storm hits coast\n\nFirst version.")).articles[0]
    after = load_file(write("s.txt", "Storm hits coast\n\nCorrected version, longer.")).articles[0]
    assert before.id == after.id
    assert before.content_hash != after.content_hash


def test_explicit_id_wins(write):
    art = load_file(write("x.json", json.dumps({"id": 42, "title": "T", "body": "B."}))).articles[0]
    assert art.id == "42"


def test_load_bytes_parses_by_name_and_never_touches_the_disk(tmp_path, monkeypatch):
    from corpus import load_bytes

    monkeypatch.chdir(tmp_path)
    ok = load_bytes("upload/story.txt", b"A title\n\nA body of text.")
    assert [a.title for a in ok.articles] == ["A title"] and ok.files == 1
    for name, data, reason in [("../../etc/passwd", b"root:x:0:0", "unsupported file type (no suffix)"),
                               ("x.exe", b"MZ", "unsupported file type .exe"),
                               ("bad.txt", b"\x00\x01binary", "binary")]:
        result = load_bytes(name, data)
        assert not result.articles and reason in result.problems[0].reason, result.problems
    assert list(tmp_path.iterdir()) == []
