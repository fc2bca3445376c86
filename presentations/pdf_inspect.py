"""Checks pdf_clean.py makes on a PDF's parts and bytes: attached programs, appended data, hidden archives.

Attached files are recognised as programs by their first bytes (MZ/PE, ELF, Mach-O, #! scripts,
Windows shortcuts), by their declared type and by their names (.exe, .bat, .ps1, .js, ...). Only a
bounded prefix of an attached file is ever decoded.
"""

import struct
import zlib
from pathlib import Path

from django.utils.translation import gettext
from pikepdf import Name, ObjectType

from presentations.refusals import FileRejectedError

PREFIX_BYTES = 4096
# Filters other than a single FlateDecode are decoded in full, so only for streams this small
# (Flate inside a chain expands at most about 1000 times: 16 MB).
FULL_DECODE_MAX_RAW_BYTES = 16 * 1024
READ_CHUNK_BYTES = 1024 * 1024
INFLATE_SLICE_BYTES = 64 * 1024

EXECUTABLE_MAGIC = (
    b"MZ",  # DOS/Windows executables and DLLs (PE)
    b"\x7fELF",  # Linux and Unix executables
    b"\xfe\xed\xfa\xce",  # Mach-O, 32 and 64 bits, both byte orders, and universal binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # Unix scripts
    b"L\x00\x00\x00\x01\x14\x02\x00",  # Windows shortcut (.lnk)
    b"dex\n",  # Android
)
# fmt: off
EXECUTABLE_EXTENSIONS = frozenset({
    ".exe", ".dll", ".scr", ".bat", ".cmd", ".com", ".cpl", ".pif", ".msi", ".msp", ".msc", ".ps1", ".psm1",
    ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".jar", ".sh", ".bash", ".app", ".command", ".lnk",
    ".reg", ".apk", ".dmg", ".pkg", ".deb", ".rpm", ".appimage", ".elf", ".run",
})
# fmt: on
EXECUTABLE_MEDIA_TYPES = frozenset(
    {
        "application/x-msdownload",
        "application/x-msdos-program",
        "application/x-dosexec",
        "application/x-executable",
        "application/x-elf",
        "application/x-mach-binary",
        "application/vnd.microsoft.portable-executable",
        "application/x-msi",
        "application/x-ms-installer",
        "application/x-sh",
        "application/x-shellscript",
        "application/x-bat",
        "application/hta",
        "application/java-archive",
        "application/vnd.android.package-archive",
    }
)
FILE_SPECIFICATION_NAMES = ("/F", "/UF", "/DOS", "/Mac", "/Unix")
WHITESPACE = b" \t\r\n\x0c\x00"
EOF_MARKER = b"%%EOF"
ZIP_END_RECORD = b"PK\x05\x06"
ZIP_CENTRAL_RECORD = b"PK\x01\x02"
ZIP64_END_LOCATOR = b"PK\x06\x07"


def _executable_attachment() -> FileRejectedError:
    return FileRejectedError(
        gettext(
            "This PDF has a program attached inside it, which is not accepted. "
            "Remove the attachment, or export or print the slides again as a plain PDF, and upload the new file."
        ),
        code="pdf_executable_attachment",
    )


def is_executable_name(name: str) -> bool:
    """True for a file name a system would run (.exe, .ps1, ...), however it is padded or cut."""
    # Windows ignores trailing dots and spaces; a reader may stop at a NUL ("setup.exe\0.pdf").
    candidates = {name, *name.split("\x00")}
    for candidate in candidates:
        cleaned = candidate.strip().rstrip(". ").lower().replace("\\", "/")
        base = cleaned.rsplit("/", 1)[-1]
        if "." in base and "." + base.rsplit(".", 1)[1] in EXECUTABLE_EXTENSIONS:
            return True
    return False


def _filters(stream) -> list[str]:
    filters = stream.get("/Filter")
    if filters is None:
        return []
    if isinstance(filters, Name):
        return [str(filters)]
    return [str(item) for item in filters] if getattr(filters, "_type_code", None) == ObjectType.array else ["?"]


def stream_prefix(stream) -> bytes | None:
    """The first decoded bytes of a stream, or None if they cannot be had cheaply."""
    filters = _filters(stream)
    # The raw data is at most the size of the upload (already bounded); read once, in qpdf's buffer,
    # and only sliced from here. Its decoding is not bounded, so only a prefix is decoded.
    raw = memoryview(stream.get_raw_stream_buffer())
    if not filters:
        return bytes(raw[:PREFIX_BYTES])
    if filters == ["/FlateDecode"] and stream.get("/DecodeParms") is None:
        inflater = zlib.decompressobj()
        prefix = b""
        try:
            for start in range(0, len(raw), INFLATE_SLICE_BYTES):
                prefix += inflater.decompress(raw[start : start + INFLATE_SLICE_BYTES], PREFIX_BYTES - len(prefix))
                if len(prefix) >= PREFIX_BYTES or inflater.eof:
                    break
        except zlib.error:
            return None
        return prefix
    if len(raw) <= FULL_DECODE_MAX_RAW_BYTES:
        try:
            return stream.read_bytes()[:PREFIX_BYTES]
        except Exception:
            return None
    return None


def check_embedded_file(stream) -> None:
    """Refuse the upload if this embedded file stream is a program."""
    media_type = stream.get("/Subtype")
    if isinstance(media_type, Name) and str(media_type)[1:].lower() in EXECUTABLE_MEDIA_TYPES:
        raise _executable_attachment()
    prefix = stream_prefix(stream)
    # An attachment that cannot be read cheaply is removed like any other, without refusing the file.
    if prefix and prefix.startswith(EXECUTABLE_MAGIC):
        raise _executable_attachment()


def check_file_specification(filespec, embedded) -> None:
    """Refuse the upload if a file specification with embedded files (/EF) names or holds a program."""
    for key in FILE_SPECIFICATION_NAMES:
        name = filespec.get(key)
        if getattr(name, "_type_code", None) == ObjectType.string and is_executable_name(str(name)):
            raise _executable_attachment()
    if getattr(embedded, "_type_code", None) != ObjectType.dictionary:
        return
    for _key, stream in embedded.items():
        if getattr(stream, "_type_code", None) == ObjectType.stream:
            check_embedded_file(stream)


def has_trailing_data(path: Path) -> bool:
    """True if anything but whitespace follows the last %%EOF (a second file appended to the PDF)."""
    after_last_eof_is_blank = True
    tail = b""
    with Path(path).open("rb") as handle:
        while chunk := handle.read(READ_CHUNK_BYTES):
            window = tail + chunk
            position = window.rfind(EOF_MARKER)
            if position >= 0:
                after_last_eof_is_blank = not window[position + len(EOF_MARKER) :].translate(None, WHITESPACE)
            elif chunk.translate(None, WHITESPACE):
                after_last_eof_is_blank = False
            tail = window[-(len(EOF_MARKER) - 1) :]
    return not after_last_eof_is_blank


def hides_zip_archive(path: Path) -> bool:
    """True if a ZIP archive (end record pointing at its central directory) lies in the file's bytes.

    Stream data is copied as it is, so a ZIP placed in an image's raw data would still open in an
    archive tool. Four signature bytes occur by chance in a large file; the structure they point to
    does not.
    """
    data_path = Path(path)
    size = data_path.stat().st_size
    overlap = len(ZIP_END_RECORD) - 1
    with data_path.open("rb") as handle:
        offset = 0
        tail = b""
        while chunk := handle.read(READ_CHUNK_BYTES):
            window = tail + chunk
            base = offset - len(tail)
            start = 0
            while (found := window.find(ZIP_END_RECORD, start)) >= 0:
                if _is_zip_end_record(handle, base + found, size):
                    return True
                start = found + 1
            offset += len(chunk)
            tail = window[-overlap:]
            handle.seek(offset)
    return False


def _is_zip_end_record(handle, position: int, size: int) -> bool:
    if position + 22 > size:
        return False
    handle.seek(position)
    record = handle.read(22)
    _sig, _disk, _cd_disk, _entries_here, entries, cd_size, cd_offset, _comment = struct.unpack("<4sHHHHIIH", record)
    if entries == 0:
        return False
    if 0xFFFFFFFF in (cd_size, cd_offset) or entries == 0xFFFF:
        handle.seek(max(position - 20, 0))
        return handle.read(4) == ZIP64_END_LOCATOR
    central = position - cd_size
    if central < 0:
        return False
    handle.seek(central)
    return handle.read(4) == ZIP_CENTRAL_RECORD
