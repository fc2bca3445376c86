"""Encryption at rest of a backup archive: AES-256-GCM in chunks, streamed both ways.

Format: MAGIC, an 8-byte random nonce prefix, then chunks of (4-byte big-endian length, ciphertext
with its 16-byte tag). Chunk i's nonce is the prefix and i (4 bytes); its associated data says
whether it is the last chunk, so a truncated archive (a missing last chunk) or chunks reordered,
cut or altered fail authentication instead of restoring something partial.

The key is BACKUP_ENCRYPTION_KEY: 32 random bytes in URL-safe base64
(`python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"`).
Keep it outside the backups: without it an encrypted archive cannot be restored.
"""

import base64
import binascii
import os
import struct

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

MAGIC = b"WPBACKUP-AESGCM-1\n"
CHUNK = 1024 * 1024
_TAG = 16
_MORE, _LAST = b"more", b"last"


class ArchiveError(Exception):
    """The archive cannot be read as it is: truncated, altered, or the wrong key."""


def key_from_setting(value: str) -> bytes | None:
    if not value:
        return None
    try:
        key = base64.urlsafe_b64decode(value.encode() + b"=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured("BACKUP_ENCRYPTION_KEY is 32 bytes in URL-safe base64.")
    return key


def _aesgcm(key: bytes):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


class EncryptingWriter:
    """A write-only file object: what is written goes to `raw` encrypted, a chunk at a time."""

    def __init__(self, raw, key: bytes):
        self.raw = raw
        self.cipher = _aesgcm(key)
        self.prefix = os.urandom(8)
        self.counter = 0
        self.buffer = bytearray()
        raw.write(MAGIC + self.prefix)

    def _emit(self, data: bytes, last: bool) -> None:
        nonce = self.prefix + struct.pack(">I", self.counter)
        self.counter += 1
        sealed = self.cipher.encrypt(nonce, bytes(data), _LAST if last else _MORE)
        self.raw.write(struct.pack(">I", len(sealed)) + sealed)

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._emit(self.buffer[:CHUNK], last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        # The last chunk (possibly empty) says so: its absence means the archive was cut.
        self._emit(self.buffer, last=True)
        self.buffer = bytearray()

    def flush(self) -> None:
        pass


class DecryptingReader:
    """A read-only file object over an encrypted archive; raises ArchiveError on any tampering."""

    def __init__(self, raw, key: bytes | None):
        self.raw = raw
        head = raw.read(len(MAGIC) + 8)
        if not head.startswith(MAGIC):
            raise ArchiveError(_("This is not an encrypted backup archive of the portal."))
        if key is None:
            raise ArchiveError(_("This archive is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was made with."))
        self.cipher = _aesgcm(key)
        self.prefix = head[len(MAGIC) :]
        self.counter = 0
        self.buffer = b""
        self.offset = 0
        self.finished = False

    def _next_chunk(self) -> None:
        from cryptography.exceptions import InvalidTag

        header = self.raw.read(4)
        if len(header) < 4:
            raise ArchiveError(_("The archive is truncated: it ends before its last part."))
        (length,) = struct.unpack(">I", header)
        sealed = self.raw.read(length)
        if len(sealed) < length or length < _TAG:
            raise ArchiveError(_("The archive is truncated: it ends before its last part."))
        nonce = self.prefix + struct.pack(">I", self.counter)
        self.counter += 1
        for marker in (_MORE, _LAST):
            try:
                self.buffer += self.cipher.decrypt(nonce, sealed, marker)
            except InvalidTag:
                continue
            self.finished = marker == _LAST
            if self.finished and self.raw.read(1):
                raise ArchiveError(_("The archive has data after its end: it was altered."))
            return
        raise ArchiveError(_("The archive was altered, or the key is not the one it was made with."))

    def read(self, size: int = -1) -> bytes:
        # tarfile reads in small records: keep an offset into the chunk rather than re-slicing it.
        while not self.finished and (size < 0 or len(self.buffer) - self.offset < size):
            self.buffer = self.buffer[self.offset :]
            self.offset = 0
            self._next_chunk()
        end = len(self.buffer) if size < 0 else self.offset + size
        data = self.buffer[self.offset : end]
        self.offset = min(end, len(self.buffer))
        return data


def is_encrypted(path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC
