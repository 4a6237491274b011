"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C VC Data Integrity EdDSA).

The algorithm follows the specification step by step: the proof options (without proofValue,
with the document's @context) and the document (without proof) are each canonicalised with
RDFC-1.0 and hashed with SHA-256; the signature is Ed25519 over proof hash then document hash,
written as multibase base58btc ('z').
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.credentials.loader import OfflineLoader, canonize

CRYPTOSUITE = "eddsa-rdfc-2022"
# Multicodec prefixes of Multikey values: ed25519-pub and ed25519-priv (varint encoded).
_ED25519_PUB = b"\xed\x01"
_ED25519_PRIV = b"\x80\x26"


class ProofError(ValueError):
    """The proof is missing, malformed, or does not match the document."""


def public_multibase(key: Ed25519PublicKey) -> str:
    """Return the Multikey publicKeyMultibase of an Ed25519 public key."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58.b58encode(_ED25519_PUB + raw).decode()


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Return the Ed25519 public key a publicKeyMultibase encodes."""
    data = _decode_z(value)
    if not data.startswith(_ED25519_PUB) or len(data) != 34:
        raise ProofError("The key is not an Ed25519 Multikey.")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    """Return the Ed25519 private key a secretKeyMultibase encodes."""
    data = _decode_z(value)
    if not data.startswith(_ED25519_PRIV) or len(data) != 34:
        raise ProofError("The key is not an Ed25519 secret Multikey.")
    return Ed25519PrivateKey.from_private_bytes(data[2:])


def _decode_z(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("Expected a multibase base58btc value (starting with 'z').")
    try:
        return base58.b58decode(value[1:])
    except ValueError as exc:
        raise ProofError("The value is not base58btc.") from exc


def hash_data(
    document: Mapping[str, Any], options: Mapping[str, Any], loader: OfflineLoader | None
) -> bytes:
    """Return proofConfigHash || transformedDocumentHash, the bytes the signature covers."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in options.items() if k != "proofValue"}
    config["@context"] = unsecured.get("@context")
    config_hash = hashlib.sha256(canonize(config, loader).encode()).digest()
    document_hash = hashlib.sha256(canonize(unsecured, loader).encode()).digest()
    return config_hash + document_hash


def sign(
    document: Mapping[str, Any],
    key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    loader: OfflineLoader | None = None,
) -> dict[str, Any]:
    """Return a copy of document with a DataIntegrityProof made with key."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(hash_data(document, options, loader))
    proof = {**options, "proofValue": "z" + base58.b58encode(signature).decode()}
    return {**document, "proof": proof}


def verify(
    document: Mapping[str, Any],
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    loader: OfflineLoader | None = None,
) -> str:
    """Check the document's proof and return its verificationMethod; raise ProofError if bad.

    resolve_key maps a verificationMethod to the issuer's public key, or None when unknown
    (the caller tells that apart from a bad signature: KeyError is raised for it).
    """
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise ProofError("The credential has no single proof.")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"The proof is not a DataIntegrityProof with {CRYPTOSUITE}.")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("The proof's purpose is not assertionMethod.")
    method = proof.get("verificationMethod")
    key = resolve_key(method) if isinstance(method, str) else None
    if key is None:
        raise KeyError(method)
    signature = _decode_z(proof.get("proofValue"))
    try:
        key.verify(signature, hash_data(document, proof, loader))
    except InvalidSignature as exc:
        raise ProofError("The signature does not match the credential.") from exc
    return method
