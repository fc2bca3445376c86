"""The deck every delegate uploads: a real PowerPoint file of pictures of noise (nothing compresses
it further), built once with python-pptx, and a copy per delegate with their name on its first slide."""

import hashlib
import io
import math
import random
import zipfile
from pathlib import Path

MB = 1024 * 1024
# Pillow's JPEG of RGB noise at quality 90 (measured): what sizes the pictures.
NOISE_JPEG_BYTES_PER_PIXEL = 0.9
# On the first slide of the deck built once; each copy puts its owner there instead.
OWNER_MARK = "OWNER-MARK-000"


def noise_jpeg(seed: int, size_bytes: int) -> bytes:
    """A 4:3 JPEG of random pixels of about `size_bytes`: nothing compresses it further."""
    from PIL import Image

    pixels = max(64 * 48, size_bytes / NOISE_JPEG_BYTES_PER_PIXEL)
    width = int(math.sqrt(pixels * 4 / 3))
    height = width * 3 // 4
    image = Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def deck_parts(size_mb: float, slides: int) -> list[tuple[str, bytes]]:
    """The parts (ZIP entries) of a real deck of `slides` slides, each a picture of noise, about size_mb in all."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for number in range(1, slides + 1):
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
        slide.shapes.title.text = f"{OWNER_MARK}: slide 1" if number == 1 else f"Slide {number}"
        # A picture of its own per slide: python-pptx stores identical pictures once.
        picture = noise_jpeg(seed=number, size_bytes=int(size_mb * MB / slides))
        slide.shapes.add_picture(io.BytesIO(picture), Inches(1.25), Inches(1.6), width=Inches(7.5))
    out = io.BytesIO()
    deck.save(out)
    with zipfile.ZipFile(out) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


def write_deck_copy(parts: list[tuple[str, bytes]], path: Path, owner: str) -> str:
    """The deck with `owner` on its first slide, written to `path`; returns its SHA-256."""
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts:
            if name == "ppt/slides/slide1.xml":
                assert OWNER_MARK.encode() in data, "the first slide lost its owner mark"
                data = data.replace(OWNER_MARK.encode(), owner.encode())
            # JPEGs stored as they are (deflate gains nothing on them and would slow 100 copies down).
            method = zipfile.ZIP_STORED if name.startswith("ppt/media/") else zipfile.ZIP_DEFLATED
            package.writestr(name, data, compress_type=method)
    return file_sha256(path)


def package_parts(path: Path) -> dict[str, tuple[int, int]]:
    """Each part of a PPTX package with its size and CRC-32: its content, whatever the ZIP's own bytes."""
    with zipfile.ZipFile(path) as package:
        return {entry.filename: (entry.file_size, entry.CRC) for entry in package.infolist()}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(MB):
            digest.update(chunk)
    return digest.hexdigest()
