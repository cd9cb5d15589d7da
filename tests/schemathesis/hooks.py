"""Schemathesis hooks for `st run` against this service (see docs/testing.md).

They drop exactly three kinds of report, both the API working as designed in ways
an OpenAPI document cannot state, and nothing else:

- a schema-valid creation refused with 422 `idempotency_key_reused`: the fuzzer
  sent an `Idempotency-Key` again with another body, which the Idempotency-Key
  draft (and the README) answer with 422;
- a schema-valid creation refused with 422 `private_needs_account`: `private`
  is a documented visibility (generated clients need it) that needs a bearer
  token, and the fuzzer sends none;
- "created resource not found" for a paste that is gone by design by the time it
  is read again: burned by an earlier read (`burn_after_read`), expired, or a
  replay (`Idempotent-Replayed: true`) of a creation whose paste was deleted since:
  a replay hands back the first answer, it does not create the paste again.
"""

import json
from datetime import datetime, timezone

import schemathesis
from schemathesis.openapi.checks import EnsureResourceAvailability, RejectedPositiveData

# Ids of created pastes that vanish by design: burned on their first read, or
# replayed (gone at once), or expiring (with the time they expire).
VANISHING: dict[str, datetime | None] = {}


def _error_code(response) -> str | None:
    try:
        return json.loads(response.content)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


@schemathesis.hook
def after_call(ctx, case, response):
    if case.method != "POST" or response.status_code != 201:
        return
    try:
        paste = json.loads(response.content)
    except ValueError:
        return
    replayed = response.headers.get("idempotent-replayed") == ["true"]
    if paste.get("burn_after_read") or replayed:
        VANISHING[paste["id"]] = None
    elif paste.get("expires_at"):
        VANISHING[paste["id"]] = datetime.fromisoformat(paste["expires_at"])


def _vanished(case) -> bool:
    pid = (case.path_parameters or {}).get("id")
    if pid not in VANISHING:
        return False
    expires_at = VANISHING[pid]
    return expires_at is None or expires_at <= datetime.now(timezone.utc)


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    if isinstance(failure, RejectedPositiveData):
        return _error_code(response) not in ("idempotency_key_reused", "private_needs_account")
    if isinstance(failure, EnsureResourceAvailability):
        return not _vanished(case)
    return True
