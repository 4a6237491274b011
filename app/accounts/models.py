"""People who log in, and the roles that decide what they may do."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.shared.i18n import supported as supported_languages
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData, erased_email, erased_name, unusable_secret
from app.shared.roles import RoleCode


class User(UserMixin, db.Model):
    """An account; the email is stored lower-cased so uniqueness ignores case."""

    __tablename__ = "users"
    # The accounts page lists by name, fifty at a time, reading this index in order.
    __table_args__ = (Index("ix_users_name", "name", "id"),)
    __personal_data__ = PersonalData(
        fields=("email", "name", "password_hash", "last_login_at", "language"),
        erase={"email": erased_email, "name": erased_name, "password_hash": None},
        withheld=("password_hash",),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the id kept in session and remember-me cookies: bumping it signs every device out.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The interface and email language the person chose (None: follow the browser).
    language: Mapped[str | None] = mapped_column(String(10))

    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    # A national focal point's own scope (app/accounts/focal_points.py reads it with deputyship).
    focal_country_links: Mapped[list[FocalPointCountry]] = relationship(
        cascade="all, delete-orphan", order_by="FocalPointCountry.country_code"
    )
    focal_agency_links: Mapped[list[FocalPointAgencyType]] = relationship(
        cascade="all, delete-orphan", order_by="FocalPointAgencyType.agency_type"
    )
    deputy_link: Mapped[FocalPointDeputy | None] = relationship(
        foreign_keys="FocalPointDeputy.deputy_id", cascade="all, delete-orphan", uselist=False
    )

    def __init__(self, **kwargs):
        roles = kwargs.pop("roles", ())
        password = kwargs.pop("password", None)
        super().__init__(**kwargs)
        self.roles = set(roles)
        if password:
            self.set_password(password)

    def get_id(self) -> str:
        """Return the cookie id: the account and its session version (Flask-Login's alt id)."""
        return f"{self.id}-{self.session_version}"

    @staticmethod
    def normalise_email(email: str) -> str:
        """Fold case and surrounding space so that one address maps to one account."""
        return email.strip().lower()

    @validates("email")
    def _fold_email(self, _key: str, value: str) -> str:
        return self.normalise_email(value)

    @validates("language")
    def _check_language(self, _key: str, value: str | None) -> str | None:
        """Refuse a language the platform has no catalogue for, so every page can speak it."""
        if value and value not in supported_languages():
            raise ValueError(f"unsupported language {value!r}")
        return value or None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts.
        """Return whether the account may log in."""
        return self.active

    @property
    def roles(self) -> set[str]:
        """Return the role codes this person holds."""
        return {link.role for link in self.role_links}

    @roles.setter
    def roles(self, codes) -> None:
        wanted = {RoleCode(code).value for code in codes}
        self.role_links = [link for link in self.role_links if link.role in wanted]
        for code in sorted(wanted - {link.role for link in self.role_links}):
            self.role_links.append(UserRole(role=code))

    def has_role(self, *codes: str) -> bool:
        """Return True if the user holds any of the given roles (admins hold them all)."""
        held = self.roles
        return RoleCode.ADMIN in held or any(code in held for code in codes)

    @property
    def is_admin(self) -> bool:
        """Return whether the user administers the platform."""
        return RoleCode.ADMIN in self.roles

    def set_password(self, password: str) -> None:
        """Hash and store a new password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Return True when the password matches the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(db.Model):
    """One role held by one user."""

    __tablename__ = "user_roles"
    __personal_data__ = PersonalData(fields=("role",))

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    user: Mapped[User] = relationship(back_populates="role_links")


class FocalPointCountry(db.Model):
    """A country whose nominations a national focal point handles."""

    __tablename__ = "focal_point_countries"
    __personal_data__ = PersonalData(fields=("country_code",))

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    country_code: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)


class FocalPointAgencyType(db.Model):
    """An agency type a focal point is limited to (none listed: every agency of the countries)."""

    __tablename__ = "focal_point_agency_types"
    __personal_data__ = PersonalData(fields=("agency_type",))

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    agency_type: Mapped[str] = mapped_column(String(20), primary_key=True)


class FocalPointDeputy(db.Model):
    """A deputy acts with their principal's scope, so a change to the principal's reaches them."""

    __tablename__ = "focal_point_deputies"
    __personal_data__ = PersonalData(fields=("principal_id",))

    deputy_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    principal_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    principal: Mapped[User] = relationship(foreign_keys=[principal_id])


class TokenPurpose(StrEnum):
    """What a one-time link does."""

    INVITATION = "invitation"
    RESET = "reset"
    EMAIL_CHANGE = "email_change"


class AccountToken(db.Model):
    """A one-time link token (invitation, reset, email change); only its hash is stored."""

    __tablename__ = "account_tokens"
    __personal_data__ = PersonalData(
        fields=("purpose", "token_hash", "created_at", "used_at", "new_email"),
        erase={"token_hash": unusable_secret, "new_email": None},
        withheld=("token_hash",),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when a newer link, a used link or a deactivation made this one void.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The address an email-change link confirms; it becomes the login only once clicked.
    new_email: Mapped[str | None] = mapped_column(String(254))

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A bearer token for the reporting API; shown once, stored hashed, revocable."""

    __tablename__ = "api_tokens"
    __personal_data__ = PersonalData(
        fields=("label", "token_hash", "created_at", "last_used_at"),
        erase={"label": "", "token_hash": unusable_secret},
        withheld=("token_hash",),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
