"""Write an opaque RGBA canvas as an RGB PNG, quickly.

Pillow's PNG encoder chooses a filter per row by trying them all, which costs more than
the compression itself on a 30-megapixel map. A map is flat colour and text, so the "Up"
filter (each row minus the one above, done by numpy) with fast zlib compression makes a
file as small as Pillow's at a third of the time; the two halves of the image are
compressed on two threads (zlib releases the GIL) into one deflate stream.

:class:`PngStream` writes an image that comes in horizontal bands (a large map drawn band
by band, so no canvas of the whole map is ever held): each band is filtered against the
last row of the one before and compressed on a thread of its own while the next band is
drawn, into IDAT chunks of one deflate stream.
"""

from __future__ import annotations

import struct
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import numpy as np

LEVEL = 1  # zlib level: 1 and 3 give files within 2 % of each other on a map
STRIP = 64  # rows filtered at a time (a few MB of scratch memory)
PARALLEL_PIXELS = 4e6  # smaller images are compressed on one thread

Part = tuple[bytes, int, int]  # deflated bytes, Adler-32 and length of the input


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _filter(rgb: np.ndarray, start: int, out: np.ndarray) -> None:
    """Rows ``start`` on, as many as ``out`` holds, with filter 2 (Up): a leading 2, then
    each row minus the one above it (the image's first row as it is)."""
    n = out.shape[0]
    out[:, 0] = 2
    rows = out[:, 1:].reshape(n, rgb.shape[1], 3)
    if start == 0:
        rows[0] = rgb[0]
        np.subtract(rgb[1:n], rgb[: n - 1], out=rows[1:])
    else:
        np.subtract(rgb[start : start + n], rgb[start - 1 : start + n - 1], out=rows)


def _filter_after(rgb: np.ndarray, above: np.ndarray | None, start: int, out: np.ndarray) -> None:
    """:func:`_filter` of a band whose first row follows ``above`` (the previous band's
    last row; None: the band is the image's top)."""
    if start or above is None:
        _filter(rgb, start, out)
        return
    n = out.shape[0]
    out[:, 0] = 2
    rows = out[:, 1:].reshape(n, rgb.shape[1], 3)
    np.subtract(rgb[0], above, out=rows[0])
    np.subtract(rgb[1:n], rgb[: n - 1], out=rows[1:])


def _deflate(rgb: np.ndarray, start: int, stop: int, first: bool, last: bool) -> Part:
    """Rows [start, stop) deflated (with the zlib header when ``first``; byte-aligned and
    not final unless ``last``), with the Adler-32 and length of the filtered bytes."""
    comp = zlib.compressobj(LEVEL, zlib.DEFLATED, 15 if first else -15)
    scratch = np.empty((STRIP, 1 + rgb.shape[1] * 3), np.uint8)
    parts, adler, length = [], 1, 0
    for i in range(start, stop, STRIP):
        raw = scratch[: min(STRIP, stop - i)]
        _filter(rgb, i, raw)
        data = raw.data  # the rows' bytes, not copied
        adler, length = zlib.adler32(data, adler), length + raw.nbytes
        parts.append(comp.compress(data))
    parts.append(comp.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH))
    return b"".join(parts), adler, length


def _adler_combine(a: int, b: int, b_length: int) -> int:
    """Adler-32 of two byte strings joined, from theirs (zlib's adler32_combine)."""
    base = 65521
    rem = b_length % base
    sum1 = a & 0xFFFF
    sum2 = rem * sum1 % base
    sum1 = (sum1 + (b & 0xFFFF) + base - 1) % base
    sum2 = (sum2 + (a >> 16) + (b >> 16) + base - rem) % base
    return sum1 | sum2 << 16


def _idat(rgb: np.ndarray) -> bytes:
    height = rgb.shape[0]
    if height < 2 * STRIP or rgb.shape[0] * rgb.shape[1] < PARALLEL_PIXELS:
        return _deflate(rgb, 0, height, first=True, last=True)[0]
    middle = height // 2
    with ThreadPoolExecutor(2) as pool:
        top = pool.submit(_deflate, rgb, 0, middle, True, False)
        bottom = pool.submit(_deflate, rgb, middle, height, False, True)
        (head, a, _), (tail, b, b_length) = top.result(), bottom.result()
    return head + tail + struct.pack(">I", _adler_combine(a, b, b_length))


def _head(width: int, height: int, dpi: float, metadata: dict[str, str]) -> list[bytes]:
    per_metre = round(dpi / 0.0254)
    return [
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        *(_chunk(b"tEXt", f"{k}\0{v}".encode("latin-1")) for k, v in metadata.items()),
    ]


def write_png(rgba: np.ndarray, path: Path, dpi: float, metadata: dict[str, str]) -> Path:
    """``rgba``: height x width x 4 uint8, opaque (its alpha is dropped)."""
    rgb = rgba[..., :3]
    height, width = rgb.shape[:2]
    chunks = [
        *_head(width, height, dpi, metadata),
        _chunk(b"IDAT", _idat(rgb)),
        _chunk(b"IEND", b""),
    ]
    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.writelines(chunks)
    return path


class PngStream:
    """A PNG of ``height`` rows written band by band (:meth:`add`, top to bottom); each
    band is compressed on a thread while the caller draws the next (at most one band
    waits to be compressed: :meth:`add` waits for the one before)."""

    def __init__(
        self, path: Path, width: int, height: int, dpi: float, metadata: dict[str, str]
    ) -> None:
        self.path, self.width, self.height = Path(path), width, height
        self._rows = 0
        self._comp = zlib.compressobj(LEVEL)
        self._above: np.ndarray | None = None
        self._pool = ThreadPoolExecutor(1)
        self._pending: Future[None] | None = None
        self._fh = open(self.path, "wb")  # noqa: SIM115 - closed by close()
        self._fh.write(b"\x89PNG\r\n\x1a\n")
        self._fh.writelines(_head(width, height, dpi, metadata))

    def __enter__(self) -> PngStream:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(finish=kind is None)

    def add(self, rgba: np.ndarray) -> None:
        """The next rows: ``rgba``, rows x width x 4 uint8, opaque (kept until written)."""
        rgb = rgba[..., :3]
        if rgb.shape[1] != self.width or self._rows + rgb.shape[0] > self.height:
            raise ValueError(f"a band of {rgb.shape[:2]} does not fit {self.height}x{self.width}")
        self._wait()
        above, self._above = self._above, rgb[-1].copy()
        self._rows += rgb.shape[0]
        self._pending = self._pool.submit(self._compress, rgb, above)

    def _compress(self, rgb: np.ndarray, above: np.ndarray | None) -> None:
        scratch = np.empty((STRIP, 1 + self.width * 3), np.uint8)
        parts = []
        for i in range(0, rgb.shape[0], STRIP):
            raw = scratch[: min(STRIP, rgb.shape[0] - i)]
            _filter_after(rgb, above, i, raw)
            parts.append(self._comp.compress(raw.data))
        self._fh.write(_chunk(b"IDAT", b"".join(parts)))

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def close(self, finish: bool = True) -> None:
        """Write the end of the file (every row must have come); ``finish=False`` only
        closes it (a failed drawing)."""
        try:
            self._wait()
            if finish:
                if self._rows != self.height:
                    raise ValueError(f"{self._rows} of {self.height} rows written")
                self._fh.write(_chunk(b"IDAT", self._comp.flush()))
                self._fh.write(_chunk(b"IEND", b""))
        finally:
            self._pool.shutdown()
            self._fh.close()
