"""load_or_abort: 404 for what does not exist, 403 (or a hiding 404) for what one may not see."""

import pytest
from werkzeug.exceptions import Forbidden, NotFound

from app.curriculum.models import Course
from app.shared.loading import load_or_abort
from tests.factories import make_course


@pytest.fixture
def course(app):
    return make_course(slug="loading-check")


def test_an_allowed_user_gets_the_record(app, course):
    with app.test_request_context():
        assert load_or_abort(Course, course.id, lambda user, record: True) is course
        assert load_or_abort(Course, "loading-check", by=Course.slug) is course


def test_a_missing_record_is_404(app, course):
    with app.test_request_context(), pytest.raises(NotFound):
        load_or_abort(Course, course.id + 1000)


def test_a_refused_user_gets_403_or_a_hiding_404(app, course):
    with app.test_request_context():
        with pytest.raises(Forbidden):
            load_or_abort(Course, course.id, lambda user, record: False)
        with pytest.raises(NotFound):
            load_or_abort(Course, course.id, lambda user, record: False, hide=True)
