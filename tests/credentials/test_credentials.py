"""Open Badges 3.0 credentials: the spec's test vector, tampering, rotation, status lists,
the offline loader, and a round trip issue → verify → revoke → verify."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest

from app.certificates import services as certificates
from app.credentials import keys, proofs, services, status_list
from app.credentials.loader import (
    VC_V2,
    OfflineLoader,
    UnsafeDocumentError,
    canonize,
    pinned_contexts,
)
from app.extensions import db
from tests.certificates.helpers import completed_session

VECTORS = Path(__file__).parent / "vectors"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


def _vector(name: str) -> str:
    return (VECTORS / name).read_text()


def _vector_loader() -> OfflineLoader:
    return OfflineLoader(
        {**pinned_contexts(), EXAMPLES_V2: json.loads(_vector("credentials-examples-v2.jsonld"))}
    )


# --- the eddsa-rdfc-2022 specification's test vector (w3c/vc-di-eddsa TestVectors) -----------


def test_canonical_forms_and_hashes_match_the_specification():
    loader = _vector_loader()
    signed = json.loads(_vector("signedDataInt.json"))
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    canonical = canonize(unsecured, loader)
    assert canonical == _vector("canonDocDataInt.txt")
    assert hashlib.sha256(canonical.encode()).hexdigest() == _vector("docHashDataInt.txt").strip()
    config = canonize(json.loads(_vector("proofConfigDataInt.json")), loader)
    assert config == _vector("proofCanonDataInt.txt")
    assert hashlib.sha256(config.encode()).hexdigest() == _vector("proofHashDataInt.txt").strip()


def test_signing_reproduces_the_specification_proof_and_it_verifies():
    loader = _vector_loader()
    signed = json.loads(_vector("signedDataInt.json"))
    pair = json.loads(_vector("keyPair.json"))
    secret = proofs.private_key_from_multibase(pair["privateKeyMultibase"])
    assert proofs.public_multibase(secret.public_key()) == pair["publicKeyMultibase"]
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    proof = signed["proof"]
    again = proofs.sign(unsecured, secret, proof["verificationMethod"], proof["created"], loader)
    assert again["proof"]["proofValue"] == proof["proofValue"]
    assert (
        proofs.verify(signed, lambda _m: secret.public_key(), loader) == proof["verificationMethod"]
    )


def test_one_changed_byte_of_the_vector_fails():
    loader = _vector_loader()
    signed = json.loads(_vector("signedDataInt.json"))
    signed["credentialSubject"]["alumniOf"] = "The School of Examplez"
    public = proofs.public_key_from_multibase(
        json.loads(_vector("keyPair.json"))["publicKeyMultibase"]
    )
    with pytest.raises(proofs.ProofError):
        proofs.verify(signed, lambda _m: public, loader)


# --- the offline loader ------------------------------------------------------------------------


def test_pinned_contexts_are_the_published_files():
    assert set(pinned_contexts()) == {
        VC_V2,
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    }


def test_the_loader_never_fetches(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the loader opened a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    with pytest.raises(UnsafeDocumentError, match="never fetched"):
        OfflineLoader()("https://example.org/context.json")
    with pytest.raises(UnsafeDocumentError):
        canonize(
            {"@context": [VC_V2, "https://example.org/evil.jsonld"], "type": "VerifiableCredential"}
        )


def test_undefined_terms_and_inline_contexts_are_refused():
    with pytest.raises(UnsafeDocumentError, match="nickname"):
        canonize({"@context": [VC_V2], "type": ["VerifiableCredential"], "nickname": "x"})
    with pytest.raises(UnsafeDocumentError):
        canonize({"@context": [VC_V2, {"@vocab": "https://evil.example/#"}], "nickname": "x"})


# --- the status list ---------------------------------------------------------------------------


def test_status_list_size_bit_order_and_encoding():
    bits = status_list.empty()
    assert len(bits) * 8 == 131_072
    with pytest.raises(status_list.StatusListError):
        status_list.empty(131_064)
    bits = status_list.set_bit(bits, 0)
    bits = status_list.set_bit(bits, 9)
    assert bits[0] == 0b1000_0000  # index 0 is the most significant bit of the first byte
    assert bits[1] == 0b0100_0000
    assert status_list.get_bit(bits, 9) and not status_list.get_bit(bits, 8)
    encoded = status_list.encode(bits)
    assert encoded.startswith("u") and "=" not in encoded
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    assert gzip.decompress(raw) == bits
    assert status_list.decode(encoded) == bits


def test_status_list_refuses_a_list_too_small():
    small = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(100))).decode().rstrip("=")
    with pytest.raises(status_list.StatusListError):
        status_list.decode(small)


# --- issue, verify, revoke, rotate -------------------------------------------------------------


@pytest.fixture
def issued(app):
    keys.create_key()
    scene = completed_session(validity_months=24)
    certificate = certificates.issue(scene.enrolments[0], scene.trainer)  # signs its twin too
    db.session.commit()  # the status list is signed by the job queued at commit
    return certificate, services.credential_of(certificate)


def test_credential_carries_the_certificate_without_naming_the_holder(issued):
    certificate, credential = issued
    document = credential.document
    text = json.dumps(document, ensure_ascii=False)
    assert document["@context"] == services.CONTEXT
    assert document["id"].startswith("urn:uuid:")
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["validUntil"].startswith(certificate.expires_on.isoformat())
    assert certificate.content["name"] not in text
    email = certificates.holder_email(certificate)
    assert email not in text
    assert services.identity_matches(document, email)
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == certificate.content["course_title"]
    assert achievement["version"] == certificate.content["version_label"]
    assert "Nairobi" in achievement["criteria"]["narrative"]
    assert document["credentialSubject"]["result"][0]["value"] == certificate.content["total_hours"]
    assert certificate.number in document["evidence"][0]["name"]
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_round_trip_issue_verify_revoke_verify(issued):
    certificate, credential = issued
    document = credential.document
    assert services.verify(document).ok
    certificates.revoke(certificate, None, "Issued in error")  # flips its credential's bit
    db.session.commit()
    result = services.verify(document)
    assert result.failed == "status"
    assert result.passed == ["format", "issuer", "signature", "expiry"]


def test_one_changed_byte_of_an_issued_credential_fails(issued):
    _certificate, credential = issued
    text = json.dumps(credential.document)
    tampered = json.loads(text.replace('"Hours of training"', '"Hours of trainin!"'))
    assert services.verify(tampered).failed == "signature"


def test_an_expired_credential_says_so(issued):
    _certificate, credential = issued
    later = datetime(2099, 1, 1, tzinfo=UTC)
    assert services.verify(credential.document, today=later).failed == "expiry"


def test_a_foreign_key_is_unknown(issued):
    _certificate, credential = issued
    document = json.loads(json.dumps(credential.document))
    document["proof"]["verificationMethod"] = "did:web:elsewhere.example#key-1"
    assert services.verify(document).failed == "issuer"


def test_after_rotation_old_credentials_still_verify_and_both_keys_are_published(issued):
    certificate, old = issued
    keys.create_key()
    services.rebuild_all_status_lists()
    db.session.commit()
    assert services.verify(old.document).ok  # signed with key-1, list now re-signed with key-2
    newer = certificates.reissue(certificate, None, "New name spelling")
    fresh = services.credential_of(newer)  # signed with the new key as the reissue stored it
    db.session.commit()
    assert old.issuer_key.fragment == "key-1" and fresh.issuer_key.fragment == "key-2"
    document = services.did_document()
    assert [m["id"].split("#")[1] for m in document["verificationMethod"]] == ["key-1", "key-2"]
    assert document["assertionMethod"] == [m["id"] for m in document["verificationMethod"]]
    assert services.verify(fresh.document).ok
    # The reissue revoked the old certificate; its credential's bit followed.
    assert services.verify(old.document).failed == "status"


def test_private_key_is_stored_encrypted(app):
    key = keys.create_key()
    raw = keys.private_key(key).private_bytes_raw()
    assert raw not in key.private_key_encrypted
    app.config["SECRET_KEY"] = "another-secret"
    with pytest.raises(keys.IssuerKeyError):
        keys.private_key(key)


def test_key_kept_in_a_directory(app, tmp_path):
    app.config["CREDENTIALS_KEY_DIR"] = str(tmp_path / "keys")
    key = keys.create_key()
    assert key.private_key_encrypted is None
    path = tmp_path / "keys" / f"{key.fragment}.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert proofs.public_multibase(keys.private_key(key).public_key()) == key.public_key_multibase


# --- pages and commands ------------------------------------------------------------------------


def test_did_document_and_status_list_are_published(app, issued, client):
    _certificate, credential = issued
    did = client.get("/.well-known/did.json").get_json()
    assert did["verificationMethod"][0]["type"] == "Multikey"
    url = credential.document["credentialStatus"]["statusListCredential"]
    assert url.startswith(app.config["PUBLIC_BASE_URL"])  # ids never follow the request's host
    listed = client.get(url.removeprefix(app.config["PUBLIC_BASE_URL"])).get_json()
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["credentialSubject"]["encodedList"].startswith("u")


def test_uploaded_credential_is_verified_on_the_page(issued, client):
    _certificate, credential = issued
    data = json.dumps(credential.document).encode()
    page = client.post(
        "/credentials/verify", data={"document": (BytesIO(data), "c.json")}
    ).get_data(as_text=True)
    assert "This credential is valid" in page
    tampered = data.replace(b"Nairobi", b"Nairobx")
    page = client.post(
        "/credentials/verify", data={"document": (BytesIO(tampered), "c.json")}
    ).get_data(as_text=True)
    assert "This credential is not valid" in page and "Signature matches the content" in page


@pytest.mark.parametrize("command", [["certificates", "credential"], ["credentials", "export"]])
def test_export_command_writes_the_signed_json(issued, runner, tmp_path, command):
    certificate, credential = issued
    out = tmp_path / "c.json"
    result = runner.invoke(args=[*command, certificate.number, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == credential.document


def test_certificate_links_partial_offers_download_and_qr(issued, app):
    certificate, _credential = issued
    from flask import render_template

    with app.test_request_context():
        html = render_template("credentials/_certificate_links.html", certificate=certificate)
    assert f"/certificates/{certificate.number}/credential.json" in html
    assert "<svg" in html


def test_the_certificate_email_links_to_its_credential(issued, outbox):
    certificate, _credential = issued
    certificates.notify_issued(certificate)
    db.session.commit()
    bodies = [m.get_body().get_content() for m in outbox.refresh()]
    mails = [body for body in bodies if f"Certificate number: {certificate.number}" in body]
    assert mails and all(f"/certificates/{certificate.number}/credential.json" in b for b in mails)
