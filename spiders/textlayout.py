"""A page's visible text laid out as html-text lays it out, in a third of the time.

html-text (``html_text.etree_to_text``) turns a tree into text the way a reader sees it: a line
break around block elements, a blank line around paragraphs and headings, runs of whitespace
collapsed, no space put before punctuation. Every page's body, header and footer go through
it, and its per-element Python calls were the largest single cost of extraction (about a
quarter of a worker's time on the benchmark site). ``layout_text`` is the same walk with the
same rules and html-text's own tag tables, with the per-element work cut down: no nested
function calls, whitespace collapsed with ``str.split`` instead of a regular expression (and
not at all for the usual chunk, which has none to collapse), and the regular expressions of its
spacing rule replaced by the character tests they amount to.

It must give html-text's result exactly, for any tree: tests/test_textlayout.py compares the
two on every saved page and on generated trees. If html-text changes its rules, that test
fails and this follows it.
"""

from __future__ import annotations

from typing import Any

import lxml.etree
from html_text.html_text import DOUBLE_NEWLINE_TAGS, NEWLINE_TAGS

# What the text before a chunk ended with: text, a line break, or a blank line.
_AFTER_TEXT, _AFTER_NEWLINE, _AFTER_BLANK_LINE = 0, 1, 2
# html-text puts no space before a chunk that starts with one of these.
_NO_SPACE_BEFORE = frozenset(',:;.!?")')
# The break a tag makes around itself (one dict lookup per element instead of two set tests).
_BREAK_OF_TAG = {**{tag: _AFTER_NEWLINE for tag in NEWLINE_TAGS},
                 **{tag: _AFTER_BLANK_LINE for tag in DOUBLE_NEWLINE_TAGS}}


def layout_text(tree: Any) -> str:
    """``html_text.etree_to_text(tree)`` with its default options (punctuation spacing and
    layout guessed). ``tree`` is cleaned as html-text expects: no comments or processing
    instructions, and no script or style unless their text is wanted."""
    chunks: list[str] = []
    append = chunks.append
    after = _AFTER_BLANK_LINE
    last = ""  # the last character of the previous chunk as it was in the tree (html-text
    # tests that form)
    for event, element in lxml.etree.iterwalk(tree, events=("start", "end")):
        if after != _AFTER_BLANK_LINE:  # never more than one blank line
            brk = _BREAK_OF_TAG.get(element.tag, _AFTER_TEXT)  # (an int: None == 2 is slow)
            if brk == _AFTER_BLANK_LINE:
                append("\n" if after == _AFTER_NEWLINE else "\n\n")
                after = _AFTER_BLANK_LINE
            elif brk == _AFTER_NEWLINE:
                if after != _AFTER_NEWLINE:
                    append("\n")
                after = _AFTER_NEWLINE
        if event == "start":
            raw = element.text
        elif element is tree:  # the tree's own tail is not part of it
            continue
        else:
            raw = element.tail
        if not raw or raw.isspace():
            continue
        # Whitespace collapsed (str.split's whitespace is the regex \s's, so the same
        # collapse), cheaply for the usual chunk: printable text holds no whitespace but " "
        # (every other whitespace character is a control or separator character, which
        # isprintable refuses), so with no "  " in it only a space at either end is left to
        # drop. These two C scans cost half of splitting the chunk into words and joining them.
        if raw.isprintable() and "  " not in raw:
            text = raw.strip()
        else:
            text = " ".join(raw.split())
        # html-text's spacing rule: a space after text, unless the text before ends with no
        # whitespace and this chunk starts with punctuation or the one before ends with "(".
        if after == _AFTER_TEXT and (
                last.isspace() or (text[0] not in _NO_SPACE_BEFORE and last != "(")):
            append(" ")
        append(text)
        last = raw[-1]
        after = _AFTER_TEXT
    return "".join(chunks).strip()
