"""The web copy of one PDF, read back: which pictures shrink, which stay, and what else is kept."""

import io
import zlib

import pikepdf
import pypdf
from pikepdf import Dictionary, Name
from PIL import Image

from testkit.files import photo_deck_pdf, photograph_jpeg
from workshop_portal.pdf_web import MAX_DECODED_PIXELS, WEB_DPI, write_web_copy

PAGE = (360, 270)  # 5 x 3.75 inches: at 150 dpi a picture needs at most 750 pixels on its longer side
LIMIT = round(PAGE[0] / 72 * WEB_DPI)


def _deck(tmp_path, pictures: dict, *, form=False) -> tuple:
    """One page drawing each picture (name -> stream maker taking the Pdf), optionally inside a form."""
    pdf = pikepdf.Pdf.new()
    page = pdf.add_blank_page(page_size=PAGE)
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    images = Dictionary({f"/{name}": make(pdf) for name, make in pictures.items()})
    draw = b"".join(b"q 360 0 0 270 0 0 cm /%s Do Q " % name.encode() for name in pictures)
    if form:
        xobject = pikepdf.Stream(pdf, draw)
        xobject.Type, xobject.Subtype, xobject.BBox = Name.XObject, Name.Form, [0, 0, *PAGE]
        xobject.Resources = Dictionary(XObject=images)
        page.Resources = Dictionary(XObject=Dictionary(Slide=xobject), Font=Dictionary(F1=font))
        draw = b"/Slide Do "
    else:
        page.Resources = Dictionary(XObject=images, Font=Dictionary(F1=font))
    page.Contents = pdf.make_stream(draw + b"BT /F1 14 Tf 24 24 Td (Words stay words) Tj ET")
    source, target = tmp_path / "deck.pdf", tmp_path / "web.pdf"
    pdf.save(source)
    return source, target


def _flate_photo(pdf, *, alpha=False, mode="RGB"):
    picture = Image.open(io.BytesIO(photograph_jpeg(1500, 1125, 7))).convert(mode)
    image = pikepdf.Stream(pdf, zlib.compress(picture.tobytes()))
    image.Type, image.Subtype, image.Filter = Name.XObject, Name.Image, Name.FlateDecode
    image.Width, image.Height, image.BitsPerComponent = 1500, 1125, 8
    image.ColorSpace = {"RGB": Name.DeviceRGB, "L": Name.DeviceGray, "CMYK": Name.DeviceCMYK}[mode]
    if alpha:
        # A soft edge: transparent at the border, opaque inside, the way a cut-out photograph is.
        mask = Image.radial_gradient("L").resize((1500, 1125)).point(lambda v: 255 - v)
        smask = pikepdf.Stream(pdf, zlib.compress(mask.tobytes()))
        smask.Type, smask.Subtype, smask.Filter = Name.XObject, Name.Image, Name.FlateDecode
        smask.Width, smask.Height, smask.BitsPerComponent, smask.ColorSpace = 1500, 1125, 8, Name.DeviceGray
        image.SMask = smask
    return image


def _pictures(path):
    with pikepdf.open(path) as pdf:
        found = {}
        for page in pdf.pages:
            for name, xobject in page.Resources.XObject.items():
                if xobject.get("/Subtype") == Name.Image:
                    found[name] = (int(xobject.Width), int(xobject.Height), xobject.get("/SMask"))
                else:
                    for name, image in xobject.Resources.XObject.items():
                        found[name] = (int(image.Width), int(image.Height), image.get("/SMask"))
        return {
            name: (w, h, None if mask is None else (int(mask.Width), int(mask.Height)))
            for name, (w, h, mask) in found.items()
        }


def test_a_print_quality_jpeg_deck_shrinks_to_screen_resolution_and_keeps_its_text(tmp_path):
    source = tmp_path / "deck.pdf"
    source.write_bytes(photo_deck_pdf(3, page_size=PAGE, seed=3))
    result = write_web_copy(source, tmp_path / "web.pdf")
    assert (result.pictures, result.downsampled) == (3, 3)
    assert result.written_bytes < 0.3 * result.source_bytes
    reader = pypdf.PdfReader(tmp_path / "web.pdf")
    assert "page 3" in reader.pages[2].extract_text()


def test_a_photograph_with_transparency_shrinks_with_its_mask(tmp_path):
    source, target = _deck(tmp_path, {"Photo": lambda pdf: _flate_photo(pdf, alpha=True)})
    result = write_web_copy(source, target)
    assert result.downsampled == 1
    assert _pictures(target)["/Photo"] == (LIMIT, round(1125 * LIMIT / 1500), (LIMIT, round(1125 * LIMIT / 1500)))
    assert result.written_bytes < 0.2 * result.source_bytes, (result.written_bytes, result.source_bytes)
    # The mask is still a mask: transparent corner, opaque centre.
    with pikepdf.open(target) as pdf:
        mask = pikepdf.PdfImage(pdf.pages[0].Resources.XObject.Photo.SMask).as_pil_image()
        assert mask.getpixel((0, 0)) < 40
        assert mask.getpixel((mask.width // 2, mask.height // 2)) > 215


def test_pictures_inside_a_form_and_grey_ones_shrink_too(tmp_path):
    source, target = _deck(
        tmp_path, {"Colour": lambda pdf: _flate_photo(pdf), "Grey": lambda pdf: _flate_photo(pdf, mode="L")}, form=True
    )
    result = write_web_copy(source, target)
    assert result.downsampled == 2
    assert {size[0] for size in _pictures(target).values()} == {LIMIT}


def test_cmyk_pictures_stay_as_they_are(tmp_path):
    """Converting CMYK to RGB would change colours the way no viewer does; the picture is kept."""
    source, target = _deck(tmp_path, {"Print": lambda pdf: _flate_photo(pdf, mode="CMYK")})
    result = write_web_copy(source, target)
    assert (result.pictures, result.downsampled) == (1, 0)
    assert _pictures(target)["/Print"][:2] == (1500, 1125)


def _zeros_picture(pdf, width, height):
    """A picture declaring width x height RGB pixels, all black: megabytes on disk, far more decoded."""
    squeeze, rows, chunk = zlib.compressobj(9), [], b"\0" * (width * 3 * 100)
    for _start in range(0, height, 100):
        rows.append(squeeze.compress(chunk))
    rows.append(squeeze.flush())
    image = pikepdf.Stream(pdf, b"".join(rows))
    image.Type, image.Subtype, image.Filter = Name.XObject, Name.Image, Name.FlateDecode
    image.Width, image.Height, image.BitsPerComponent, image.ColorSpace = width, height, 8, Name.DeviceRGB
    return image


def _jpeg_claiming(pdf, width, height):
    """A small JPEG whose header claims width x height: Pillow refuses to open it past its limit."""
    data = bytearray(photograph_jpeg(64, 48, 3))
    frame = data.index(b"\xff\xc0")  # SOF0: length (2), precision (1), height (2), width (2)
    data[frame + 5 : frame + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    image = pikepdf.Stream(pdf, bytes(data))
    image.Type, image.Subtype, image.Filter = Name.XObject, Name.Image, Name.DCTDecode
    image.Width, image.Height, image.BitsPerComponent, image.ColorSpace = width, height, 8, Name.DeviceRGB
    return image


def test_pictures_too_large_to_decode_stay_as_they_are_and_the_rest_still_shrink(tmp_path):
    """A crafted deck: a picture of 8,000 x 8,000 black pixels (0.4 MB compressed, 192 MB decoded) and
    a JPEG claiming 20,000 x 20,000 (Pillow's decompression bomb). Neither is decoded, the copy is
    written, and an ordinary photograph beside them is still downsampled."""
    side = 8000
    assert side * side > MAX_DECODED_PIXELS
    source, target = _deck(
        tmp_path,
        {
            "Zeros": lambda pdf: _zeros_picture(pdf, side, side),
            "Bomb": lambda pdf: _jpeg_claiming(pdf, 20000, 20000),
            "Photo": _flate_photo,
        },
    )
    result = write_web_copy(source, target)
    assert (result.pictures, result.downsampled) == (3, 1)
    pictures = _pictures(target)
    assert pictures["/Zeros"][:2] == (side, side)
    assert pictures["/Bomb"][:2] == (20000, 20000)
    assert pictures["/Photo"][0] == LIMIT
