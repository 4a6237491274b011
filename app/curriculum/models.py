"""Courses, their frozen versions and the modules each version teaches."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.shared.legal_traditions import LegalTradition
from app.shared.models import UTCDateTime, utcnow


class Audience(StrEnum):
    """Target audiences a course is written for."""

    LAW_ENFORCEMENT = "law_enforcement"
    PROSECUTORS_JUDGES = "prosecutors_judges"
    CHILD_PROTECTION = "child_protection"
    NGO_HOTLINE = "ngo_hotline"
    INDUSTRY = "industry"


class Course(db.Model):
    """A course as described by one file in courses/; its teaching content lives in versions."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    audiences: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    completion_threshold: Mapped[Decimal] = mapped_column(Numeric(4, 3), default=Decimal("0.8"))
    validity_months: Mapped[int | None] = mapped_column()
    certificate: Mapped[dict] = mapped_column(JSON, default=dict)
    # {"fr": {"title": ..., "summary": ...}}: read through app.curriculum.text.localised.
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    source_file: Mapped[str] = mapped_column(String(200))
    retired: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course", order_by="CourseVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current_version(self) -> CourseVersion | None:
        """Return the newest version, the one new sessions are planned with."""
        return self.versions[-1] if self.versions else None

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseVersion(db.Model):
    """An immutable snapshot of a course's modules; sessions keep the version they planned."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    number: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="versions")
    modules: Mapped[list[CourseModule]] = relationship(
        back_populates="course_version",
        order_by="CourseModule.position",
        cascade="all, delete-orphan",
    )

    @property
    def total_hours(self) -> Decimal:
        """Return the teaching hours of all modules together (alternatives included)."""
        return sum((module.hours for module in self.modules), Decimal(0))

    def delivered_modules(self, tradition: str | None) -> list[CourseModule]:
        """Return what a session under this tradition teaches when it has no agenda."""
        return delivered_modules(self.modules, tradition)

    def delivery_hours(self, tradition: str | None) -> Decimal:
        """Return the hours a session under this tradition teaches without an agenda."""
        return sum((module.hours for module in self.delivered_modules(tradition)), Decimal(0))

    def __repr__(self) -> str:
        return f"<CourseVersion {self.course_id} v{self.number}>"


class CourseModule(db.Model):
    """One module of a course version, with its hours, objectives and legal traditions."""

    __tablename__ = "course_modules"
    __table_args__ = (UniqueConstraint("course_version_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    position: Mapped[int] = mapped_column()
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    legal_traditions: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["all"])
    # Modules sharing a group are variants of one topic (common-law and civil-law rules of
    # evidence): a session teaches one of them, so its hours count once.
    alternative_group: Mapped[str | None] = mapped_column(String(80))
    # {"fr": {"title": ..., "objectives": [...]}}: how this module reads in other languages.
    translations: Mapped[dict] = mapped_column(JSON, default=dict)

    course_version: Mapped[CourseVersion] = relationship(back_populates="modules")

    def applies_to(self, tradition: str | None) -> bool:
        """Return whether this module fits a session held under the given legal tradition."""
        if "all" in self.legal_traditions or tradition is None:
            return True
        if tradition == LegalTradition.MIXED:
            return bool({"common_law", "civil_law"} & set(self.legal_traditions))
        return tradition in self.legal_traditions


def delivered_modules(modules: list[CourseModule], tradition: str | None) -> list[CourseModule]:
    """Return the modules of one version a session under this tradition teaches without agenda.

    The modules that fit the tradition, in course order, with one module per group of
    alternatives: where the tradition does not choose (unknown or mixed), the first stands in.
    This is the one definition of planned hours; a session's agenda, when it has one, wins.
    """
    chosen: list[CourseModule] = []
    groups: set[str] = set()
    for module in sorted(modules, key=lambda module: module.position):
        if not module.applies_to(tradition) or module.alternative_group in groups:
            continue
        if module.alternative_group:
            groups.add(module.alternative_group)
        chosen.append(module)
    return chosen
