"""A table column as its distinct cell values plus, per row, which of them it holds.

The CSV and workbook writers turn each distinct value into text once and pick it for every row
by its code. A 10,000-page crawl's links table repeats the same few thousand URLs, statuses and
flags across 300,000 rows; formatting each cell in Python was most of the report's run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

FACTORIZE_SIZE_HINT = 1024  # the hash table grows as distinct values come
# infer_dtype kinds whose values pandas can hash without merging values that print differently
# (1 and True, 1 and 1.0, 0.0 and -0.0 are equal as keys but not as cells).
_HASHABLE_KINDS = frozenset({"string", "empty", "boolean", "integer"})
_MASKED = (pd.arrays.IntegerArray, pd.arrays.BooleanArray)


@dataclass
class Column:
    """``values[codes[i]]`` is row i's value; code -1 is a missing value (None, NaN, NA)."""

    name: str
    # the smallest integers that hold the codes (_narrow): a 300,000-row table's flags and
    # statuses take a byte a row, not pandas' eight
    codes: np.ndarray
    values: list[Any]

    def take(self, converted: list[Any], missing: Any) -> np.ndarray:
        """Per row, ``converted[code]`` (one entry per distinct value), ``missing`` for -1."""
        return lookup(converted, missing)[self.codes]


def lookup(converted: list[Any], missing: Any) -> np.ndarray:
    """``converted`` as an object array indexed by code, ``missing`` last (code -1 picks it)."""
    table = np.empty(len(converted) + 1, dtype=object)
    table[:len(converted)] = converted
    table[-1] = missing
    return table


def plain(value: Any) -> Any:
    """Lists and dicts as JSON text (tidy tables keep them as lists; cells cannot)."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _narrow(codes: np.ndarray, count: int) -> np.ndarray:
    """``codes`` (-1 to count - 1) in the smallest signed integer type that holds them."""
    for kind in (np.int8, np.int16, np.int32):
        if count <= np.iinfo(kind).max:
            return codes.astype(kind)
    return codes


def column(frame: pd.DataFrame, name: str) -> Column:
    """Column ``name`` of ``frame`` (all missing when the frame has no such column)."""
    if name not in frame:
        return Column(name, np.full(len(frame), -1, dtype=np.int8), [])
    values = frame[name]
    if pd.api.types.is_float_dtype(values) and values.dropna().mod(1).eq(0).all():
        values = values.astype("Int64")  # counts stay "3", not "3.0", beside blanks
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories.tolist()
        return Column(name, _narrow(values.cat.codes.to_numpy(), len(categories)),
                      [plain(v) for v in categories])
    hashable = not pd.api.types.is_float_dtype(values) and (
        values.dtype != object or pd.api.types.infer_dtype(values, skipna=True)
        in _HASHABLE_KINDS)
    if hashable:
        # As an array, with a size hint: for a Series pandas sizes its hash table by the rows,
        # some 17 MB at once for a column of 300,000 links, whatever few values it holds.
        # (pandas' nullable integers and booleans are factorized as they are: their distinct
        # values come out as Python values, with no column of objects made first)
        array = (values.array if isinstance(values.array, _MASKED)
                 else values.to_numpy(dtype=object, na_value=None)  # Python values, None for NA
                 if isinstance(values.dtype, pd.api.extensions.ExtensionDtype)
                 else values.to_numpy())
        codes, uniques = pd.factorize(array, use_na_sentinel=True, size_hint=FACTORIZE_SIZE_HINT)
        return Column(name, _narrow(codes, len(uniques)), list(uniques.tolist()))
    # Mixed objects (lists, numbers of several types) and fractional floats: one per row.
    return Column(name, _narrow(np.arange(len(values)), len(values)),
                  [plain(v) for v in values.tolist()])
