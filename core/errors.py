"""Typed errors that services raise; the UI shows them as messages, the API as 409."""

__all__ = ["ConflictError"]


class ConflictError(Exception):
    """The request is valid but conflicts with the state of the records (HTTP 409).

    ``code`` says which conflict in words a program can test ("wrong_state"); ``message`` is
    the translated sentence for people.
    """

    def __init__(self, message: str, code: str = "conflict") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
