"""Tests for presentations.filenames: the name a delegate's file is shown under."""

import pytest

from presentations.filenames import sanitise_filename


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("../../etc/passwd.pdf", "passwd.pdf", id="path_traversal"),
        pytest.param("C:\\Users\\delegate\\Desktop\\Country report.pptx", "Country report.pptx", id="windows_path"),
        pytest.param("..\\..\\boot.ini.docx", "boot.ini.docx", id="windows_traversal"),
        pytest.param("re\x00port\x07\x1b[31m.pdf", "report[31m.pdf", id="nul_and_control_chars"),
        pytest.param("invoice\u202etxt.pdf", "invoicetxt.pdf", id="rtl_override"),
        pytest.param("a\u200fb\u200b\ufeffc.pdf", "abc.pdf", id="invisible_format_chars"),
        pytest.param("Cafe\u0301 talk.pdf", "Caf\u00e9 talk.pdf", id="nfc"),
        pytest.param("  My \t\n  talk   final .pptx ", "My talk final .pptx", id="whitespace"),
        pytest.param("...hidden.pdf", "hidden.pdf", id="leading_dots"),
        pytest.param(". . .pdf", "pdf", id="dots_and_spaces"),
        pytest.param("", "presentation", id="empty"),
        pytest.param("....", "presentation", id="only_dots"),
        pytest.param("dir/", "presentation", id="only_directory"),
        pytest.param("\u202e\x00 ", "presentation", id="only_invisible"),
    ],
)
def test_sanitise_filename(name, expected):
    assert sanitise_filename(name) == expected


def test_sanitise_filename_truncates_long_names_keeping_the_extension():
    result = sanitise_filename("x" * 300 + ".pdf")
    assert len(result) <= 120
    assert result.endswith(".pdf")
    assert result.startswith("x" * 100)


def test_sanitise_filename_truncates_long_names_without_extension():
    result = sanitise_filename("é" * 300)
    assert result == "é" * 120
