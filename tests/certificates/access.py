from tests.access import PUBLIC, Route

# Trainers of the session, programme managers and administrators manage certificates.
MANAGE = frozenset({"trainer", "manager", "admin"})

ROUTES = [
    Route(
        "certificates.session_certificates",
        MANAGE,
        kwargs=lambda w: {"training_session_id": w.training_session.id},
    ),
    Route(
        "certificates.issue_all",
        MANAGE,
        method="POST",
        kwargs=lambda w: {"training_session_id": w.training_session.id},
    ),
    Route(
        "certificates.issue_one",
        MANAGE,
        method="POST",
        kwargs=lambda w: {"enrolment_id": w.enrolment.id},
    ),
    Route(
        "certificates.revoke",
        MANAGE,
        method="POST",
        kwargs=lambda w: {"number": w.certificate.number},
        data=lambda w: {"reason": "Issued in error", "confirmed": "yes"},
        denied_status=404,
    ),
    Route(
        "certificates.reissue",
        MANAGE,
        method="POST",
        kwargs=lambda w: {"number": w.certificate.number},
        denied_status=404,
    ),
    Route(
        "certificates.reissue_all",
        MANAGE,
        method="POST",
        kwargs=lambda w: {"training_session_id": w.training_session.id},
    ),
    Route(
        "certificates.zip_batch",
        MANAGE,
        method="POST",
        kwargs=lambda w: {"training_session_id": w.training_session.id},
    ),
    Route(
        "certificates.batch_progress",
        MANAGE,
        kwargs=lambda w: {
            "training_session_id": w.training_session.id,
            "batch_id": w.certificate_batch.id,
        },
    ),
    Route(
        "certificates.batch_zip",
        MANAGE,
        kwargs=lambda w: {
            "training_session_id": w.training_session.id,
            "batch_id": w.certificate_batch.id,
        },
    ),
    Route(
        "certificates.session_zip",
        MANAGE,
        kwargs=lambda w: {"training_session_id": w.training_session.id},
    ),
    # Someone else's certificate is not found, never forbidden: its existence stays private.
    Route(
        "certificates.download",
        MANAGE | {"owner"},
        kwargs=lambda w: {"number": w.certificate.number},
        denied_status=404,
    ),
    Route("certificates.transcript_own", frozenset({"owner", "participant"}), denied_status=404),
    Route(
        "certificates.transcript",
        frozenset({"manager", "admin", "owner"}),
        kwargs=lambda w: {"participant_id": w.owner_participant.id},
        denied_status=404,
    ),
    Route("certificates.verify", PUBLIC),
    Route("certificates.verify", PUBLIC, method="POST", data=lambda w: {"query": "worldcode123"}),
    Route("certificates.verify_code", PUBLIC, kwargs=lambda w: {"code": "worldcode123"}),
    Route(
        "certificates.api_certificate",
        PUBLIC,
        kwargs=lambda w: {"value": w.certificate.number},
    ),
]
