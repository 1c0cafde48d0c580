"""The fast report writers and loader give what the plain pandas versions gave.

reports.csv, reports.xlsx and audit.load were rewritten for speed at 10,000 pages (values
formatted once per distinct value, records read straight into columns). These tests hold them
to the straightforward implementations they replaced: byte-identical CSVs, the same cell values
read back from the workbook, the same inlink counts and JSON Lines records.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.load import _inlinks, read_jsonl
from reports.csv import _missing, atomic_open, neutralise, write_csv
from reports.xlsx import EXCEL_MAX_CELL_CHARS, Sheet, Workbook, write_xlsx

NO_ISSUES = pd.DataFrame(columns=["url", "check", "severity"])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Text that exercises quoting, formula neutralising and XML escaping.
TEXT = st.lists(st.sampled_from([*'ab ,"\r\n\t=+-@&<>\'é😀_x0', "_x000D_", "\x07"]),
                max_size=10).map("".join)
CELL = st.one_of(st.none(), TEXT, st.integers(-5, 5), st.booleans(),
                 st.floats(-1e6, 1e6, width=32), st.just(math.nan),
                 st.lists(st.integers(0, 3), max_size=2))


def _reference_csv(frame: pd.DataFrame, path: Path, columns: list[str]) -> Path:
    """The former writer: every cell neutralised in Python, then pandas' to_csv."""
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = frame[column] if column in frame else pd.Series(None, index=frame.index)
        if pd.api.types.is_float_dtype(values) and values.dropna().mod(1).eq(0).all():
            values = values.astype("Int64")
        out[column] = pd.Series([None if _missing(v) else neutralise(v) for v in values],
                                index=frame.index, dtype=object)
    with atomic_open(path, encoding="utf-8-sig") as handle:
        out.to_csv(handle, index=False, lineterminator="\r\n")
    return path


def _frame(columns: dict[str, list[Any]]) -> pd.DataFrame:
    # Each column as pandas would infer it: str, int, float, bool or mixed objects.
    return pd.DataFrame(columns)


@SETTINGS
@given(st.integers(0, 8).flatmap(lambda rows: st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]), st.lists(CELL, min_size=rows, max_size=rows),
    min_size=1, max_size=4)))
def test_csv_is_byte_identical_to_pandas(tmp_path: Path, columns: dict[str, list[Any]]) -> None:
    frame = _frame(columns)
    names = [*columns, "absent"]
    for chosen in (names, names[:1]):  # one column takes the csv module's path
        want = _reference_csv(frame, tmp_path / "want.csv", chosen).read_bytes()
        assert write_csv(frame, tmp_path / "got.csv", chosen).read_bytes() == want


def test_values_that_hash_alike_stay_apart_in_csv(tmp_path: Path) -> None:
    # 1, True and 1.0 are one key to a hash table but three different cells.
    frame = pd.DataFrame({"v": pd.Series([1, True, 1.0, 0.0, "1", None], dtype=object),
                          "w": pd.Categorical(["x", "=y", None, "x", "x", "z"])})
    want = _reference_csv(frame, tmp_path / "want.csv", ["v", "w"]).read_bytes()
    assert write_csv(frame, tmp_path / "got.csv", ["v", "w"]).read_bytes() == want


def _expected_cell(value: Any) -> Any:
    """What the workbook must hold for a frame value, as openpyxl reads it back."""
    if isinstance(value, list):
        value = json.dumps(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        # Characters XML cannot carry are dropped; a text left empty is a blank cell.
        kept = "".join(c for c in value if (c >= " " or c in "\t\n\r")
                       and not "\ud800" <= c <= "\udfff" and c not in "\ufffe\uffff")
        return kept[:EXCEL_MAX_CELL_CHARS] or None
    return value


@SETTINGS
@given(st.lists(st.tuples(TEXT, st.one_of(st.none(), st.integers(-3, 3)),
                          st.sampled_from([None, "#N/A", "=1+1", " padded ", "a\r\nb"])),
                max_size=8))
def test_workbook_cells_read_back_as_written(tmp_path: Path,
                                             rows: list[tuple[Any, Any, Any]]) -> None:
    frame = pd.DataFrame(rows, columns=["text", "number", "odd"], dtype=object)
    path = write_xlsx(tmp_path / "t.xlsx", [
        Sheet("one", frame, ["text", "number", "odd"], "one.csv"),
        Sheet("two", frame, ["odd", "text"], "two.csv")], {}, NO_ISSUES)
    book = openpyxl.load_workbook(path)
    for name, columns in (("one", ["text", "number", "odd"]), ("two", ["odd", "text"])):
        got = [list(r) for r in book[name].iter_rows(
            min_row=2, max_row=len(frame) + 1, max_col=len(columns), values_only=True)]
        want = [[_expected_cell(v) for v in row] for row in frame[columns].values.tolist()]
        assert got == want
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type in ("f", "e")], "no formulas, no error cells"


def test_workbook_that_fails_midway_leaves_no_file(tmp_path: Path) -> None:
    frame = pd.DataFrame({"url": [f"https://x.example/{i}" for i in range(20_000)]})
    sheets = [Sheet("a", frame, ["url"], "a.csv"), Sheet("b", frame, ["url"], "b.csv")]
    names = [sheet.name for sheet in sheets]
    with pytest.raises(RuntimeError, match="stop"):
        with Workbook(tmp_path / "w.xlsx", names) as book:
            book.add(sheets[0])
            raise RuntimeError("stop")
    with pytest.raises(ValueError, match="never added"):
        with Workbook(tmp_path / "w.xlsx", names) as book:
            book.add(sheets[0])
    with pytest.raises(ValueError, match="never added"):
        with Workbook(tmp_path / "w.xlsx", names) as book:
            book.add(sheets[1])
            book.summarize({}, NO_ISSUES)
    with pytest.raises(ValueError, match="Summary"):
        with Workbook(tmp_path / "w.xlsx", names) as book:
            book.add(sheets[1])
            book.add(sheets[0])
    with pytest.raises(ValueError, match="added twice"):
        with Workbook(tmp_path / "w.xlsx", names) as book:
            book.add(sheets[0])
            book.add(sheets[0])
    assert list(tmp_path.iterdir()) == []


def _reference_inlinks(links: pd.DataFrame, urls: pd.Series) -> pd.Series:
    """The former count: distinct (source, address) pairs of <a> links to other addresses."""
    inbound = links[(links["element"] == "a") & (links["source_url"] != links["target_url"])]
    linked = pd.concat([
        inbound[["source_url", "target_url"]].rename(columns={"target_url": "url"}),
        inbound[["source_url", "final_url"]].rename(columns={"final_url": "url"}).dropna(),
    ]).drop_duplicates()
    return urls.map(linked["url"].value_counts()).fillna(0).astype(int)


URL = st.sampled_from(["/a", "/b", "/c", "/d"])


@SETTINGS
@given(st.lists(st.tuples(URL, URL, st.one_of(st.none(), URL), st.sampled_from(["a", "img"])),
                max_size=25))
def test_inlinks_match_the_pandas_count(links: list[tuple[Any, ...]]) -> None:
    frame = pd.DataFrame(links, columns=["source_url", "target_url", "final_url", "element"])
    frame = frame.astype({"source_url": str, "target_url": str, "element": str})
    urls = pd.Series(["/a", "/b", "/c", "/d", "/e"])
    assert _inlinks(frame, urls).tolist() == _reference_inlinks(frame, urls).tolist()


def test_jsonl_reader_reads_what_the_json_module_reads(tmp_path: Path) -> None:
    lines = [b'{"url": "/a", "n": 1, "ms": 1.5, "ok": true, "x": null}',
             b'{"url": "/b", "ms": NaN}', b"",
             b'{"url": "/d", "title": "half \\ud800 a pair"}',
             b'{"url": "/e", "title": "caf\xe9"}', b"[1, 2]", b'{"url": "/torn", "ti']
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"\n".join(lines))
    records = list(read_jsonl(path))
    assert [r["url"] for r in records] == ["/a", "/b", "/d", "/e"]
    assert records[0] == {"url": "/a", "n": 1, "ms": 1.5, "ok": True, "x": None}
    assert np.isnan(records[1]["ms"])
    assert records[2]["title"] == "half \ud800 a pair"
    assert records[3]["title"] == "caf\ufffd"  # bytes that are not UTF-8, as before
