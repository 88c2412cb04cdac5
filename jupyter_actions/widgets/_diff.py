"""Side-by-side diff as an HTML table (difflib.HtmlDiff escapes the text itself)."""

from __future__ import annotations

import difflib

from ._html import Html, esc

STYLE = (
    "<style>.ja-diff table.diff{font-family:monospace;border-collapse:collapse}"
    ".ja-diff td{padding:0 4px;white-space:pre}"
    ".ja-diff .diff_add{background:#c8f7c5}.ja-diff .diff_chg{background:#fff3b0}"
    ".ja-diff .diff_sub{background:#ffc9c9}.ja-diff .diff_header{color:#888}</style>"
)


def side_by_side(old: str, new: str, old_label: str, new_label: str) -> Html:
    if old == new:
        return Html(f"<i>{esc(old_label)} and {esc(new_label)} are identical</i>")
    body = difflib.HtmlDiff(tabsize=4, wrapcolumn=90).make_table(
        old.splitlines(), new.splitlines(), esc(old_label), esc(new_label)
    )
    return Html(f"{STYLE}<div class='ja-diff'>{body}</div>")
