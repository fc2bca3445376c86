"""The translation catalogues (locale/<language>/LC_MESSAGES/django.po and .mo): built and checked.

`make messages` (`manage.py catalogues`) extracts every translatable string of the project into
the French, Arabic and Russian catalogues and compiles them; `make check-messages`
(`manage.py catalogues --check`, part of `make lint`) fails when extraction would change a
catalogue, when an entry is untranslated or fuzzy, when a translation loses a placeholder, or
when a compiled .mo file does not match its .po file.

The .mo files are committed with the .po files: a fresh clone shows every language without GNU
gettext installed. Extracting and compiling need gettext (xgettext, msgmerge, msgfmt); reading
the catalogues here needs only polib, a test dependency.
"""

import gettext
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DOMAIN = "django"
# Folders and files extraction never reads (dot folders such as .venv are skipped by makemessages).
IGNORED = ["tests/*", "bench/*", "static/*", "staticfiles/*", "var/*", "artifacts/*", "node_modules/*"]
# What a copy of the project for a trial extraction leaves out.
_COPY_IGNORED = {".venv", ".git", "var", "staticfiles", "artifacts", "node_modules", "tests", "bench", "static"}
_COPY_IGNORED_SUFFIXES = {".pyc", ".pdf", ".pptx", ".docx", ".sqlite3", ".mo"}
_DATE_LINE = re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)
# Python placeholders: %(name)s, %s, %d, and %% (a literal percent sign).
_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]?\d*(?:\.\d+)?[sdifrx%]")


def translated_languages() -> list[str]:
    """Every language of the portal but the source language (English)."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def locale_dir(base_dir: Path | None = None) -> Path:
    return Path(base_dir or settings.BASE_DIR) / "locale"


def po_path(language: str, base_dir: Path | None = None) -> Path:
    return locale_dir(base_dir) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def makemessages_arguments() -> list[str]:
    arguments = ["makemessages", "--domain", DOMAIN, "--no-obsolete", "--add-location=file"]
    for language in translated_languages():
        arguments += ["--locale", language]
    for pattern in IGNORED:
        arguments += ["--ignore", pattern]
    return arguments


def _run_manage(base_dir: Path, arguments: list[str]) -> None:
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=base_dir, check=True, capture_output=True, text=True)


def catalogues_update(base_dir: Path | None = None) -> None:
    """Extract the strings into each catalogue (new ones untranslated), then compile the catalogues."""
    base_dir = Path(base_dir or settings.BASE_DIR)
    before = {language: _read(po_path(language, base_dir)) for language in translated_languages()}
    _run_manage(base_dir, makemessages_arguments())
    for language, old in before.items():
        path = po_path(language, base_dir)
        # Nothing but the extraction date changed: keep the file as it was (no churn in the history).
        if old is not None and _DATE_LINE.sub("", old) == _DATE_LINE.sub("", path.read_text(encoding="utf-8")):
            path.write_text(old, encoding="utf-8")
    compile_arguments = ["compilemessages"]
    for language in translated_languages():
        compile_arguments += ["--locale", language]
    for folder in sorted(_COPY_IGNORED):
        compile_arguments += ["--ignore", folder]
    _run_manage(base_dir, compile_arguments)


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


# --- Checks -------------------------------------------------------------------------------------


@dataclass
class Problem:
    language: str
    message: str

    def __str__(self):
        return f"{self.language}: {self.message}"


def _pofile(path: Path):
    import polib  # a test and lint dependency (requirements-dev.txt)

    return polib.pofile(str(path), wrapwidth=0)


def _key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def _misplaced_placeholders(entry) -> list[str]:
    """Translations whose placeholders differ from the source's. A plural form may leave out
    some (Arabic and Russian say "one badge", "two badges" in words), never add one."""
    if entry.msgid_plural:
        allowed = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
        return [text for text in entry.msgstr_plural.values() if not _placeholders(text) <= allowed]
    return [entry.msgstr] if _placeholders(entry.msgstr) != _placeholders(entry.msgid) else []


def catalogue_problems(base_dir: Path | None = None) -> list[Problem]:
    """What is wrong with the committed catalogues, without running gettext: missing files,
    untranslated, fuzzy or obsolete entries, lost placeholders, .mo files out of date."""
    problems = []
    for language in translated_languages():
        path = po_path(language, base_dir)
        if not path.exists():
            problems.append(Problem(language, f"no catalogue at {path}; run `make messages`"))
            continue
        po = _pofile(path)
        for entry in po:
            shown = entry.msgid if len(entry.msgid) <= 70 else entry.msgid[:67] + "..."
            if entry.obsolete:
                problems.append(Problem(language, f"obsolete entry {shown!r}; run `make messages`"))
            elif "fuzzy" in entry.flags:
                problems.append(Problem(language, f"fuzzy (to be checked) translation of {shown!r}"))
            elif not entry.translated():
                problems.append(Problem(language, f"untranslated: {shown!r}"))
            elif "python-format" in entry.flags:
                problems.extend(
                    Problem(language, f"placeholders differ in {shown!r}: {translation!r}")
                    for translation in _misplaced_placeholders(entry)
                )
        problems.extend(_compiled_problems(language, po, path.with_suffix(".mo")))
    return problems


def _compiled_problems(language: str, po, mo_path: Path) -> list[Problem]:
    if not mo_path.exists():
        return [Problem(language, f"no compiled catalogue {mo_path.name}; run `make messages`")]
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in po.translated_entries():
        if "fuzzy" in entry.flags:
            continue
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(msgid, int(index))] = text
        else:
            expected[msgid] = entry.msgstr
    compiled = {key: value for key, value in compiled.items() if key != ""}
    if compiled != expected:
        stale = sorted(str(key) for key in expected.keys() ^ compiled.keys())[:3]
        changed = sorted(str(key) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key])[:3]
        differences = ", ".join(stale + changed)
        message = f"{mo_path.name} does not match {mo_path.stem}.po ({differences}); run `make messages`"
        return [Problem(language, message)]
    return []


def extraction_problems(base_dir: Path | None = None) -> list[Problem]:
    """Strings in the code that a catalogue lacks, or that the catalogue keeps but the code lost.

    Runs makemessages on a copy of the project, so the working tree is never touched.
    """
    base_dir = Path(base_dir or settings.BASE_DIR)
    problems = []
    with tempfile.TemporaryDirectory(prefix="portal-catalogues-") as tmp:
        copy = Path(tmp) / "project"

        def ignore(folder, names):
            top = Path(folder) == base_dir
            return [
                name
                for name in names
                if (top and name in _COPY_IGNORED)
                or name == "__pycache__"
                or Path(name).suffix in _COPY_IGNORED_SUFFIXES
            ]

        shutil.copytree(base_dir, copy, ignore=ignore, symlinks=True)
        try:
            _run_manage(copy, makemessages_arguments())
        except subprocess.CalledProcessError as error:
            return [Problem("all", f"makemessages failed: {error.stderr.strip() or error}")]
        for language in translated_languages():
            fresh_path, committed_path = po_path(language, copy), po_path(language, base_dir)
            if not committed_path.exists():
                problems.append(Problem(language, f"no catalogue at {committed_path}; run `make messages`"))
                continue
            fresh = {_key(e) for e in _pofile(fresh_path) if not e.obsolete}
            committed = {_key(e) for e in _pofile(committed_path) if not e.obsolete}
            for key in sorted(fresh - committed)[:20]:
                problems.append(Problem(language, f"not in the catalogue yet: {key[1]!r}; run `make messages`"))
            for key in sorted(committed - fresh)[:20]:
                problems.append(Problem(language, f"no longer in the code: {key[1]!r}; run `make messages`"))
    return problems


def msgfmt_problems(base_dir: Path | None = None) -> list[Problem]:
    """GNU msgfmt's own checks (format strings, plural forms, header) on each catalogue."""
    problems = []
    for language in translated_languages():
        path = po_path(language, base_dir)
        if not path.exists():
            continue
        result = subprocess.run(
            ["msgfmt", "--check", "--output-file", "/dev/null", str(path)], capture_output=True, text=True
        )
        if result.returncode != 0:
            problems.append(Problem(language, f"msgfmt --check: {result.stderr.strip()}"))
    return problems
