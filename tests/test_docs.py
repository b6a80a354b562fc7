"""The README and docs/ link only to files, and headings, that exist, and name only paths that exist."""
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
CODE = re.compile(r"`([^`\s]+)`")
# A bare file name of ours (`ingest.py` beside its folder in a table) must be somewhere in the repository.
OURS = re.compile(r"^[\w.-]+\.(py|js|css|html|md|toml|json)$")
# Paths the app makes when it runs, named by the docs but never in the repository.
RUNTIME = ("instance/", "warehouse/")
UNTRACKED = {"node_modules", "instance", "__pycache__", "build", "dist"}  # besides dot folders (.venv, .git)


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


def repository_files():
    """Return the files of the repository, relative to the root (what a clean clone holds, give or take builds)."""
    found = set()
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in UNTRACKED]
        found.update(str((Path(folder) / name).relative_to(ROOT)) for name in names)
    return found


def missing_paths(path, files, top=None):
    """Return the paths path names in backticks that do not exist.

    A name whose first part is a top-level folder or file of the repository (or ../) is a path: it must exist
    (as a file or a folder; `module/file.attr` as module/file.py defining attr). A bare file name of ours must
    be some file's name. Routes (/x), URLs, settings, globs and placeholders are not paths.
    """
    top = top if top is not None else {f.split("/")[0] for f in files}
    folders = {str(Path(f).parent) for f in files}
    names = {Path(f).name for f in files}
    missing = []
    for token in CODE.findall(path.read_text()):
        token = token.rstrip(".,;:")
        if EXTERNAL.match(token) or any(c in token for c in "*<>$=@{}") or token.startswith(RUNTIME):
            continue
        if "/" not in token:
            if OURS.match(token) and token not in names and token not in files:
                missing.append(token)
            continue
        if token.split("/")[0] not in top and not token.startswith("../"):
            continue  # not a path of the repository (a route, an event name, a package)
        if token.startswith("../"):
            if not (ROOT / token).exists():
                missing.append(token)
            continue
        bare = token.rstrip("/")
        if bare in files or bare in folders:
            continue
        module, _, attribute = bare.rpartition(".")
        source = ROOT / f"{module}.py"
        if module and f"{module}.py" in files and re.search(rf"^\s*(def|class) {attribute}\b|^{attribute}\s*=",
                                                             source.read_text(), re.MULTILINE):
            continue
        missing.append(token)
    return missing


def test_every_path_in_backticks_exists():
    files = repository_files()
    missing = {str(p.relative_to(ROOT)): m for p in documents() if (m := missing_paths(p, files))}
    assert not missing, missing


def test_the_path_check_finds_a_missing_path(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("`web/pipeline.py` `web/gone.py` `ingest.py` `lost.py` `/dashboards/x` `instance/data` "
                    "`auth/access.requires` `auth/access.nothing` `docs/` `customer.subscription.created/updated`\n")
    files = {"web/pipeline.py", "data/ingest.py", "auth/access.py", "docs/security.md"}
    assert missing_paths(page, files) == ["web/gone.py", "lost.py", "auth/access.nothing"]
