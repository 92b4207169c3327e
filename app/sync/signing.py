"""Ed25519 signatures (the `cryptography` library): each laptop's signing key, and checks.

A laptop makes its key on first need and keeps the private half in its own database (a file only
its user can read). The public half is registered with the hub at enrollment and travels to the
city's other laptops; a bundle file is signed over its manifest, which holds the SHA-256 of every
other entry, so one signature covers the whole file. Keys and signatures travel as base64 text.
Nothing here touches a database, a file or the network.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

KEY_BYTES = 32
SIGNATURE_BYTES = 64


class SignatureError(ValueError):
    """A key or signature that is malformed; `str(err)` says which."""


def new_private_key() -> str:
    return _b64(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    )


def public_key_of(private_key: str) -> str:
    key = Ed25519PrivateKey.from_private_bytes(_raw(private_key, KEY_BYTES, "private key"))
    return _b64(
        key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def sign(private_key: str, data: bytes) -> str:
    key = Ed25519PrivateKey.from_private_bytes(_raw(private_key, KEY_BYTES, "private key"))
    return _b64(key.sign(data))


def verify(public_key: str, data: bytes, signature: str) -> bool:
    """True when `signature` is the signature of `data` by the holder of `public_key`."""
    key = Ed25519PublicKey.from_public_bytes(_raw(public_key, KEY_BYTES, "public key"))
    try:
        key.verify(_raw(signature, SIGNATURE_BYTES, "signature"), data)
    except InvalidSignature:
        return False
    return True


def check_public_key(value: Any, field: str = "public_key") -> str:
    """A public key as sent by a laptop: base64 of 32 bytes (SignatureError otherwise)."""
    if not isinstance(value, str) or len(value) > 64:
        raise SignatureError(f"{field}: expected an Ed25519 public key in base64")
    _raw(value, KEY_BYTES, field)
    return value


def check_signature(value: Any, field: str = "signature") -> str:
    if not isinstance(value, str) or len(value) > 128:
        raise SignatureError(f"{field}: expected an Ed25519 signature in base64")
    _raw(value, SIGNATURE_BYTES, field)
    return value


def key_fingerprint(public_key: str) -> str:
    """A short text to compare a key by eye or on the phone: `3f2a 91c0 7be4 d011`."""
    digest = hashlib.sha256(public_key.encode("ascii")).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _raw(text: str, size: int, what: str) -> bytes:
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise SignatureError(f"{what}: not base64") from None
    if len(data) != size:
        raise SignatureError(f"{what}: expected {size} bytes, found {len(data)}")
    return data
