"""Sign-in, the home page, profiles with API tokens, and the administrators' user pages."""

import time

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import bp, focal_points, listing, services
from app.accounts.forms import (
    ApiTokenForm,
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    SetPasswordForm,
    UserForm,
)
from app.accounts.models import ApiToken, TokenPurpose, User
from app.accounts.permissions import can_hold_api_tokens, can_revoke_api_token
from app.extensions import limiter, login_manager
from app.shared.confirmation import confirmation_page, confirmed
from app.shared.i18n import remember_choice, speaking
from app.shared.loading import load_or_abort
from app.shared.roles import RoleCode, role_required
from app.shared.unit_of_work import unit_of_work
from app.shared.urls import same_site_path

login_manager.login_view = "accounts.login"
login_manager.login_message = None


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    """Reload the signed-in user, refusing cookies from before the last "sign out everywhere"."""
    return services.user_for_cookie(cookie_id)


def _submitted_email() -> str:
    """Key the per-account login limit on the address typed, folded like the accounts table."""
    return "login:" + User.normalise_email(request.form.get("email", ""))[:254]


def _failed(response) -> bool:
    """Count an attempt against the account only when it did not sign in (no redirect)."""
    return response.status_code != 302


def _too_many_attempts(request_limit):
    """Answer a throttled login with the page, the reason and how long to wait."""
    minutes = max(1, round((request_limit.reset_at - time.time()) / 60))
    message = ngettext(
        "Too many sign-in attempts. Wait %(num)d minute and try again.",
        "Too many sign-in attempts. Wait %(num)d minutes and try again.",
        minutes,
    )
    with unit_of_work():
        services.record_failed_login(request.form.get("email", ""), "account.login_throttled")
    page = render_template("accounts/login.html", form=LoginForm(), throttled=message)
    return make_response(page, 429)


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_LIMIT"]


@bp.get("/")
def home():
    """Show a landing page to visitors; signed-in users get their role's home page if installed."""
    role_home = current_app.view_functions.get("home.dashboard")
    if current_user.is_authenticated and role_home is not None:
        return role_home()
    return render_template("accounts/home.html")


def _sign_in(user: User, remember: bool = False) -> None:
    """Start a session with a fresh CSRF token, so a token planted before login is worthless."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)  # Flask-WTF's per-request copy of the old one
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], on_breach=_too_many_attempts)
@limiter.limit(
    _account_limit,
    methods=["POST"],
    key_func=_submitted_email,
    deduct_when=_failed,
    on_breach=_too_many_attempts,
)
def login():
    """Sign in with email and password, then go back to the page that was asked for."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if form.validate_on_submit():
        with unit_of_work():
            user = services.authenticate(form.email.data, form.password.data)
            if user is None:
                services.record_failed_login(form.email.data)
            else:
                _sign_in(user, remember=form.remember.data)
                services.record_login(user)
        if user is not None:
            return redirect(same_site_path(request.args.get("next")) or url_for("accounts.home"))
        flash(_("Email or password is not correct, or the account is deactivated."), "error")
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out on every device (a POST, so that a link on another site cannot sign people out)."""
    with unit_of_work():
        services.end_all_sessions(current_user)
    logout_user()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("accounts.login"))


def _password_through_link(token: str, purpose: str, done_message: str):
    """Show and handle the choose-a-password form of a one-time link."""
    try:
        account_token = services.find_account_token(token, purpose)
    except services.AccountError as exc:
        return render_template("accounts/link_invalid.html", message=str(exc)), 410
    form = SetPasswordForm()
    form.known_inputs = (account_token.user.email, account_token.user.name)
    if form.validate_on_submit():
        with unit_of_work(show_error=False) as done:
            user = services.set_password_with_token(token, purpose, form.password.data)
        if not done.ok:  # spent or voided since the page was shown
            return render_template("accounts/link_invalid.html", message=str(done.error)), 410
        _sign_in(user)
        flash(done_message, "success")
        return redirect(url_for("accounts.home"))
    return render_template(
        "accounts/set_password.html", form=form, user=account_token.user, purpose=purpose
    )


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Let an invited person choose a password through a one-time link."""
    return _password_through_link(
        token, TokenPurpose.INVITATION, _("Your password is set. Welcome.")
    )


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through the link a "Forgot password?" request emailed."""
    return _password_through_link(
        token, TokenPurpose.RESET, _("Your new password is set; other devices are signed out.")
    )


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
def forgot_password():
    """Email a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        with unit_of_work():
            services.request_password_reset(form.email.data)
        flash(
            _(
                "If an active account uses %(email)s, a link to choose a new password is on its "
                "way. It works once, for an hour.",
                email=User.normalise_email(form.email.data),
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Make a new address the login once its owner follows the link (a POST: scanners GET)."""
    try:
        account_token = services.find_account_token(token, TokenPurpose.EMAIL_CHANGE)
    except services.AccountError as exc:
        return render_template("accounts/link_invalid.html", message=str(exc)), 410
    form = ConfirmForm()
    if form.validate_on_submit():
        with unit_of_work(show_error=False) as done:
            services.confirm_email_change(token)
        if not done.ok:
            return render_template("accounts/link_invalid.html", message=str(done.error)), 409
        flash(_("Your login email is now %(email)s.", email=account_token.new_email), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/confirm_email.html", form=form, token=account_token)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Show the user's account and language (saved on POST), and API tokens to managers."""
    language_form = LanguageForm(language=current_user.language or "")
    if language_form.validate_on_submit():
        with unit_of_work():
            services.set_language(current_user, language_form.language.data)
        with speaking(current_user.language):
            flash(_("Your language is saved."), "success")
        # This browser's header switch would otherwise outrank the choice just saved.
        return remember_choice(redirect(url_for("accounts.profile")), current_user.language)
    holds_tokens = can_hold_api_tokens(current_user)
    return render_template(
        "accounts/profile.html",
        holds_api_tokens=holds_tokens,
        tokens=services.api_tokens_of(current_user) if holds_tokens else [],
        token_form=ApiTokenForm(),
        confirm_form=ConfirmForm(),
        language_form=language_form,
    )


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; every other device is signed out, this one stays."""
    form = ChangePasswordForm()
    form.known_inputs = (current_user.email, current_user.name)
    if form.validate_on_submit():
        with unit_of_work(show_error=False) as done:
            services.change_password(current_user, form.current_password.data, form.password.data)
        if not done.ok:
            form.current_password.errors.append(str(done.error))
        else:
            _sign_in(current_user._get_current_object())  # the user, not the proxy
            flash(_("Your password is changed; other devices are signed out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/profile/email", methods=["GET", "POST"])
@login_required
def change_email():
    """Ask for a new login email; a link to the new address must confirm it."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("The current password is not correct."))
        else:
            with unit_of_work(show_error=False) as done:
                services.request_email_change(current_user, form.email.data)
            if not done.ok:
                form.email.errors.append(str(done.error))
            else:
                flash(
                    _(
                        "A confirmation link was sent to %(email)s; your login changes once you "
                        "follow it.",
                        email=User.normalise_email(form.email.data),
                    ),
                    "success",
                )
                return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_email.html", form=form)


@bp.post("/profile/api-tokens")
@role_required(RoleCode.MANAGER)
def api_token_create():
    """Create an API token and show it once."""
    form = ApiTokenForm()
    if not form.validate_on_submit():
        flash(_("Give the token a name."), "error")
        return redirect(url_for("accounts.profile"))
    with unit_of_work() as done:
        raw = services.create_api_token(current_user, form.label.data)
    if not done.ok:
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/api_token_created.html", raw_token=raw, label=form.label.data)


@bp.post("/profile/api-tokens/<int:token_id>/revoke")
@role_required(RoleCode.MANAGER)
def api_token_revoke(token_id: int):
    """Revoke one of the user's own API tokens, after asking (systems using it stop at once)."""
    token = load_or_abort(ApiToken, token_id, can_revoke_api_token, hide=True)
    if not confirmed():
        back = url_for("accounts.profile")
        return confirmation_page(_("Revoke this token?"), [token.label], _("Revoke"), back)
    if ConfirmForm().validate_on_submit():
        with unit_of_work() as done:
            services.revoke_api_token(token, actor=current_user)
        if done.ok:
            flash(_("The token “%(label)s” no longer works.", label=token.label), "success")
    return redirect(url_for("accounts.profile"))


@bp.get("/admin/users")
@role_required(RoleCode.ADMIN)
def user_list():
    """List every account with its roles and state."""
    query = request.args.get("q", "").strip()
    page = services.users_page(query, request.args.get("page", 1, type=int))
    return render_template(
        "accounts/user_list.html",
        page=page,
        query=query,
        columns=listing.COLUMNS,
        cells=listing.user_cells(page.items),
    )


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required(RoleCode.ADMIN)
def user_create():
    """Create an account with roles and a first password."""
    form = UserForm()
    if form.validate_on_submit():
        with unit_of_work() as done:
            user = services.create_user(
                form.email.data,
                form.name.data,
                form.roles.data,
                form.password.data or None,
                actor=current_user,
                active=form.active.data,
            )
            _save_scope(user, form)
            if not form.password.data:
                services.send_invitation(user, actor=current_user)
        if done.ok:
            flash(_("Account created for %(name)s.", name=user.name), "success")
            return redirect(url_for("accounts.user_list"))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required(RoleCode.ADMIN)
def user_edit(user_id: int):
    """Change an account's name, email, roles, password or active flag."""
    user = load_or_abort(User, user_id)
    form = UserForm(obj=user, user_id=user.id)
    if request.method == "GET":
        _fill_scope(form, user)
    if form.validate_on_submit():
        with unit_of_work() as done:
            email_changes = services.update_user(
                user,
                name=form.name.data,
                email=form.email.data,
                roles=set(form.roles.data),
                active=form.active.data,
                acting_user=current_user,
                password=form.password.data or None,
            )
            _save_scope(user, form)
        if done.ok:
            _flash_saved(email_changes, form.email.data)
            return redirect(url_for("accounts.user_list"))
    return render_template(
        "accounts/user_form.html", form=form, user=user, confirm_form=ConfirmForm()
    )


def _fill_scope(form: UserForm, user: User) -> None:
    """Show the account's roles and, for a focal point, its own scope and principal."""
    form.roles.data = sorted(user.roles)
    scope = focal_points.own_scope(user)
    form.focal_countries.data = sorted(scope.countries)
    form.focal_agency_types.data = sorted(scope.agency_types)
    principal = focal_points.principal_of(user)
    form.deputy_of.data = principal.id if principal else None


def _save_scope(user: User, form: UserForm) -> None:
    """Keep a focal point's countries, agency types and principal (cleared for other roles)."""
    focal_points.set_focal_point_scope(
        user,
        form.focal_countries.data,
        form.focal_agency_types.data,
        form.deputy_of.data,
        actor=current_user,
    )


def _flash_saved(email_changes: bool, new_email: str) -> None:
    """Say the account is saved, and that a new login email waits for its link."""
    flash(_("Account saved."), "success")
    if email_changes:
        flash(
            _(
                "The login email changes once the link sent to %(email)s is followed.",
                email=User.normalise_email(new_email),
            ),
            "info",
        )


@bp.post("/admin/users/<int:user_id>/sign-out-everywhere")
@role_required(RoleCode.ADMIN)
def user_sign_out_everywhere(user_id: int):
    """End every session and remember-me cookie of an account (a lost phone, a leaver)."""
    user = load_or_abort(User, user_id)
    if ConfirmForm().validate_on_submit():
        with unit_of_work() as done:
            services.sign_out_everywhere(user, current_user)
        if done.ok and user.id == current_user.id:
            logout_user()
            return redirect(url_for("accounts.login"))
        if done.ok:
            flash(_("%(name)s is signed out on every device.", name=user.name), "success")
    return redirect(url_for("accounts.user_edit", user_id=user.id))
