"""Avatars: uploads re-encoded into a clean square PNG, and the identicon every reader starts with.

An upload is never stored as sent. Its first frame is decoded, turned upright, cropped to a square,
resized and drawn into a new image, so nothing of the original file survives but the pixels:
no EXIF (GPS position, camera serial), no ICC profile, no text chunks, no trailing payload.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

AVATAR_SIZE = 256
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 20_000_000
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
SEED_PATTERN = re.compile(r"[0-9a-f]{16}")

_NOT_AN_IMAGE = "Upload a JPEG, PNG, WebP or GIF image."
_TOO_BIG = (
    "That image is too large to process: at most %(max)s megapixels. Resize it and upload it again."
)


def _decode_first_frame(upload: UploadedFile) -> Image.Image:
    """The upload's first frame, fully decoded, or ValidationError."""
    upload.seek(0)
    try:
        # Pillow itself refuses beyond twice its own limit (DecompressionBombError, caught
        # below); our far lower limit is checked on the header, before any pixel is decoded.
        with Image.open(upload, formats=ALLOWED_FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _TOO_BIG, code="too_many_pixels", params={"max": MAX_PIXELS // 1_000_000}
                )
            image.seek(0)
            if image.format == "JPEG":
                # Decode at the smallest scale still at least 256 px on each side: a 20 MP
                # photo then costs a fraction of the memory and time.
                image.draft(image.mode, (AVATAR_SIZE, AVATAR_SIZE))
            image.load()
            icc = image.info.get("icc_profile")
            frame = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError as error:
        raise ValidationError(
            _TOO_BIG, code="too_many_pixels", params={"max": MAX_PIXELS // 1_000_000}
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(_NOT_AN_IMAGE, code="not_an_image") from error
    if icc:
        frame = _to_srgb(frame, icc)
    return frame


def _to_srgb(frame: Image.Image, icc: bytes) -> Image.Image:
    """Convert to sRGB so that colours stay right once the ICC profile is dropped."""
    mode = "RGBA" if "A" in frame.getbands() else "RGB"
    try:
        return ImageCms.profileToProfile(
            frame,
            ImageCms.ImageCmsProfile(io.BytesIO(icc)),
            ImageCms.createProfile("sRGB"),
            outputMode=mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken or unusual profile: the colours may be a little off, the avatar still works.
        return frame


def _has_alpha(frame: Image.Image) -> bool:
    return "A" in frame.getbands() or (frame.mode == "P" and "transparency" in frame.info)


def avatar_from_upload(upload: UploadedFile) -> ContentFile:
    """A 256×256 PNG made from the upload's pixels only, or ValidationError saying why not.

    Accepts JPEG, PNG, WebP and GIF up to 5 MB and 20 megapixels; animations keep their first
    frame.
    """
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "That file is %(size).1f MB; avatars can be at most 5 MB.",
            code="too_large",
            params={"size": upload.size / 1024 / 1024},
        )
    frame = _decode_first_frame(upload)
    try:
        frame = frame.convert("RGBA" if _has_alpha(frame) else "RGB")
    except (OSError, ValueError) as error:  # modes Pillow cannot convert, e.g. odd bit depths
        raise ValidationError(_NOT_AN_IMAGE, code="not_an_image") from error
    side = min(frame.width, frame.height)
    left, top = (frame.width - side) // 2, (frame.height - side) // 2
    frame = frame.crop((left, top, left + side, top + side)).resize(
        (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS
    )
    # A new image carries none of the original's info (EXIF, ICC, text chunks): only pixels.
    clean = Image.new(frame.mode, frame.size)
    clean.paste(frame)
    buffer = io.BytesIO()
    clean.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name="avatar.png")


def identicon_svg(seed: str) -> str:
    """A 5×5, left-right symmetric pattern in one colour, the same for the same seed.

    Only the seed goes in, so the picture says nothing about who the reader is.
    """
    digest = hashlib.sha256(seed.encode("ascii")).digest()
    hue = int.from_bytes(digest[:2], "big") % 360 / 360
    lightness = (40 + digest[3] % 15) / 100
    saturation = (45 + digest[2] % 25) / 100
    red, green, blue = (round(v * 255) for v in colorsys.hls_to_rgb(hue, lightness, saturation))
    bits = int.from_bytes(digest[4:6], "big")
    cells = []
    for row in range(5):
        for column in range(3):
            if bits >> (row * 3 + column) & 1:
                cells.append((row, column))
                if column < 2:
                    cells.append((row, 4 - column))
    rects = "".join(f'<rect x="{c + 1}" y="{r + 1}" width="1" height="1"/>' for r, c in cells)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 7 7" width="256" height="256" '
        'shape-rendering="crispEdges">'
        '<rect width="7" height="7" fill="#f2f2ef"/>'
        f'<g fill="#{red:02x}{green:02x}{blue:02x}">{rects}</g></svg>'
    )
