"""Rewrite one XML part of a PPTX/DOCX as a stream, taking out references to removed relationships and
Word fields that include content from elsewhere; everything else is written back as it was read.

The part is parsed with expat without namespace processing, so element and attribute names keep
their prefixes and the namespace declarations stay where they were; prefixes are resolved on the side
only to recognise relationship attributes (r:id, r:embed, r:link, o:relid) and Word's field elements.
Attribute order is kept; the output is UTF-8 with the original XML declaration's version and
standalone flag. A DOCTYPE is refused here too (DtdFoundError), although office_policy.py refuses
such files before.

Word fields: a complex field is ``fldChar begin``, its code in ``instrText`` runs (often split over
several runs, possibly holding nested fields), ``fldChar separate``, the cached result, ``fldChar end``.
The code of a field is buffered (bounded) until it is complete; if it, or a field nested in it, is one
that includes content from elsewhere (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE, ...) or a HYPERLINK to
something that is not a web page, its instrText is emptied: the cached result stays as ordinary
content and nothing is left to fetch. Simple fields (``fldSimple w:instr``) get the same treatment.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from xml.parsers import expat

from presentations.enums import RemovedContent
from presentations.office_package import (
    RELATIONSHIP_ATTRIBUTE_NAMESPACES,
    VML_OFFICE_NS,
    WORDPROCESSING_NAMESPACES,
    DtdFoundError,
    is_web_target,
)

# Elements that make no sense without the relationship they name: they go with it.
DROPPED_ELEMENTS = frozenset(
    {
        "attachedTemplate",  # w:settings: the template Word fetches when the document opens
        "subDoc",  # a master document's subdocument
        "sourceFileName",  # a frame's source (webSettings framesets)
        "dataSource",  # mail merge data source
        "headerSource",
        "videoFile",  # a:videoFile / a:audioFile / a:quickTimeFile in a picture's properties
        "audioFile",
        "quickTimeFile",
        "wavAudioFile",
        "media",  # p14:media
        "externalData",  # a chart's linked workbook
        "OLEObject",  # VML o:OLEObject of a linked object in DOCX; its picture (v:imagedata) stays
    }
)
EXTERNAL_FIELDS = frozenset(
    {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "DDE", "DDEAUTO", "IMPORT", "DATABASE"}
)
# Switches of HYPERLINK that take an argument which is not the link's target.
_HYPERLINK_SWITCHES_WITH_ARGUMENT = frozenset({"\\L", "\\O", "\\T"})
# A field code is a few dozen characters; a buffered one past this is refused its content rather than held.
MAX_FIELD_BUFFER_CHARS = 1024 * 1024
# Fields nest a few levels deep at most (an IF holding a MERGEFIELD); each open one costs memory.
MAX_FIELD_NESTING = 64
_FIELD_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_OUTPUT_FLUSH_CHARS = 64 * 1024


def field_removal(code: str) -> str | None:
    """The RemovedContent code for a field whose code is `code`, or None when the field may stay."""
    # (text, is a switch): a quoted argument is never a switch, even when it starts with a backslash.
    tokens = [
        (match.group(1), False) if match.group(1) is not None else (match.group(2), match.group(2).startswith("\\"))
        for match in _FIELD_TOKEN.finditer(code)
    ]
    if not tokens:
        return None
    name = tokens[0][0].upper()
    if name in EXTERNAL_FIELDS:
        return RemovedContent.OFFICE_EXTERNAL_CONTENT
    if name == "HYPERLINK":
        arguments = iter(tokens[1:])
        for token, is_switch in arguments:
            if is_switch and token.upper() in _HYPERLINK_SWITCHES_WITH_ARGUMENT:
                next(arguments, None)
            elif not is_switch:
                return None if is_web_target(token) else RemovedContent.OFFICE_LOCAL_LINKS
    return None


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _escape_attribute(value: str) -> str:
    return (
        _escape_text(value).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    )


@dataclass
class _Field:
    in_code: bool = True
    code: list[str] = field(default_factory=list)


class FieldNestingError(ValueError):
    """More fields open at once than any real document has."""


class _Instr:
    """Field code text held in the buffer until the field is judged."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class PartRewriter:
    """Feed the part's bytes to `rewrite`; what to write goes to `write`, what was removed to `removed`."""

    def __init__(self, write: Callable[[str], None], *, removed_ids: frozenset[str], fields: bool):
        self._write = write
        self._removed_ids = removed_ids
        self._fields = fields
        self.removed: list[str] = []  # RemovedContent codes, one per removal
        self.changed = False  # whether the output differs from the part in anything but serialisation
        self._out: list[str] = []
        self._out_chars = 0
        self._namespaces: list[dict[str, str]] = [{"xml": "http://www.w3.org/XML/1998/namespace"}]
        self._pending: str | None = None  # a start tag not written yet: it may turn out to be empty
        self._skip_depth = 0  # inside an element that is dropped
        self._in_instr = False
        self._stack: list[_Field] = []
        self._buffer: list[str | _Instr] | None = None  # field code held until judged
        self._buffer_chars = 0
        self._buffer_owner: _Field | None = None
        self._buffer_codes: list[str] = []
        self._wipe_owner: _Field | None = None  # a field whose code overflowed the buffer: emptied as it streams

    def rewrite(self, data: Iterable[bytes]) -> list[str]:
        parser = expat.ParserCreate()
        parser.ordered_attributes = True
        parser.buffer_text = True
        parser.buffer_size = _OUTPUT_FLUSH_CHARS
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.XmlDeclHandler = self._declaration
        parser.StartDoctypeDeclHandler = self._refuse_dtd
        parser.EntityDeclHandler = self._refuse_dtd
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.CommentHandler = lambda text: self._emit(f"<!--{text}-->")
        parser.ProcessingInstructionHandler = lambda target, text: self._emit(f"<?{target} {text}?>")
        for chunk in data:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        if self._buffer is not None:  # a field never closed: judge what was seen
            for open_field in self._stack:
                self._judge(open_field)
            self._flush_buffer()
        self._resolve_pending()
        self._flush(force=True)
        self.changed = self.changed or bool(self.removed)
        return self.removed

    # --- output -----------------------------------------------------------------------------------

    def _sink(self, item: str | _Instr) -> None:
        if self._buffer is not None:
            self._buffer.append(item)
            self._buffer_chars += len(item if isinstance(item, str) else item.text)
            if self._buffer_chars > MAX_FIELD_BUFFER_CHARS:
                self._buffer_codes.append(RemovedContent.OFFICE_EXTERNAL_CONTENT)
                self._wipe_owner = self._buffer_owner
                self._flush_buffer()
            return
        text = item if isinstance(item, str) else _escape_text(item.text)
        self._out.append(text)
        self._out_chars += len(text)
        self._flush()

    def _flush(self, force: bool = False) -> None:
        if self._out and (force or self._out_chars >= _OUTPUT_FLUSH_CHARS):
            self._write("".join(self._out))
            self._out.clear()
            self._out_chars = 0

    def _resolve_pending(self, empty: bool = False) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._sink(pending + ("/>" if empty else ">"))

    def _emit(self, markup: str) -> None:
        if self._skip_depth:
            return
        self._resolve_pending()
        self._sink(markup)

    def _declaration(self, version, encoding, standalone) -> None:
        flag = "" if standalone == -1 else f' standalone="{"yes" if standalone else "no"}"'
        self._sink(f'<?xml version="{version or "1.0"}" encoding="UTF-8"{flag}?>\n')

    def _refuse_dtd(self, *args) -> None:
        raise DtdFoundError("DOCTYPE in a part being rewritten")

    # --- names ------------------------------------------------------------------------------------

    def _resolve(self, name: str, *, attribute: bool) -> tuple[str, str]:
        prefix, _, local = name.rpartition(":")
        if not prefix and attribute:
            return "", local
        return self._namespaces[-1].get(prefix, ""), local

    def _names_removed(self, qualified: str, value: str) -> bool:
        uri, local = self._resolve(qualified, attribute=True)
        is_reference = uri in RELATIONSHIP_ATTRIBUTE_NAMESPACES or (uri == VML_OFFICE_NS and local == "relid")
        return is_reference and value in self._removed_ids

    # --- events -----------------------------------------------------------------------------------

    def _start(self, name: str, attributes: list[str]) -> None:
        pairs = list(zip(attributes[::2], attributes[1::2], strict=True))
        declared = {
            key.partition(":")[2] if ":" in key else "": value for key, value in pairs if key.startswith("xmlns")
        }
        self._namespaces.append({**self._namespaces[-1], **declared} if declared else self._namespaces[-1])
        if self._skip_depth:
            self._skip_depth += 1
            return
        self._resolve_pending()
        uri, local = self._resolve(name, attribute=False)
        if self._removed_ids:
            kept = [(key, value) for key, value in pairs if not self._names_removed(key, value)]
            if len(kept) != len(pairs):
                self.changed = True
                if local in DROPPED_ELEMENTS:
                    self._skip_depth = 1
                    return
            pairs = kept
        if self._fields and uri in WORDPROCESSING_NAMESPACES:
            pairs = self._field_element(local, pairs)
        self._pending = f"<{name}" + "".join(f' {key}="{_escape_attribute(value)}"' for key, value in pairs)

    def _end(self, name: str) -> None:
        self._namespaces.pop()
        if self._skip_depth:
            self._skip_depth -= 1
            return
        if self._pending is not None:
            self._resolve_pending(empty=True)
        else:
            self._sink(f"</{name}>")
        if self._in_instr and name.rpartition(":")[2] in ("instrText", "delInstrText"):
            self._in_instr = False

    def _text(self, text: str) -> None:
        if self._skip_depth:
            return
        self._resolve_pending()
        if self._buffer is not None:
            innermost = next((f for f in reversed(self._stack) if f.in_code), None)
            if innermost is not None:
                innermost.code.append(text)
            self._sink(_Instr(text) if self._in_instr else _escape_text(text))
        elif self._in_instr and (self._wipe_owner is not None or self._stray_instruction_removed(text)):
            pass  # the field's code is dropped as it streams
        else:
            self._sink(_escape_text(text))

    # --- fields -----------------------------------------------------------------------------------

    def _field_element(self, local: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        if local in ("instrText", "delInstrText"):
            self._in_instr = True
        elif local == "fldSimple":
            for index, (key, value) in enumerate(pairs):
                if self._resolve(key, attribute=True)[1] == "instr" and (code := field_removal(value)):
                    self.removed.append(code)
                    pairs[index] = (key, "")
        elif local == "fldChar":
            kind = next((v for k, v in pairs if self._resolve(k, attribute=True)[1] == "fldCharType"), "")
            if kind == "begin":
                if len(self._stack) >= MAX_FIELD_NESTING:
                    raise FieldNestingError(f"more than {MAX_FIELD_NESTING} fields open at once")
                new = _Field()
                self._stack.append(new)
                if self._buffer is None and self._wipe_owner is None:
                    self._buffer, self._buffer_owner, self._buffer_codes, self._buffer_chars = [], new, [], 0
            elif kind in ("separate", "end") and self._stack:
                current = self._stack[-1]
                if current.in_code:
                    current.in_code = False
                    self._judge(current)
                    if current is self._buffer_owner and self._buffer is not None:
                        self._flush_buffer()
                    if current is self._wipe_owner:
                        self._wipe_owner = None
                if kind == "end":
                    self._stack.pop()
        return pairs

    def _judge(self, judged: _Field) -> None:
        if self._buffer is not None and (code := field_removal("".join(judged.code))):
            self._buffer_codes.append(code)

    def _flush_buffer(self) -> None:
        buffered, self._buffer, self._buffer_owner = self._buffer or [], None, None
        wipe = bool(self._buffer_codes)
        self.removed.extend(self._buffer_codes)
        self._buffer_codes = []
        for item in buffered:
            if isinstance(item, _Instr):
                if not wipe:
                    self._sink(_escape_text(item.text))
            else:
                self._sink(item)

    def _stray_instruction_removed(self, text: str) -> bool:
        """Field code outside any field (a damaged document): judged on its own."""
        code = field_removal(text)
        if code:
            self.removed.append(code)
        return bool(code)
