"""National focal points: the countries (and agency types) each one nominates for, and deputies.

A deputy holds the focal-point role and a link to a principal; the deputy's scope is read
through that link each time, so a change to the principal's countries reaches the deputy at
once. Nominations, evaluation and the other domains ask "who is the focal point of country X"
here, in the lower layer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.accounts.models import (
    FocalPointAgencyType,
    FocalPointCountry,
    FocalPointDeputy,
    User,
    UserRole,
)
from app.accounts.permissions import is_focal_point
from app.accounts.services import AccountError, _audit
from app.extensions import db
from app.shared.agency_types import AGENCY_LABELS
from app.shared.countries import is_country
from app.shared.roles import RoleCode


@dataclass(frozen=True)
class FocalScope:
    """What a focal point acts for: countries, and agency types (empty: every agency)."""

    countries: frozenset[str]
    agency_types: frozenset[str]

    def covers(self, country_code: str | None, agency_type: str | None = None) -> bool:
        """Return whether a person of this country (and agency type) is within the scope."""
        if country_code not in self.countries:
            return False
        return not self.agency_types or agency_type is None or agency_type in self.agency_types


NO_SCOPE = FocalScope(frozenset(), frozenset())


def own_scope(user: User) -> FocalScope:
    """Return the scope given to this account itself, without its principal's."""
    return FocalScope(
        frozenset(link.country_code for link in user.focal_country_links),
        frozenset(link.agency_type for link in user.focal_agency_links),
    )


def principal_of(user: User) -> User | None:
    """Return the focal point this account deputises for, if any."""
    return user.deputy_link.principal if user.deputy_link is not None else None


def focal_point_scope(user: User | None) -> FocalScope:
    """Return the account's scope; a deputy's is exactly the principal's, never wider.

    A deputy has no countries or agency types of their own (set_focal_point_scope refuses
    them), so they can never act beyond the focal point they stand in for.
    """
    if not is_focal_point(user) or not user.active:
        return NO_SCOPE
    principal = principal_of(user)
    if principal is None:
        return own_scope(user)
    return own_scope(principal) if is_focal_point(principal) else NO_SCOPE


def focal_point_countries(user: User | None) -> frozenset[str]:
    """Return the countries the account acts for, its own and through deputyship."""
    return focal_point_scope(user).countries


def focal_points_for(country_code: str, agency_type: str | None = None) -> list[User]:
    """Return the active focal points (principals and their deputies) of a country, by name."""
    holders = select(FocalPointCountry.user_id).where(
        FocalPointCountry.country_code == country_code
    )
    deputies = select(FocalPointDeputy.deputy_id).where(FocalPointDeputy.principal_id.in_(holders))
    candidates = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.active.is_(True),
            UserRole.role == RoleCode.FOCAL_POINT.value,
            or_(User.id.in_(holders), User.id.in_(deputies)),
        )
        .order_by(User.name, User.id)
    ).all()
    return [
        user for user in candidates if focal_point_scope(user).covers(country_code, agency_type)
    ]


def deputies_of(user: User) -> list[User]:
    """Return the accounts that deputise for this focal point, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(FocalPointDeputy, FocalPointDeputy.deputy_id == User.id)
            .where(FocalPointDeputy.principal_id == user.id)
            .order_by(User.name)
        )
    )


def set_focal_point_scope(
    user: User,
    countries: Iterable[str] = (),
    agency_types: Iterable[str] = (),
    deputy_of: User | int | None = None,
    actor: User | None = None,
) -> None:
    """Set a focal point's countries, agency types and principal (all cleared without the role).

    A focal point needs countries of their own or a principal to deputise for, not both: a
    deputy acts with exactly the principal's scope. A principal must be a focal point who is
    not a deputy themself, so scopes never chain. `deputy_of` is the
    principal's account or id (a form's choice).
    """
    if isinstance(deputy_of, int):
        deputy_of = db.session.get(User, deputy_of)
    countries = sorted({code.strip().upper() for code in countries if code and code.strip()})
    agency_types = sorted(set(agency_types))
    if RoleCode.FOCAL_POINT not in user.roles:
        countries, agency_types, deputy_of = [], [], None
    else:
        _check_scope(user, countries, agency_types, deputy_of)
    before = _described(user)
    user.focal_country_links = [FocalPointCountry(country_code=code) for code in countries]
    user.focal_agency_links = [FocalPointAgencyType(agency_type=code) for code in agency_types]
    user.deputy_link = FocalPointDeputy(principal=deputy_of) if deputy_of is not None else None
    db.session.flush()
    after = _described(user)
    if before != after:
        _audit("account.focal_scope_changed", actor, user, before=before, after=after)


def _check_scope(
    user: User, countries: list[str], agency_types: list[str], deputy_of: User | None
) -> None:
    unknown = [code for code in countries if not is_country(code)]
    if unknown:
        raise AccountError(_("Unknown country code: %(codes)s.", codes=", ".join(unknown)))
    if any(code not in AGENCY_LABELS for code in agency_types):
        raise AccountError(_("Unknown agency type."))
    if deputy_of is not None:
        if countries:
            raise AccountError(
                _("A deputy has no countries of their own: they act with their focal point's.")
            )
        if agency_types:
            raise AccountError(
                _("A deputy has no agency types of their own: they act with their focal point's.")
            )
        if deputy_of.id == user.id:
            raise AccountError(_("A focal point cannot be their own deputy."))
        if RoleCode.FOCAL_POINT not in deputy_of.roles:
            raise AccountError(_("%(name)s is not a focal point.", name=deputy_of.name))
        if deputy_of.deputy_link is not None:
            raise AccountError(
                _("%(name)s is a deputy; choose the focal point they act for.", name=deputy_of.name)
            )
        if deputies_of(user):
            raise AccountError(_("This focal point has deputies, so cannot be a deputy."))
    if not countries and deputy_of is None:
        raise AccountError(
            _("Give a focal point at least one country, or the focal point they deputise for.")
        )


def _described(user: User) -> dict:
    """Return the scope as plain values, for the audit trail's before and after."""
    principal = user.deputy_link.principal_id if user.deputy_link is not None else None
    return {
        "countries": [link.country_code for link in user.focal_country_links],
        "agency_types": [link.agency_type for link in user.focal_agency_links],
        "deputy_of": principal,
    }


def focal_point_choices() -> list[tuple[int, str]]:
    """Return (id, "name (email)") of the focal points a deputy may act for, by name."""
    principals = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == RoleCode.FOCAL_POINT.value, ~User.deputy_link.has())
        .order_by(User.name)
    )
    return [(user.id, f"{user.name} ({user.email})") for user in principals]
