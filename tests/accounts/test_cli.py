from app.accounts.services import find_user_by_email


def test_users_create_with_several_roles(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Olga@Example.org",
            "--name",
            "Ольга Петрова",
            "--role",
            "trainer",
            "--role",
            "manager",
            "--password",
            "a long password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = find_user_by_email("olga@example.org")
    assert user.roles == {"trainer", "manager"} and user.name == "Ольга Петрова"


def test_users_create_asks_for_the_password(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "p@example.org",
            "--name",
            "P",
            "--role",
            "participant",
        ],
        input="a long password\na long password\n",
    )
    assert result.exit_code == 0, result.output
    assert find_user_by_email("p@example.org").check_password("a long password")


def test_users_create_refuses_duplicates_and_bad_roles(runner):
    args = [
        "users",
        "create",
        "--email",
        "d@example.org",
        "--name",
        "D",
        "--password",
        "a long password",
        "--role",
    ]
    assert runner.invoke(args=[*args, "trainer"]).exit_code == 0
    result = runner.invoke(args=[*args, "trainer"])
    assert result.exit_code != 0 and "already exists" in result.output
    result = runner.invoke(args=[*args, "king"])
    assert result.exit_code != 0 and "king" in result.output


def test_tokens_create_prints_a_token_for_managers_only(runner):
    runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "m@example.org",
            "--name",
            "M",
            "--role",
            "manager",
            "--password",
            "a long password",
        ]
    )
    result = runner.invoke(args=["tokens", "create", "--email", "m@example.org"])
    assert result.exit_code == 0 and result.stdout.startswith("tp_")
    runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "t@example.org",
            "--name",
            "T",
            "--role",
            "trainer",
            "--password",
            "a long password",
        ]
    )
    result = runner.invoke(args=["tokens", "create", "--email", "t@example.org"])
    assert result.exit_code != 0
