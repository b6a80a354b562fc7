"""The README and docs/ link only to files, and headings, that exist."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def documents():
    """Return README.md and every Markdown file under docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def anchors(path):
    """Return the GitHub anchors of path's headings."""
    headings = re.findall(r"^#+\s+(.+?)\s*$", path.read_text(), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def broken_links(path):
    """Return path's relative links whose file, or heading, does not exist."""
    broken = []
    for target in LINK.findall(path.read_text()):
        if EXTERNAL.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(target)
    return broken


def test_every_relative_link_points_to_an_existing_file():
    broken = {str(p.relative_to(ROOT)): b for p in documents() if (b := broken_links(p))}
    assert not broken, broken


def test_readme_fits_on_a_screenful_or_three():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 150


def test_the_link_check_finds_a_missing_file(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n[ok](#title) [gone](missing.md) [bad anchor](#nowhere) [web](https://example.com)\n")
    assert broken_links(page) == ["missing.md", "#nowhere"]


def test_the_readme_lists_every_doc():
    listed = set(re.findall(r"\]\(docs/([\w.-]+\.md)\)", (ROOT / "README.md").read_text().split("## Docs")[1]))
    assert listed == {p.name for p in (ROOT / "docs").glob("*.md")}
