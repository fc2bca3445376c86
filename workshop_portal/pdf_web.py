"""The web copy of a PDF: its pictures downsampled to about 150 dpi and recompressed, nothing else touched.

Chosen by measurement over Ghostscript's pdfwrite (`-dPDFSETTINGS=/ebook`), see the README
("Proceedings: print and web editions"): on a 44 MB deck of twenty 300 dpi photographs, pikepdf
with Pillow wrote a copy of 17-21 % in 0.8-0.9 s and 61 MB of memory; Ghostscript 17 % in 1.4 s.
Ghostscript re-interprets every page (fonts re-embedded, links and structure rebuilt); this copy
keeps the document as it is (text, fonts, links, bookmarks, page labels) and rewrites only the
picture streams, each one at a time, so memory stays small whatever the deck weighs.

A JPEG is decoded at a reduced scale where libjpeg can (Pillow's `draft`), which makes the
downsampling of a print-quality photograph cost a fraction of a full decode.
"""

import io
import os
import zlib
from dataclasses import dataclass

import pikepdf
from pikepdf import Name, PdfImage
from PIL import Image

WEB_DPI = 150
WEB_JPEG_QUALITY = 70
# Pictures already within this factor of the target are left alone: recompressing them costs
# quality for little gain.
DOWNSAMPLE_BELOW = 0.8
_JPEG_MODES = {"RGB", "L"}
# The most pixels one picture may be decoded to (about 120 MB as RGB). A deck can declare a picture
# of 50,000 x 50,000 pixels that compresses to a few megabytes of zeros: decoding it would take
# gigabytes. Larger pictures stay as they are (a JPEG counts after its reduced decode).
MAX_DECODED_PIXELS = 40_000_000


@dataclass
class WebCopyResult:
    pictures: int = 0  # pictures seen
    downsampled: int = 0  # pictures rewritten smaller
    source_bytes: int = 0
    written_bytes: int = 0


def write_web_copy(source_path, target_path) -> WebCopyResult:
    """Write the web copy of the PDF at source_path to target_path (both local paths)."""
    result = WebCopyResult()
    with pikepdf.open(source_path, access_mode=pikepdf.AccessMode.stream) as pdf:
        limits = _picture_limits(pdf)
        for image, max_side in limits.items():
            result.pictures += 1
            if _downsample(pdf.get_object(image), max_side):
                result.downsampled += 1
        pdf.remove_unreferenced_resources()
        pdf.save(target_path, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    result.source_bytes = _size(source_path)
    result.written_bytes = _size(target_path)
    return result


def _size(path) -> int:
    return os.path.getsize(path)


def _picture_limits(pdf) -> dict[tuple[int, int], float]:
    """Each picture (by object id) -> the most pixels worth keeping on its longer side: the largest
    page it is drawn on, at WEB_DPI. A picture is never shown larger than its page, so this never
    loses visible detail."""
    limits: dict[tuple[int, int], float] = {}
    for page in pdf.pages:
        box = page.mediabox
        width_in = abs(float(box[2]) - float(box[0])) / 72
        height_in = abs(float(box[3]) - float(box[1])) / 72
        side = max(width_in, height_in) * WEB_DPI  # a picture may be rotated on its page
        for xobject in _page_images(page):
            if xobject.is_indirect:
                limits[xobject.objgen] = max(limits.get(xobject.objgen, 0.0), side)
    return limits


def _page_images(page):
    """The image XObjects a page draws, directly or inside its form XObjects (one level deep)."""
    resources = page.obj.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    for xobject in xobjects.values():
        if not isinstance(xobject, pikepdf.Stream):
            continue
        subtype = xobject.get("/Subtype")
        if subtype == Name.Image:
            yield xobject
        elif subtype == Name.Form:
            inner = (xobject.get("/Resources") or {}).get("/XObject") or {}
            yield from (x for x in inner.values() if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == Name.Image)


def _downsample(image: pikepdf.Stream, max_side: float) -> bool:
    """Rewrite one picture smaller when it has more pixels than its pages can show; True if it did."""
    if not _rewritable(image):
        return False
    width, height = int(image.Width), int(image.Height)
    # The longer side of the picture against the longer side of its page.
    scale = max_side / max(width, height)
    if scale >= DOWNSAMPLE_BELOW:
        return False
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    raw = image.read_raw_bytes()  # read once: decoded, then compared with what replaces it
    try:
        picture = _decoded(image, raw, target)
        if picture is None:
            return False
        picture = picture.resize(target, Image.LANCZOS)
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=WEB_JPEG_QUALITY, optimize=True)
    except (OSError, ValueError, pikepdf.PdfError, NotImplementedError, Image.DecompressionBombError):
        return False  # a picture Pillow cannot read, or will not decode, stays as it is
    data = out.getvalue()
    if len(data) >= len(raw):
        return False
    image.write(data, filter=Name.DCTDecode)
    image.Width, image.Height = target
    image.BitsPerComponent = 8
    if "/DecodeParms" in image:
        del image["/DecodeParms"]
    soft_mask = image.get("/SMask")
    if isinstance(soft_mask, pikepdf.Stream):
        _downsample_soft_mask(soft_mask, target)
    return True


def _downsample_soft_mask(mask: pikepdf.Stream, target: tuple[int, int]) -> None:
    """A picture's transparency (photographs pasted as PNG into slides carry one) at the picture's new
    size, kept lossless: JPEG would blur the edges it cuts. Left as it is when it cannot be read."""
    if int(mask.get("/BitsPerComponent", 8)) != 8 or "/Matte" in mask or "/Decode" in mask:
        return
    if int(mask.Width) * int(mask.Height) <= target[0] * target[1]:
        return
    if int(mask.Width) * int(mask.Height) > MAX_DECODED_PIXELS:
        return
    try:
        picture = PdfImage(mask).as_pil_image()
        if picture.mode != "L":
            return
        picture = picture.resize(target, Image.LANCZOS)
    except (OSError, ValueError, pikepdf.PdfError, NotImplementedError):
        return
    mask.write(zlib.compress(picture.tobytes(), 6), filter=Name.FlateDecode)
    mask.Width, mask.Height = target
    if "/DecodeParms" in mask:
        del mask["/DecodeParms"]


def _rewritable(image: pikepdf.Stream) -> bool:
    """Only plain 8-bit RGB or grey pictures: masks, colour keys, decode arrays and CMYK stay."""
    if image.get("/ImageMask") or "/Mask" in image or "/Decode" in image:
        return False
    if int(image.get("/BitsPerComponent", 8)) != 8:
        return False
    colour = image.get("/ColorSpace")
    if colour in (Name.DeviceRGB, Name.DeviceGray):
        return True
    # An ICC profile with three or one components describes RGB or grey: the JPEG keeps it.
    return isinstance(colour, pikepdf.Array) and colour[0] == Name.ICCBased and int(colour[1].get("/N", 0)) in (1, 3)


def _decoded(image: pikepdf.Stream, raw: bytes, target: tuple[int, int]) -> Image.Image | None:
    """The picture decoded (at a reduced scale where JPEG allows), or None when it is not worth it or
    would be too large to decode. Image.open reads only the header; load() decodes."""
    if image.get("/Filter") == Name.DCTDecode:
        picture = Image.open(io.BytesIO(raw))  # DecompressionBombError past twice Pillow's limit
        picture.draft(picture.mode, target)  # libjpeg decodes at 1/2, 1/4 or 1/8 when that is enough
        if picture.width * picture.height > MAX_DECODED_PIXELS:
            return None
    else:
        if int(image.Width) * int(image.Height) > MAX_DECODED_PIXELS:
            return None  # pikepdf would inflate the whole stream in memory first
        picture = PdfImage(image).as_pil_image()
        if picture.mode == "RGBA" and "/SMask" in image:
            picture = picture.convert("RGB")  # pikepdf joins the soft mask in; it stays a stream of its own
    picture.load()
    return picture if picture.mode in _JPEG_MODES else None
