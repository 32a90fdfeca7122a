"""Draw the sample site's illustrations (run: python make_images.py; needs Pillow).

Simple drawn scenes, deterministic, so the committed images can be regenerated at will.
A little grain is added so the JPEGs look like photos to size heuristics (20-60 KB).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SIZE = (640, 360)
OUT = Path(__file__).resolve().parent / "images"
Colour = tuple[int, int, int]


def gradient(top: Colour, bottom: Colour) -> Image.Image:
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE[1]):
        t = y / (SIZE[1] - 1)
        draw.line([(0, y), (SIZE[0], y)],
                  fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return image


def grain(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    noise = Image.effect_noise(SIZE, 40 + rng.randint(0, 10)).convert("RGB")
    return Image.blend(image, noise, strength)


def hills(draw: ImageDraw.ImageDraw, rng: random.Random, colour: Colour, base: int) -> None:
    points = [(0, SIZE[1])]
    for x in range(0, SIZE[0] + 40, 40):
        points.append((x, base + rng.randint(-30, 30)))
    points.append((SIZE[0], SIZE[1]))
    draw.polygon(points, fill=colour)


def landscape(image: Image.Image, rng: random.Random, accent: Colour) -> None:
    draw = ImageDraw.Draw(image)
    draw.ellipse([470, 40, 540, 110], fill=(255, 236, 170))
    hills(draw, rng, (90, 130, 100), 200)
    hills(draw, rng, (60, 110, 70), 250)
    draw.polygon([(0, 330), (260, 280), (640, 300), (640, 360), (0, 360)], fill=accent)


def buildings(image: Image.Image, rng: random.Random, accent: Colour) -> None:
    draw = ImageDraw.Draw(image)
    x = 10
    while x < SIZE[0]:
        width, height = rng.randint(50, 110), rng.randint(90, 260)
        shade = tuple(max(0, c - rng.randint(0, 60)) for c in accent)
        draw.rectangle([x, SIZE[1] - height, x + width, SIZE[1]], fill=shade)
        for wy in range(SIZE[1] - height + 12, SIZE[1] - 10, 22):
            for wx in range(x + 8, x + width - 12, 18):
                lit = rng.random() < 0.5
                draw.rectangle([wx, wy, wx + 8, wy + 12],
                               fill=(250, 220, 120) if lit else (60, 70, 90))
        x += width + rng.randint(4, 16)


def machine(image: Image.Image, rng: random.Random, accent: Colour) -> None:
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 290, 640, 360], fill=(80, 80, 90))
    for i in range(rng.randint(3, 5)):
        x = 40 + i * 130
        draw.rounded_rectangle([x, 150, x + 100, 290], radius=10, fill=accent,
                               outline=(30, 30, 30), width=3)
        draw.ellipse([x + 30, 190, x + 70, 230], fill=(230, 230, 230), outline=(40, 40, 40))
        draw.rectangle([x + 10, 250, x + 90, 270], fill=(40, 40, 50))


def train(image: Image.Image, rng: random.Random, accent: Colour) -> None:
    draw = ImageDraw.Draw(image)
    hills(draw, rng, (110, 140, 110), 220)
    draw.rectangle([0, 300, 640, 312], fill=(70, 60, 50))
    colours = [accent, (40, 90, 160), (200, 120, 40), (120, 120, 120)]
    for i in range(6):
        x = 10 + i * 105
        draw.rectangle([x, 230, x + 98, 298], fill=colours[i % 4], outline=(20, 20, 20), width=2)
        for wheel in (x + 20, x + 78):
            draw.ellipse([wheel - 9, 292, wheel + 9, 310], fill=(30, 30, 30))


def circles(image: Image.Image, rng: random.Random, accent: Colour) -> None:
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        r = rng.randint(10, 60)
        x, y = rng.randint(0, SIZE[0]), rng.randint(0, SIZE[1])
        colour = tuple(min(255, c + rng.randint(-40, 60)) for c in accent)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline=(255, 255, 255))


def bar_chart(values: list[float], labels: list[str]) -> Callable[..., None]:
    def paint(image: Image.Image, rng: random.Random, accent: Colour) -> None:
        draw = ImageDraw.Draw(image)
        font = ImageFont.load_default(size=16)
        draw.line([(60, 300), (600, 300)], fill=(40, 40, 40), width=2)
        draw.line([(60, 60), (60, 300)], fill=(40, 40, 40), width=2)
        top = max(values)
        step = 520 // len(values)
        for i, (value, label) in enumerate(zip(values, labels, strict=True)):
            x = 80 + i * step
            height = round(220 * value / top)
            draw.rectangle([x, 300 - height, x + step - 30, 300], fill=accent)
            draw.text((x, 305), label, fill=(30, 30, 30), font=font)
            draw.text((x, 280 - height), f"{value:g}", fill=(30, 30, 30), font=font)
    return paint


# name -> (painter, sky top, sky bottom, accent, label)
IMAGES: dict[str, tuple[Callable[..., None], Colour, Colour, Colour, str]] = {
    "vocational.jpg": (machine, (200, 210, 225), (150, 160, 180), (60, 120, 180), "WORKSHOP"),
    "vocational-class.jpg": (machine, (230, 220, 200), (180, 170, 150), (200, 90, 60), "CLASS"),
    "charging.jpg": (buildings, (120, 170, 230), (220, 235, 250), (70, 160, 110), "EV CHARGING"),
    "river.jpg": (landscape, (150, 200, 240), (230, 240, 250), (70, 140, 200), "QINGSHUI RIVER"),
    "river-walk.jpg": (landscape, (250, 200, 150), (250, 235, 210), (90, 150, 190), "RIVERSIDE"),
    "library.jpg": (buildings, (180, 200, 230), (240, 240, 245), (170, 120, 80), "LIBRARY"),
    "rail.jpg": (train, (140, 190, 235), (225, 235, 245), (180, 40, 40), "FREIGHT"),
    "tea.jpg": (landscape, (210, 220, 225), (245, 245, 240), (80, 150, 80), "TEA GARDEN"),
    "robot.jpg": (circles, (30, 40, 70), (70, 90, 140), (90, 160, 230), "ROBOTICS"),
    "canteen.jpg": (circles, (250, 230, 200), (240, 200, 160), (230, 140, 70), "CANTEEN"),
    "livestream.jpg": (circles, (60, 30, 70), (150, 80, 120), (240, 120, 160), "LIVE"),
    "oldstreet.jpg": (buildings, (235, 215, 180), (245, 240, 230), (120, 90, 70), "OLD STREET"),
    "football.jpg": (landscape, (120, 180, 240), (200, 225, 250), (60, 160, 70), "FOOTBALL"),
    "freight.jpg": (train, (250, 190, 130), (250, 230, 200), (40, 120, 160), "TERMINAL"),
    "wind.jpg": (landscape, (240, 150, 110), (250, 220, 170), (50, 90, 140), "WIND FARM"),
    "glacier.jpg": (landscape, (170, 210, 240), (245, 250, 255), (220, 235, 245), "GLACIER"),
    "workshop.jpg": (machine, (210, 215, 220), (170, 175, 185), (230, 170, 40), "ELECTRICS"),
    "market.jpg": (buildings, (20, 25, 60), (80, 60, 110), (160, 80, 60), "NIGHT MARKET"),
    "seeds.jpg": (circles, (240, 235, 220), (220, 205, 180), (160, 110, 60), "SEED BANK"),
    "marathon.jpg": (buildings, (140, 190, 240), (230, 240, 250), (110, 120, 140), "MARATHON"),
    "heating-chart.png": (bar_chart([44.5, 47.0, 50.2, 53.0, 56.0],
                                    ["2021", "2022", "2023", "2024", "2025"]),
                          (255, 255, 255), (240, 244, 250), (200, 70, 50), "HEATING AREA"),
    "bus-chart.png": (bar_chart([4, 11, 22, 37, 50], ["2021", "2022", "2023", "2024", "2025"]),
                      (255, 255, 255), (238, 246, 240), (40, 140, 90), "ELECTRIC BUSES %"),
}


def draw_one(name: str) -> Image.Image:
    painter, top, bottom, accent, label = IMAGES[name]
    rng = random.Random(name)
    image = gradient(top, bottom)
    painter(image, rng, accent)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    draw.rectangle([12, 12, 24 + draw.textlength(label, font=font), 44], fill=(0, 0, 0))
    draw.text((18, 16), label, fill=(255, 255, 255), font=font)
    if name.endswith(".png"):
        # A faint grain on a small palette: crisp chart lines at a photo-like file size.
        return grain(image, rng, 0.012).quantize(8)
    return grain(image.filter(ImageFilter.SMOOTH), rng, 0.16)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name in IMAGES:
        image = draw_one(name)
        if name.endswith(".png"):
            image.save(OUT / name, optimize=True)
        else:
            image.save(OUT / name, quality=82, optimize=True)


if __name__ == "__main__":
    main()
