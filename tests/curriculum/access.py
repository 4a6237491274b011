from tests.access import EVERYONE_SIGNED_IN, Route

ROUTES = [
    Route("curriculum.course_list", EVERYONE_SIGNED_IN),
    Route("curriculum.course_list", EVERYONE_SIGNED_IN, kwargs=lambda w: {"audience": "industry"}),
    Route("curriculum.course_detail", EVERYONE_SIGNED_IN, kwargs=lambda w: {"slug": w.course.slug}),
]
