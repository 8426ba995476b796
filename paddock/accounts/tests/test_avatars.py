"""Avatars: uploads are re-encoded to clean 256×256 PNGs; identicons are generated, cacheable
and cost no query."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from paddock.accounts.avatars import avatar_from_upload, identicon_svg

from .conftest import sign_in
from .factories import ReaderFactory

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _jpeg_with_gps(size=(64, 32), orientation: int | None = None) -> bytes:
    """A JPEG whose EXIF holds a GPS position (and optionally an orientation)."""
    image = Image.new("RGB", size, "white")
    # Top half red, bottom half blue: shows which way up the result is.
    image.paste((255, 0, 0), (0, 0, size[0], size[1] // 2))
    image.paste((0, 0, 255), (0, size[1] // 2, size[0], size[1]))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x0131] = "Secret Editor 1.0"  # Software
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 36.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    # The fixture really carries a GPS position, or the test below would prove nothing.
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)[2] == (52.0, 31.0, 12.0)
    return data


def _png(image: Image.Image, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **params)
    return buffer.getvalue()


def _upload(data: bytes, name: str = "me.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _assert_clean_png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (256, 256)
    assert not image.getexif()
    assert not set(image.info) & {"exif", "icc_profile", "Comment", "Software", "XML:com.adobe.xmp"}
    assert not getattr(image, "text", {})
    for chunk in (b"eXIf", b"iCCP", b"tEXt", b"zTXt", b"iTXt"):
        assert chunk not in data
    return image


# --- Processing ---------------------------------------------------------------------------


def test_exif_gps_and_camera_data_do_not_survive():
    data = avatar_from_upload(_upload(_jpeg_with_gps())).read()
    _assert_clean_png(data)
    for secret in (b"SpyCam", b"Secret Editor", b"GPS"):
        assert secret not in data


def test_exif_orientation_is_applied_before_the_exif_is_dropped():
    # Orientation 3: the camera was upside down, so what is stored red-on-top is blue-on-top.
    data = avatar_from_upload(_upload(_jpeg_with_gps(size=(32, 32), orientation=3))).read()
    image = _assert_clean_png(data).convert("RGB")
    top, bottom = image.getpixel((128, 20)), image.getpixel((128, 236))
    assert top[2] > 200 and top[0] < 60  # blue
    assert bottom[0] > 200 and bottom[2] < 60  # red


def test_png_text_chunks_and_icc_profile_are_dropped():
    from PIL import ImageCms

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Doe, 12 Hidden Lane")
    info.add_itxt("Comment", "private", zip=True)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = _png(Image.new("RGB", (300, 300), "green"), pnginfo=info, icc_profile=icc)
    assert b"tEXt" in source and b"iCCP" in source
    data = avatar_from_upload(_upload(source, "me.png", "image/png")).read()
    _assert_clean_png(data)
    assert b"Hidden Lane" not in data


def test_wide_images_are_centre_cropped_to_a_square():
    image = Image.new("RGB", (300, 100), (255, 0, 0))
    image.paste((0, 255, 0), (100, 0, 200, 100))  # the middle third is green
    data = avatar_from_upload(_upload(_png(image), "wide.png", "image/png")).read()
    result = _assert_clean_png(data).convert("RGB")
    for point in [(5, 5), (250, 128), (128, 250)]:
        assert result.getpixel(point) == (0, 255, 0)


def test_transparency_is_kept():
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    data = avatar_from_upload(_upload(_png(image), "clear.png", "image/png")).read()
    result = _assert_clean_png(data)
    assert result.mode == "RGBA"
    assert result.getpixel((10, 10))[3] == 0


def test_animated_gif_keeps_its_first_frame_only():
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "blue", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    data = avatar_from_upload(_upload(buffer.getvalue(), "anim.gif", "image/gif")).read()
    result = _assert_clean_png(data).convert("RGB")
    red, green, blue = result.getpixel((128, 128))
    assert red > 200 and blue < 60


def test_webp_is_accepted():
    buffer = io.BytesIO()
    Image.new("RGB", (80, 120), "purple").save(buffer, "WEBP")
    data = avatar_from_upload(_upload(buffer.getvalue(), "me.webp", "image/webp")).read()
    _assert_clean_png(data)


def _png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb's calling card."""
    source = _png(Image.new("1", (1, 1)))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    patched = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return source[:8] + patched + source[8 + 25 :]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_png_header_claiming(5000, 5000), id="25-megapixels"),
        pytest.param(_png_header_claiming(30000, 30000), id="900-megapixels-pillow-bomb"),
        pytest.param(_png(Image.new("1", (4473, 4473))), id="real-20.01-megapixel-png"),
    ],
)
def test_decompression_bombs_are_refused_before_decoding(data):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        avatar_from_upload(_upload(data, "bomb.png", "image/png"))
    assert caught.value.code == "too_many_pixels"
    assert "megapixels" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"just some text, not an image", "notes.png", "not_an_image"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "evil.svg",
            "not_an_image",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024), "huge.png", "too_large"),
    ],
)
def test_non_images_and_oversized_files_are_refused(data, name, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        avatar_from_upload(_upload(data, name, "image/png"))
    assert caught.value.code == code


def test_other_image_formats_and_truncated_images_are_refused():
    from django.core.exceptions import ValidationError

    bmp, tiff = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (10, 10)).save(bmp, "BMP")
    Image.new("RGB", (10, 10)).save(tiff, "TIFF")
    truncated = _jpeg_with_gps(size=(400, 400))[:600]
    for data in (bmp.getvalue(), tiff.getvalue(), truncated):
        with pytest.raises(ValidationError) as caught:
            avatar_from_upload(_upload(data))
        assert caught.value.code == "not_an_image"


# --- Through the account page -------------------------------------------------------------


def _profile_post(reader, **extra):
    return {
        "display_name": reader.profile.display_name,
        "country": "",
        **extra,
    }


@pytest.mark.django_db
def test_uploading_an_avatar_stores_a_clean_png(client):
    reader = ReaderFactory()
    sign_in(client, reader.email)
    response = client.post(
        reverse("accounts:edit"), _profile_post(reader, avatar=_upload(_jpeg_with_gps()))
    )
    assert response.status_code == 302
    reader.profile.refresh_from_db()
    assert reader.profile.avatar.name.endswith(".png")
    with default_storage.open(reader.profile.avatar.name) as stored:
        data = stored.read()
    _assert_clean_png(data)
    assert b"SpyCam" not in data
    assert reader.profile.avatar_url == reader.profile.avatar.url
    assert reader.profile.avatar_url in client.get(reverse("accounts:edit")).content.decode()


@pytest.mark.django_db
def test_replacing_or_removing_an_avatar_deletes_the_old_file(
    client, django_capture_on_commit_callbacks
):
    reader = ReaderFactory()
    sign_in(client, reader.email)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:edit"), _profile_post(reader, avatar=_upload(_jpeg_with_gps()))
        )
    reader.profile.refresh_from_db()
    first = reader.profile.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:edit"), _profile_post(reader, avatar=_upload(_jpeg_with_gps()))
        )
    reader.profile.refresh_from_db()
    second = reader.profile.avatar.name
    assert second != first
    assert not default_storage.exists(first)
    assert default_storage.exists(second)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:edit"), _profile_post(reader, avatar_clear="on"))
    reader.profile.refresh_from_db()
    assert not reader.profile.avatar
    assert not default_storage.exists(second)
    assert reader.profile.avatar_url == f"/avatars/{reader.profile.avatar_seed}.svg"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_png_header_claiming(30000, 30000), "too large to process"),
        (b"GIF89a but not really", "Upload a JPEG, PNG, WebP or GIF image."),
        (b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024 + 1), "avatars can be at most 5 MB"),
    ],
)
def test_bad_uploads_are_refused_on_the_form_with_a_clear_error(client, data, message):
    reader = ReaderFactory(display_name="Keeps Name")
    sign_in(client, reader.email)
    response = client.post(
        reverse("accounts:edit"),
        _profile_post(reader, display_name="Changed Name", avatar=_upload(data)),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    reader.profile.refresh_from_db()
    assert reader.profile.display_name == "Keeps Name"
    assert not reader.profile.avatar


# --- Identicons ---------------------------------------------------------------------------

SEED = "0123456789abcdef"


def _cells(svg: str) -> set[tuple[int, int]]:
    return {(int(x), int(y)) for x, y in re.findall(r'<rect x="(\d)" y="(\d)"', svg)}


def test_identicon_is_deterministic_symmetric_and_differs_by_seed():
    assert identicon_svg(SEED) == identicon_svg(SEED)
    assert identicon_svg(SEED) != identicon_svg("fedcba9876543210")
    for seed in (SEED, "fedcba9876543210", "00000000000000ff", "a1b2c3d4e5f60718"):
        cells = _cells(identicon_svg(seed))
        assert cells == {(6 - x, y) for x, y in cells}  # mirrored around the middle column
        assert all(1 <= x <= 5 and 1 <= y <= 5 for x, y in cells)


def test_identicon_colour_comes_from_the_seed():
    colours = {
        re.search(r'<g fill="(#[0-9a-f]{6})"', identicon_svg(f"{n:016x}"))[1] for n in range(20)
    }
    assert len(colours) > 10


@pytest.mark.django_db
def test_identicon_is_served_cacheable_without_a_query(client, django_assert_num_queries):
    url = reverse("accounts:identicon", kwargs={"seed": SEED})
    # Every request reads the site it is for from the kept parts of pages: the first request
    # of a process fills them (two queries), the ones after read none, as on a running site.
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=31536000" in cache_control
    assert "Cookie" not in response.get("Vary", "")
    assert response.content.decode() == identicon_svg(SEED)
    assert "<script" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "seed",
    [
        "0123456789ABCDEF",
        "0123456789abcde",
        "0123456789abcdef0",
        "0123456789abcdeg",
        "..%2F..%2Fsecret",
        "0123456789abcdef%0A",
        "%3Cscript%3E",
    ],
)
def test_identicon_refuses_anything_but_sixteen_hex_digits(client, seed):
    assert client.get(f"/avatars/{seed}.svg").status_code == 404


@pytest.mark.django_db
def test_new_readers_get_an_identicon_url_that_works(client):
    reader = ReaderFactory()
    url = reader.profile.avatar_url
    assert re.fullmatch(r"/avatars/[0-9a-f]{16}\.svg", url)
    assert client.get(url).status_code == 200
