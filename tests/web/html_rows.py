"""Read a server-rendered HTML table with the standard library: each row's data-* attributes and cell texts."""
from html.parser import HTMLParser


class _Rows(HTMLParser):
    """Collect the rows of the table with a given id."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (self.depth or attrs.get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append({"attrs": {k[5:]: v for k, v in attrs.items() if k.startswith("data-")}, "cells": []})
        elif self.depth and tag in ("td", "th") and self.rows:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1]["cells"].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html, table_id):
    """Return [{"attrs": {data-* name: value}, "cells": [text]}] of the body rows of table#table_id."""
    parser = _Rows(table_id)
    parser.feed(html)
    return [row for row in parser.rows if row["attrs"]]
