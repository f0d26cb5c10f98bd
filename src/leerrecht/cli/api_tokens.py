"""`leerrecht api-token create|list|revoke` and `leerrecht api-schema` / `api-docs` (issue 8)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from leerrecht.cli.django_setup import django_setup
from leerrecht.cli.errors import fail

app = typer.Typer(help="Manage API tokens (operators).", no_args_is_help=True)
console = Console(highlight=False)


@app.command("create")
def create(
    scope: Annotated[
        list[str], typer.Option("--scope", help="Scope, repeatable: students:read ...")
    ],
    organisation: str = typer.Option(..., help="Organisation id, BRIN or exact name."),
    name: str = typer.Option(..., help="What the token is for, e.g. 'ParnasSys-koppeling'."),
    role: str = typer.Option(..., help="Role the token acts in, e.g. school_coordinator."),
    created_by: str = typer.Option("", help="Username of the operator creating the token."),
    rate_limit: int | None = typer.Option(
        None, help="Requests per minute (default: installation)."
    ),
) -> None:
    """Create a token. Its value is shown once; only a hash is stored."""
    django_setup()
    from leerrecht.accounts.models import User
    from leerrecht.api.selectors import organisation_by_reference
    from leerrecht.api.services import ApiTokenError, api_token_create

    org = organisation_by_reference(reference=organisation)
    if org is None:
        fail(f"no single organisation matches {organisation!r} (use its id, BRIN or exact name)")
    operator = None
    if created_by:
        operator = User.objects.filter(username=created_by).first()
        if operator is None:
            fail(f"unknown user {created_by!r}")
    try:
        token, plaintext = api_token_create(
            organisation=org,
            name=name,
            role=role,
            scopes=scope,
            created_by=operator,
            rate_limit_per_minute=rate_limit,
        )
    except ApiTokenError as exc:
        fail(str(exc))
    console.print(
        f"Token {token.prefix} for {org.name} ({token.role}), scopes: {', '.join(token.scopes)}"
    )
    console.print("Store this value now; it is not shown again:")
    print(plaintext)


@app.command("list")
def list_tokens(
    organisation: str = typer.Option("", help="Only this organisation (id, BRIN or name)."),
    active_only: bool = typer.Option(False, "--active", help="Leave out revoked tokens."),
) -> None:
    """List tokens (never their values)."""
    django_setup()
    from leerrecht.api.selectors import api_token_list, organisation_by_reference

    org = None
    if organisation:
        org = organisation_by_reference(reference=organisation)
        if org is None:
            fail(f"no single organisation matches {organisation!r}")
    # Tab-separated, one token a line: readable and easy to process in scripts.
    columns = (
        "prefix",
        "organisation",
        "name",
        "role",
        "scopes",
        "created",
        "last_used",
        "revoked",
    )
    print("\t".join(columns))
    for token in api_token_list(organisation=org, include_revoked=not active_only):
        row = (
            token.prefix,
            token.organisation.name,
            token.name,
            token.role,
            " ".join(token.scopes),
            f"{token.created_at:%Y-%m-%d %H:%M}",
            f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "-",
            f"{token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "-",
        )
        print("\t".join(row))


@app.command("revoke")
def revoke(prefix: str = typer.Argument(..., help="The token's prefix (see `list`).")) -> None:
    """Revoke a token at once and for good."""
    django_setup()
    from leerrecht.api.models import ApiToken
    from leerrecht.api.services import api_token_revoke

    token = ApiToken.objects.filter(prefix=prefix.strip()).first()
    if token is None:
        fail(f"no token with prefix {prefix!r}")
    token = api_token_revoke(token=token)
    console.print(
        f"Token {token.prefix} ({token.name}) revoked at {token.revoked_at:%Y-%m-%d %H:%M}."
    )


@app.command("rotate")
def rotate(prefix: str = typer.Argument(..., help="The token's prefix (see `list`).")) -> None:
    """Replace a token by a new one (same organisation, role and scopes, a fresh expiry);
    the old one stops working at once. The new value is shown once."""
    django_setup()
    from leerrecht.api.models import ApiToken
    from leerrecht.api.services import ApiTokenError, api_token_rotate

    token = ApiToken.objects.filter(prefix=prefix.strip()).first()
    if token is None:
        fail(f"no token with prefix {prefix!r}")
    try:
        new, plaintext = api_token_rotate(token=token)
    except ApiTokenError as exc:
        fail(f"{prefix}: {exc}")
    console.print(
        f"Token {token.prefix} revoked; new token {new.prefix}, valid until "
        f"{new.expires_at:%Y-%m-%d}:"
    )
    console.print(plaintext, soft_wrap=True)


def api_schema() -> None:
    """Print the OpenAPI 3 document of /api/v1 (as published in docs/api/openapi.json)."""
    django_setup()
    from leerrecht.api.selectors import api_openapi_document

    sys.stdout.write(api_openapi_document())


def api_docs() -> None:
    """Print docs/api.md (prose plus the examples the contract tests check)."""
    django_setup()
    from leerrecht.api.docs import api_docs_markdown

    sys.stdout.write(api_docs_markdown())
