"""Countries engaged (nominated at least once), read beside the cached reach figures.

Computed on each request from the nominations tables, outside the reach cache, so a new
nomination shows at once without the reach data version knowing about nominations.
"""

from __future__ import annotations

from app.nominations.reports import countries_engaged
from app.reporting.filters import ReachFilters


def engaged_countries(filters: ReachFilters) -> int:
    """Count countries that nominated someone, under the filters that apply to a nomination."""
    countries = None
    if filters.country:
        countries = {filters.country}
    if filters.region:
        countries = set(filters.region.countries) & (countries or set(filters.region.countries))
    return countries_engaged(
        date_from=filters.date_from,
        date_to=filters.date_to,
        course_id=filters.course_id,
        host_country=filters.host_country,
        countries=countries,
        agency_type=filters.agency_type,
    )
