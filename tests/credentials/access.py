from app.credentials import keys, status_list
from app.credentials.models import Credential, StatusList
from app.extensions import db
from tests.access import PUBLIC, Route

MANAGE = frozenset({"trainer", "manager", "admin"})


def _world_credential(w) -> dict:
    """Give the world's certificate a stored credential (the world itself knows none)."""
    if db.session.get(Credential, 1) is None:
        key = keys.signing_key() or keys.create_key()
        status = StatusList(size=status_list.MIN_SIZE, bits=status_list.empty())
        db.session.add(status)
        db.session.add(
            Credential(
                id=1,
                certificate=w.certificate,
                uuid="00000000-0000-4000-8000-000000000001",
                status_list=status,
                status_index=7,
                issuer_key=key,
                document={"id": "urn:uuid:00000000-0000-4000-8000-000000000001"},
            )
        )
        db.session.flush()
    return {"number": w.certificate.number}


def _published_list(w) -> dict:
    _world_credential(w)
    status = db.session.get(Credential, 1).status_list
    status.credential = {"id": "list"}
    db.session.flush()
    return {"list_id": status.id}


def _upload(w) -> dict:
    from io import BytesIO

    return {"document": (BytesIO(b'{"type": ["VerifiableCredential"]}'), "credential.json")}


ROUTES = [
    Route("credentials.did_document", PUBLIC),
    Route("credentials.issuer_profile", PUBLIC),
    Route("credentials.status_list", PUBLIC, kwargs=_published_list),
    Route(
        "credentials.achievement",
        PUBLIC,
        kwargs=lambda w: {
            "slug": w.training_session.course.slug,
            "version_number": w.training_session.course_version.number,
        },
    ),
    # Someone else's credential is not found, never forbidden, like the certificate's PDF.
    Route("credentials.download", MANAGE | {"owner"}, kwargs=_world_credential, denied_status=404),
    Route("credentials.verify", PUBLIC),
    Route("credentials.verify", PUBLIC, method="POST", data=_upload),
]
