"""What each role is called on pages and in forms (the codes stay in the database and API)."""

from flask_babel import lazy_gettext as _l

from app.shared.roles import RoleCode

ROLE_LABELS = {
    RoleCode.ADMIN: _l("Administrator"),
    RoleCode.MANAGER: _l("Programme manager"),
    RoleCode.TRAINER: _l("Trainer"),
    RoleCode.PARTICIPANT: _l("Participant"),
    RoleCode.FOCAL_POINT: _l("National focal point"),
}
