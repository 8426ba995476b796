"""Illustrations for the demo articles, drawn with Pillow so the demo ships no photographs.

Each scene is a sky gradient, a sun or moon, layered hills and a road running to the horizon,
described by a small `Scene` so the pictures are deterministic and cheap (about 30 ms each).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 675
# Drawn at twice the size and scaled down, which anti-aliases the edges of every shape.
SCALE = 2

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Scene:
    key: str
    title: str
    sky_top: RGB
    sky_bottom: RGB
    sun: RGB
    sun_x: float  # 0..1 across the picture
    sun_y: float  # 0..1 down the picture
    hills: tuple[RGB, ...]  # farthest first
    ground: RGB
    road: RGB
    marking: RGB
    horizon: float = 0.58  # 0..1 down the picture
    curve: float = 0.0  # how far the road bends on its way to the horizon, -1..1
    stars: bool = False


def render_jpeg(scene: Scene, *, seed: int = 0) -> bytes:
    """Draw `scene` and return it as a 1200x675 JPEG."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    horizon_y = int(h * scene.horizon)
    rng = random.Random(f"{scene.key}:{seed}")  # noqa: S311 - decoration, not security

    img = _vertical_gradient((w, h), scene.sky_top, scene.sky_bottom)
    draw = ImageDraw.Draw(img)

    if scene.stars:
        for _ in range(140):
            x, y = rng.uniform(0, w), rng.uniform(0, horizon_y * 0.8)
            r = rng.choice((1.5, 2, 2, 3))
            shade = rng.randint(170, 240)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(shade, shade, min(255, shade + 12)))

    _draw_sun(img, scene)
    draw = ImageDraw.Draw(img)

    # Hills: each layer a smooth ridge made of a few sine waves, nearer layers lower and darker.
    layers = len(scene.hills)
    for i, colour in enumerate(scene.hills):
        base = horizon_y - (layers - i) * h * 0.035
        amp = h * (0.05 + 0.025 * (layers - i))
        phases = [rng.uniform(0, math.tau) for _ in range(3)]
        freqs = (rng.uniform(0.8, 1.4), rng.uniform(2.0, 3.2), rng.uniform(5.0, 7.0))
        points = []
        for step in range(0, w + 1, 8 * SCALE):
            t = step / w
            y = base - amp * (
                0.6 * math.sin(math.tau * freqs[0] * t + phases[0])
                + 0.3 * math.sin(math.tau * freqs[1] * t + phases[1])
                + 0.1 * math.sin(math.tau * freqs[2] * t + phases[2])
                + 0.4
            )
            points.append((step, y))
        draw.polygon([(0, h), *points, (w, h)], fill=colour)

    far_ground = tuple(min(255, int(c * 1.18) + 8) for c in scene.ground)
    img.paste(_vertical_gradient((w, h - horizon_y), far_ground, scene.ground), (0, horizon_y))
    draw = ImageDraw.Draw(img)
    _draw_road(draw, scene, w, h, horizon_y)

    out = img.reduce(SCALE)
    buffer = BytesIO()
    out.save(buffer, format="JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue()


def _vertical_gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    # Blend one column, then stretch it sideways: far cheaper than blending every pixel.
    w, h = size
    mask = Image.linear_gradient("L").resize((1, h), Image.Resampling.BILINEAR)
    column = Image.composite(Image.new("RGB", (1, h), bottom), Image.new("RGB", (1, h), top), mask)
    return column.resize((w, h), Image.Resampling.NEAREST)


def _draw_sun(img: Image.Image, scene: Scene) -> None:
    w, h = img.size
    cx, cy = scene.sun_x * w, scene.sun_y * h
    radius = h * 0.07
    # A soft glow, blurred at quarter size in a patch around the sun and scaled up.
    half, small = int(radius * 4.5), 4
    glow = Image.new("L", (2 * half // small, 2 * half // small), 0)
    r, c = radius * 3 / small, half / small
    ImageDraw.Draw(glow).ellipse((c - r, c - r, c + r, c + r), fill=90)
    glow = glow.filter(ImageFilter.GaussianBlur(radius * 0.9 / small))
    glow = glow.resize((2 * half, 2 * half), Image.Resampling.BILINEAR)
    box = (int(cx) - half, int(cy) - half)
    img.paste(Image.new("RGB", glow.size, scene.sun), box, mask=glow)
    ImageDraw.Draw(img).ellipse(
        (cx - radius, cy - radius, cx + radius, cy + radius), fill=scene.sun
    )


def _draw_road(draw: ImageDraw.ImageDraw, scene: Scene, w: int, h: int, horizon_y: int) -> None:
    """A road narrowing to a vanishing point on the horizon, bending by `scene.curve`."""

    def edge_point(s: float) -> tuple[float, float, float]:
        # s is 1 at the bottom edge and 0 at the horizon; width shrinks linearly with it, as
        # in a real perspective, and the bend grows with distance.
        y = horizon_y + (h - horizon_y) * s
        half_width = w * 0.45 * s + w * 0.002
        x = w * 0.5 + scene.curve * w * 0.3 * (1 - s) ** 2
        return x, y, half_width

    samples = [edge_point(1 - i / 60) for i in range(61)]
    left = [(x - hw, y) for x, y, hw in samples]
    right = [(x + hw, y) for x, y, hw in samples]
    draw.polygon(left + right[::-1], fill=scene.road)

    # Dashes equally spaced in depth, so they bunch up towards the horizon.
    depth = [1 / (1 + 0.45 * i) for i in range(60)]
    for near, far in zip(depth[0::2], depth[1::2], strict=False):
        x0, y0, hw0 = edge_point(near)
        x1, y1, hw1 = edge_point(far)
        draw.polygon(
            [
                (x0 - hw0 * 0.025, y0),
                (x0 + hw0 * 0.025, y0),
                (x1 + hw1 * 0.025, y1),
                (x1 - hw1 * 0.025, y1),
            ],
            fill=scene.marking,
        )
