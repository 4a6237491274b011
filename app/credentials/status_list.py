"""BitstringStatusList (W3C): one bit per credential, published so checks reveal nobody.

Bit i is the (i mod 8)-th most significant bit of byte i // 8 ("most significant bit first").
The published list is GZIP-compressed, then base64url-encoded without padding, with the
multibase prefix 'u'. A list holds at least 131,072 entries (16 KB), the specification's
minimum for herd privacy, and indexes are drawn at random so neighbours in the list are not
neighbours in time.
"""

from __future__ import annotations

import base64
import gzip
import io
import secrets

MIN_SIZE = 131_072


class StatusListError(ValueError):
    """The encoded list is malformed or an index falls outside it."""


def empty(size: int = MIN_SIZE) -> bytes:
    """Return a list of size zero bits (size a multiple of 8, at least MIN_SIZE)."""
    if size < MIN_SIZE or size % 8:
        raise StatusListError(f"A status list holds a multiple of 8, at least {MIN_SIZE} bits.")
    return bytes(size // 8)


def get_bit(bits: bytes, index: int) -> bool:
    """Return the bit at index."""
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"Index {index} is outside the status list.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytes, index: int, value: bool = True) -> bytes:
    """Return bits with the bit at index set (or cleared)."""
    get_bit(bits, index)  # bounds
    data = bytearray(bits)
    mask = 0x80 >> (index % 8)
    data[index // 8] = data[index // 8] | mask if value else data[index // 8] & ~mask
    return bytes(data)


def encode(bits: bytes) -> str:
    """Return encodedList: 'u' + base64url(gzip(bits)) without padding."""
    # mtime=0: the same bits always give the same text (and the same signature input).
    compressed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode(encoded: str, max_bytes: int = 16 * MIN_SIZE) -> bytes:
    """Return the bits of an encodedList, refusing one that inflates beyond max_bytes."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url (prefix 'u').")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            bits = stream.read(max_bytes + 1)
    except (ValueError, OSError, EOFError) as exc:
        raise StatusListError("encodedList is not GZIP data in base64url.") from exc
    if len(bits) > max_bytes or len(bits) * 8 < MIN_SIZE:
        raise StatusListError("The status list is smaller or larger than allowed.")
    return bits


def random_free_index(size: int, taken: set[int]) -> int:
    """Return a random index not in taken (the caller keeps lists well below full)."""
    if len(taken) >= size:
        raise StatusListError("The status list is full.")
    while True:
        index = secrets.randbelow(size)
        if index not in taken:
            return index
