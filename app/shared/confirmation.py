"""Ask before a destructive action: confirm.js asks in a dialog, this page asks without it.

A form (or its button) names its question in data-confirm; once answered, it is sent with
confirmed=yes. A view calls `confirmed()` and, when not, returns `confirmation_page(...)`, which
sends the same fields again with the answer.
"""

from __future__ import annotations

from flask import render_template, request


def confirmed() -> bool:
    """Return whether the visitor answered yes (in the dialog, or on the confirmation page)."""
    return request.form.get("confirmed") == "yes"


def confirmation_page(question: str, names: list[str], confirm_label: str, back: str) -> str:
    """Return the page that asks again, carrying the form's fields (a reason, ticked rows) on."""
    kept = [(key, value) for key, value in request.form.items(multi=True) if key != "csrf_token"]
    return render_template(
        "_confirm.html",
        question=question,
        names=names,
        confirm_label=confirm_label,
        action=request.path,
        fields=kept,
        back=back,
    )
