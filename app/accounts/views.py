"""Sign-in, the home page, profiles with API tokens, and the administrators' user pages."""

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app.accounts import bp, services
from app.accounts.forms import ApiTokenForm, ConfirmForm, LoginForm, SetPasswordForm, UserForm
from app.accounts.models import ApiToken, RoleCode, User
from app.accounts.permissions import can_view_reports, role_required
from app.extensions import db, login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = None


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Reload the signed-in user on each request."""
    return db.session.get(User, int(user_id))


def safe_next(target: str | None) -> str | None:
    """Accept only same-site paths as a redirect target after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.get("/")
def home():
    """Show a landing page to visitors and each role's starting points to users."""
    return render_template("accounts/home.html")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with email and password, then go back to the page that was asked for."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("Email or password is not correct, or the account is deactivated."), "error")
        else:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("accounts.home"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out (a POST, so that a link on another site cannot sign people out)."""
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Let an invited person choose a password through a one-time link."""
    try:
        account_token = services.find_account_token(token, "invitation")
    except services.AccountError as exc:
        return render_template("accounts/link_invalid.html", message=str(exc)), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = services.set_password_with_token(token, "invitation", form.password.data)
        db.session.commit()
        login_user(user)
        flash(_("Your password is set. Welcome."), "success")
        return redirect(url_for("accounts.home"))
    return render_template("accounts/set_password.html", form=form, user=account_token.user)


@bp.get("/profile")
@login_required
def profile():
    """Show the user's account, and API tokens to managers."""
    tokens = []
    if can_view_reports(current_user):
        tokens = db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)
        ).all()
    return render_template(
        "accounts/profile.html",
        tokens=tokens,
        token_form=ApiTokenForm(),
        confirm_form=ConfirmForm(),
    )


@bp.post("/profile/api-tokens")
@role_required(RoleCode.MANAGER)
def api_token_create():
    """Create an API token and show it once."""
    form = ApiTokenForm()
    if not form.validate_on_submit():
        flash(_("Give the token a name."), "error")
        return redirect(url_for("accounts.profile"))
    raw = services.create_api_token(current_user, form.label.data)
    db.session.commit()
    return render_template("accounts/api_token_created.html", raw_token=raw, label=form.label.data)


@bp.post("/profile/api-tokens/<int:token_id>/revoke")
@role_required(RoleCode.MANAGER)
def api_token_revoke(token_id: int):
    """Revoke one of the user's own API tokens."""
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != current_user.id and not current_user.is_admin:
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.revoke_api_token(token)
        db.session.commit()
        flash(_("The token “%(label)s” no longer works.", label=token.label), "success")
    return redirect(url_for("accounts.profile"))


@bp.get("/admin/users")
@role_required(RoleCode.ADMIN)
def user_list():
    """List every account with its roles and state."""
    query = request.args.get("q", "").strip()
    statement = select(User).order_by(User.name)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(
            db.or_(db.func.lower(User.name).like(like), User.email.like(like))
        )
    users = db.session.scalars(statement).all()
    return render_template("accounts/user_list.html", users=users, query=query)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required(RoleCode.ADMIN)
def user_create():
    """Create an account with roles and a first password."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data, form.name.data, form.roles.data, form.password.data or None
            )
            user.active = form.active.data
            if not form.password.data:
                services.send_invitation(user)
            db.session.commit()
        except services.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Account created for %(name)s.", name=user.name), "success")
            return redirect(url_for("accounts.user_list"))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required(RoleCode.ADMIN)
def user_edit(user_id: int):
    """Change an account's name, email, roles, password or active flag."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
    if form.validate_on_submit():
        try:
            services.update_user(
                user,
                name=form.name.data,
                email=form.email.data,
                roles=set(form.roles.data),
                active=form.active.data,
                acting_user=current_user,
            )
            if form.password.data:
                services.check_password_strength(form.password.data)
                user.set_password(form.password.data)
            db.session.commit()
        except services.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Account saved."), "success")
            return redirect(url_for("accounts.user_list"))
    return render_template("accounts/user_form.html", form=form, user=user)
