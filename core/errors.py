"""Typed errors that services raise, and the machine-readable codes every API error carries.

The UI shows an error as a message; the API answers ``{"code", "detail", "errors"}``: the
code for programs (one of :data:`ERROR_CODES`), the translated detail for people.
"""

__all__ = ["ERROR_CODES", "STATUS_OF", "ConflictError", "Forbidden"]

# code -> what it means (published in the OpenAPI description of ErrorOut.code)
ERROR_CODES = {
    "bad_request": "400: the request cannot be read (e.g. an invalid cursor).",
    "unauthenticated": "401: no session or Bearer token.",
    "forbidden": "403: the caller's role may never use this operation.",
    "action_not_allowed": "403: the caller's role may never make this workflow move.",
    "not_found": "404: no such record in the caller's scope (existence is not told).",
    "conflict": "409: the change conflicts with the records as they are.",
    "wrong_state": "409: the record's state does not allow this move now; see the detail.",
    "unknown_action": "409: no such move in this workflow; the detail lists the moves.",
    "guard_failed": "409: a condition of the move is not met (e.g. risk not assessed yet).",
    "concentration_limit": "409: the investment would break a fund's concentration limit; "
    "send `override_reason` to record it anyway.",
    "reason_required": "409: this move needs a reason; send it and try again (e.g. "
    "`exception_reason` to approve over a failed hard threshold, `deviation_reason` to convert "
    "onto units that miss the requirements).",
    "invalid": "422: some fields are invalid; `errors` names each with the fix.",
}

# the HTTP status of a ConflictError by its code (409 unless the role may never do it)
STATUS_OF = {"action_not_allowed": 403}


class ConflictError(Exception):
    """The request is valid but conflicts with the state of the records (HTTP 409).

    ``code`` says which conflict in words a program can test ("wrong_state"); ``message`` is
    the translated sentence for people.
    """

    def __init__(self, message: str, code: str = "conflict") -> None:
        assert code in ERROR_CODES, code  # a new code is documented in ERROR_CODES first
        super().__init__(message)
        self.message = message
        self.code = code


class Forbidden(Exception):
    """The caller's role may never use this operation (HTTP 403). A row outside the caller's
    scope is a 404 instead, which does not tell that it exists."""
