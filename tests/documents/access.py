from tests.access import SESSION_TEAM, Route

# Only the person who asked for a document (the world's trainer) and administrators see it;
# anyone else is told it does not exist.


def _document(w) -> dict:
    return {"document_id": w.document.id}


ROUTES = [
    Route("documents.progress", SESSION_TEAM, kwargs=_document, denied_status=404),
    Route("documents.progress_json", SESSION_TEAM, kwargs=_document, denied_status=404),
    Route("documents.download", SESSION_TEAM, kwargs=_document, denied_status=404),
]
