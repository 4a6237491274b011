"""The floor for the reach dashboard: every table it shows, each from one plain SQL statement.

No CTE, no UNION, no shaping: what a person would write by hand to get the same figures from
the covering index (ix_enrolments_reach). The hours taught per session and the M49 mapping are
tiny lookups (one row per completed session, three per country) built once before timing,
as the app builds its own from curriculum's rule. check() compares the floor's headline with
the app's, so that the floor is known to compute the same thing.
"""

from __future__ import annotations

from sqlalchemy import text

COMPLETED = "e.completed IS TRUE AND s.status = 'completed'"
JOIN = (
    "FROM enrolments e JOIN training_sessions s ON s.id = e.training_session_id "
    "LEFT JOIN floor_hours h ON h.training_session_id = s.id"
)


def _year(dialect: str) -> str:
    if dialect == "postgresql":
        return "CAST(EXTRACT(YEAR FROM s.start_date) AS INTEGER)"
    return "CAST(strftime('%Y', s.start_date) AS INTEGER)"


def statements(dialect: str) -> dict[str, str]:
    """Return one statement per table the dashboard shows (and the upcoming sessions)."""
    year = _year(dialect)
    people = "COUNT(DISTINCT e.participant_id)"
    countries = "COUNT(DISTINCT e.country_code)"
    sessions = "COUNT(DISTINCT e.training_session_id)"
    hours = "SUM(h.hours)"
    return {
        "totals": f"SELECT {people}, {countries}, {hours} {JOIN} WHERE {COMPLETED}",
        "sessions": "SELECT COUNT(*), COUNT(DISTINCT host_country) FROM training_sessions "
        "WHERE status = 'completed'",
        "sessions_by_year": f"SELECT {year}, COUNT(*), COUNT(DISTINCT host_country) "
        f"FROM training_sessions s WHERE status = 'completed' GROUP BY {year}",
        "by_country": f"SELECT e.country_code, {people}, {sessions}, {hours}, MAX(s.end_date) "
        f"{JOIN} WHERE {COMPLETED} GROUP BY e.country_code",
        "by_region": f"SELECT m.region_code, {people}, {countries}, {sessions}, {hours} {JOIN} "
        f"JOIN floor_m49 m ON m.country_code = e.country_code WHERE {COMPLETED} "
        "GROUP BY m.region_code",
        "by_year": f"SELECT {year}, {people}, {countries}, {hours} {JOIN} "
        f"WHERE {COMPLETED} GROUP BY {year}",
        "by_agency": f"SELECT e.agency_type, {people}, {countries}, {sessions}, {hours} {JOIN} "
        f"WHERE {COMPLETED} GROUP BY e.agency_type",
        "by_gender": f"SELECT p.gender, {people}, {countries}, {sessions}, {hours} {JOIN} "
        f"JOIN participants p ON p.id = e.participant_id WHERE {COMPLETED} GROUP BY p.gender",
        "by_course": f"SELECT s.course_id, {people}, {countries}, {sessions}, {hours} {JOIN} "
        f"WHERE {COMPLETED} GROUP BY s.course_id",
        "upcoming": "SELECT * FROM (SELECT s.id, s.host_country, ROW_NUMBER() OVER "
        "(PARTITION BY s.host_country ORDER BY s.start_date, s.id) AS rank "
        "FROM training_sessions s WHERE s.status IN ('draft', 'open', 'in_progress') "
        "AND s.start_date >= CURRENT_DATE) ranked WHERE rank = 1",
    }


def prepare(connection) -> None:
    """Build the two lookups (session hours, country to M49 regions) the floor joins."""
    from app.reporting.queries import _session_hours
    from app.shared.regions import country_regions

    hours = _session_hours()
    connection.execute(text("DROP TABLE IF EXISTS floor_hours"))
    connection.execute(text("DROP TABLE IF EXISTS floor_m49"))
    connection.execute(
        text("CREATE TABLE floor_hours (training_session_id INTEGER PRIMARY KEY, hours FLOAT)")
    )
    connection.execute(text("CREATE TABLE floor_m49 (country_code VARCHAR(2), region_code TEXT)"))
    from sqlalchemy import select

    rows = connection.execute(select(hours.c.training_session_id, hours.c.hours)).all()
    connection.execute(
        text("INSERT INTO floor_hours VALUES (:id, :hours)"),
        [{"id": row[0], "hours": row[1]} for row in rows],
    )
    pairs = [
        {"country": country, "region": code}
        for country, codes in country_regions().items()
        for code in set(codes)
        if code != "000"
    ]
    connection.execute(text("INSERT INTO floor_m49 VALUES (:country, :region)"), pairs)
    connection.execute(text("CREATE INDEX ix_floor_m49 ON floor_m49 (country_code)"))
    connection.execute(text("ANALYZE"))


def run_all(cursor, sql: dict[str, str]) -> dict[str, list]:
    """Execute every floor statement and return its rows."""
    found = {}
    for name, statement in sql.items():
        cursor.execute(statement)
        found[name] = cursor.fetchall()
    return found
