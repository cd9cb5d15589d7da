"""Drives a client that openapi-python-client generated from the served
document, with no edit to it, through every route: create (anonymously and
with a bearer token from the token exchange), read, list, stats, edit
(and a stale edit's 409), the revisions, the language list, a view limit
(max_views), a password (X-Paste-Password), an end-to-end envelope, delete by
delete token and delete by bearer token.

    python python_client.py BASE_URL USERNAME PASSWORD

with the generated package (`pastebin_client`) on PYTHONPATH. Exits non-zero,
saying which step broke, when anything is not as the API documents.
"""

import sys

from pastebin_client import AuthenticatedClient, Client
from pastebin_client.api.pastes import (
    create_paste,
    delete_paste,
    fork_paste,
    edit_paste,
    list_languages,
    list_paste_revisions,
    read_paste,
    read_paste_revision,
    read_paste_stats,
)
from pastebin_client.api.tokens import create_token
from pastebin_client.api.users import list_user_pastes
from pastebin_client.models import (
    CreatedPaste,
    CreatePaste,
    CreatePasteLanguage,
    CreatePasteVisibility,
    EditedPaste,
    EditPaste,
    IssuedToken,
    Languages,
    PasteStats,
    PasteWithContent,
    Revisions,
    RevisionWithContent,
    TokenRequest,
    UserPastes,
)


def expect(what, response, status, model):
    if response.status_code != status or not isinstance(response.parsed, model):
        sys.exit(f"{what}: expected {status} {model.__name__}, got {response.status_code} {response.content[:300]!r}")
    return response.parsed


def main(base, username, password):
    anonymous = Client(base_url=base, raise_on_unexpected_status=True)

    created = expect(
        "create",
        create_paste.sync_detailed(
            client=anonymous,
            body=CreatePaste(content="print('hello')\n", title="hello.py", language=CreatePasteLanguage.PYTHON, expires="1d"),
        ),
        201,
        CreatedPaste,
    )
    read = expect("read", read_paste.sync_detailed(created.id, client=anonymous), 200, PasteWithContent)
    assert read.content == "print('hello')\n", read.content
    assert read.language == "python" and read.shown_language == "python", read
    fork = expect("fork", fork_paste.sync_detailed(created.id, client=anonymous), 201, CreatedPaste)
    assert fork.id != created.id and fork.delete_token != created.delete_token, fork
    forked = expect("read fork", read_paste.sync_detailed(fork.id, client=anonymous), 200, PasteWithContent)
    assert forked.content == read.content and forked.forked_from.id == created.id, forked
    assert forked.forked_from.deleted is False and forked.fork_count == 0, forked
    stats = expect("stats", read_paste_stats.sync_detailed(created.id, client=anonymous), 200, PasteStats)
    assert stats.total_views >= 0, stats
    edited = expect(
        "edit",
        edit_paste.sync_detailed(
            created.id,
            client=anonymous,
            body=EditPaste(revision=read.revision, content="print('edited')\n"),
            x_delete_token=created.delete_token,
        ),
        200,
        EditedPaste,
    )
    assert edited.revision == 2, edited
    stale = edit_paste.sync_detailed(
        created.id, client=anonymous, body=EditPaste(revision=1, content="late\n"), x_delete_token=created.delete_token
    )
    assert stale.status_code == 409, (stale.status_code, stale.content)
    history = expect("revisions", list_paste_revisions.sync_detailed(created.id, client=anonymous), 200, Revisions)
    assert [r.number for r in history.revisions] == [2, 1], history
    first = expect("revision 1", read_paste_revision.sync_detailed(created.id, 1, client=anonymous), 200, RevisionWithContent)
    assert first.content == "print('hello')\n", first
    languages = expect("languages", list_languages.sync_detailed(client=anonymous), 200, Languages)
    assert any(l.token == "rust" and "rs" in l.extensions for l in languages.languages)

    # A view limit: each read spends one, the last deletes the paste.
    counted = expect(
        "create max_views",
        create_paste.sync_detailed(client=anonymous, body=CreatePaste(content="twice\n", max_views=2)),
        201,
        CreatedPaste,
    )
    first_view = expect("view 1 of 2", read_paste.sync_detailed(counted.id, client=anonymous), 200, PasteWithContent)
    assert first_view.content == "twice\n" and first_view.views_left == 1, first_view
    last_view = expect("view 2 of 2", read_paste.sync_detailed(counted.id, client=anonymous), 200, PasteWithContent)
    assert last_view.views_left == 0, last_view
    spent = read_paste.sync_detailed(counted.id, client=anonymous)
    assert spent.status_code == 404, spent.status_code
    # A password: refused without it (403), opened with X-Paste-Password.
    locked = expect(
        "create with a password",
        create_paste.sync_detailed(client=anonymous, body=CreatePaste(content="sealed\n", password="hunter2")),
        201,
        CreatedPaste,
    )
    refused = read_paste.sync_detailed(locked.id, client=anonymous)
    assert refused.status_code == 403, (refused.status_code, refused.content)
    opened = expect(
        "read with its password",
        read_paste.sync_detailed(locked.id, client=anonymous, x_paste_password="hunter2"),
        200,
        PasteWithContent,
    )
    assert opened.content == "sealed\n" and opened.password_protected, opened
    # An end-to-end envelope (random bytes where the ciphertext goes): kept
    # and served as it is, unlisted.
    envelope = (
        "e2e-v1.eyJleHBpcmVzIjoibmV2ZXIiLCJidXJuX2FmdGVyX3JlYWQiOmZhbHNlLCJrZGYiOm51bGx9"
        ".CQkJCQkJCQkJCQkJ.BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQ"
    )
    sealed = expect(
        "create end-to-end",
        create_paste.sync_detailed(client=anonymous, body=CreatePaste(content=envelope, end_to_end=True)),
        201,
        CreatedPaste,
    )
    shown = expect("read an envelope", read_paste.sync_detailed(sealed.id, client=anonymous), 200, PasteWithContent)
    assert shown.content == envelope and shown.end_to_end and shown.visibility == "unlisted", shown
    gone = delete_paste.sync_detailed(created.id, client=anonymous, x_delete_token=created.delete_token)
    assert gone.status_code == 204, (gone.status_code, gone.content)
    again = read_paste.sync_detailed(created.id, client=anonymous)
    assert again.status_code == 404, again.status_code

    issued = expect(
        "token exchange",
        create_token.sync_detailed(client=anonymous, body=TokenRequest(username=username, password=password, name="generated")),
        201,
        IssuedToken,
    )
    owner = AuthenticatedClient(base_url=base, token=issued.token, raise_on_unexpected_status=True)
    private = expect(
        "create as the owner",
        create_paste.sync_detailed(
            client=owner,
            body=CreatePaste(content="secret notes", visibility=CreatePasteVisibility.PRIVATE, burn_after_read=False),
        ),
        201,
        CreatedPaste,
    )
    mine = expect("list", list_user_pastes.sync_detailed(username, client=owner), 200, UserPastes)
    line = next(p for p in mine.pastes if p.id == private.id)
    assert line.visibility == "private" and line.burn_after_read is False, line
    guessed = expect("read own", read_paste.sync_detailed(private.id, client=owner), 200, PasteWithContent)
    assert guessed.language is None and guessed.shown_language == "text", guessed
    own_fork = expect("fork own private", fork_paste.sync_detailed(private.id, client=owner), 201, CreatedPaste)
    assert own_fork.visibility == "private", own_fork
    refused = fork_paste.sync_detailed(private.id, client=anonymous)
    assert refused.status_code == 404, refused.status_code
    gone = delete_paste.sync_detailed(private.id, client=owner)
    assert gone.status_code == 204, (gone.status_code, gone.content)
    print("generated Python client: create, read, fork, stats, edit, revisions, languages, max_views, password, end_to_end, delete by token, token exchange, list, delete by bearer: ok")


if __name__ == "__main__":
    main(*sys.argv[1:4])
