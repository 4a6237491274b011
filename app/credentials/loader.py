"""An offline JSON-LD document loader: pinned contexts only, no network, no undefined terms.

A credential's meaning is the RDF its JSON-LD expands to; a context fetched at verification
time could change that meaning after the signature. So every context is a file of this
package, checked against the SHA-256 its publisher fixed, and a term no context defines (which
JSON-LD would silently drop, leaving it unsigned) is an error instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld.context_resolver import ContextResolver
from pyld.jsonld import JsonLdError, JsonLdProcessor

CONTEXTS = Path(__file__).resolve().parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# URL -> (file, SHA-256 of the file); the VC 2.0 digest is the one the W3C publishes.
PINNED = {
    VC_V2: (
        "credentials-v2.jsonld",
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    ),
    OB_V3: (
        "ob-v3p0-context-3.0.3.json",
        "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    ),
}


class UnsafeDocumentError(ValueError):
    """The document needs a context we do not hold, or uses a term no context defines."""


@cache
def pinned_contexts() -> dict[str, Any]:
    """Return the pinned contexts by URL, refusing a file whose digest has changed."""
    contexts = {}
    for url, (name, digest) in PINNED.items():
        data = (CONTEXTS / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise UnsafeDocumentError(f"The pinned context {name} does not match its digest.")
        contexts[url] = json.loads(data)
    return contexts


class OfflineLoader:
    """A pyld document loader that answers from memory and never opens a connection."""

    def __init__(self, contexts: Mapping[str, Any] | None = None) -> None:
        self.contexts = dict(pinned_contexts() if contexts is None else contexts)

    def __call__(self, url: str, options: dict | None = None) -> dict:
        """Return the pinned document for url, or refuse: there is no network fallback."""
        if url not in self.contexts:
            raise UnsafeDocumentError(f"No pinned copy of {url}; contexts are never fetched.")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": self.contexts[url],
        }


def _refuse_dropped(term: str | None) -> None:
    raise UnsafeDocumentError(f"The term {term!r} is defined by no context: it would go unsigned.")


def canonize(document: Mapping[str, Any], loader: OfflineLoader | None = None) -> str:
    """Return the RDFC-1.0 (URDNA2015) N-Quads of document, in safe mode."""
    loader = loader or OfflineLoader()
    contexts = document.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    # Inline contexts could redefine terms or add an @vocab that catches anything: refuse them.
    if not contexts or not all(isinstance(c, str) and c in loader.contexts for c in contexts):
        raise UnsafeDocumentError("The document's @context must list pinned context URLs only.")
    processor = JsonLdProcessor(on_property_dropped=_refuse_dropped)
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": loader,
        # A resolver of its own: pyld's shared cache would remember other loaders' contexts.
        "contextResolver": ContextResolver(LRUCache(maxsize=16), loader),
    }
    try:
        return processor.normalize(dict(document), options)
    except JsonLdError as exc:
        cause = _root_cause(exc)
        if isinstance(cause, UnsafeDocumentError):
            raise cause from exc
        raise UnsafeDocumentError(f"The document is not valid JSON-LD: {cause}") from exc


def _root_cause(exc: BaseException) -> BaseException:
    """Return the innermost cause pyld wrapped its errors around."""
    seen = exc
    while True:
        inner = getattr(seen, "cause", None) or seen.__cause__
        if inner is None or inner is seen:
            return seen
        seen = inner
